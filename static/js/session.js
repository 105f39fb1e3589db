// When the session has expired, htmx requests get 401 (samverk.middleware):
// tell the user in one visible place instead of failing silently.
document.addEventListener("htmx:responseError", function (event) {
  var xhr = event.detail.xhr;
  if (!xhr || xhr.status !== 401) { return; }
  var region = document.getElementById("session-alert");
  if (!region) { return; }
  region.hidden = false;
});
