// Security keys (WebAuthn) on the second-factor pages: a form with data-webauthn="add" or
// "authenticate" has a button [data-webauthn-start]; a click asks the browser for a new key
// (add) or for the key's answer (authenticate) with the options the server put in the
// JSON element named by data-webauthn-data, writes the result into the form's hidden
// [data-webauthn-credential] input and submits the form. allauth's webauthn-json
// (mfa/js/webauthn-json.js, loaded before this file) converts to and from JSON.
// A refusal (cancelled, timed out, unknown key, no support) is shown in [data-webauthn-error].
(function () {
  "use strict";

  function showError(kind) {
    var box = document.querySelector("[data-webauthn-error]");
    if (!box) { return; }
    box.textContent = box.getAttribute("data-msg-" + kind) || "";
    box.hidden = false;
    box.setAttribute("tabindex", "-1");
    box.focus();
  }

  function options(form) {
    var holder = document.getElementById(form.getAttribute("data-webauthn-data"));
    return JSON.parse(holder.textContent);
  }

  function start(form, button) {
    var json = window.webauthnJSON;
    if (!json || !json.supported()) {
      showError("unsupported");
      return;
    }
    var data = options(form);
    var ask = form.getAttribute("data-webauthn") === "add"
      ? json.create(data.creation_options)
      : json.get(data.request_options);
    button.disabled = true;
    ask.then(function (credential) {
      form.querySelector("[data-webauthn-credential]").value = JSON.stringify(credential);
      form.submit();
    }, function () {
      button.disabled = false;
      showError("failed");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-webauthn]").forEach(function (form) {
      var button = form.querySelector("[data-webauthn-start]");
      if (!button) { return; }
      button.addEventListener("click", function (event) {
        event.preventDefault();
        start(form, button);
      });
    });
  });
})();
