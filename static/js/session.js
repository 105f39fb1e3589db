// When the session has expired, htmx requests get 401 (samverk.middleware):
// tell the user in one visible place instead of failing silently.
document.addEventListener("htmx:responseError", function (event) {
  var xhr = event.detail.xhr;
  if (!xhr || xhr.status !== 401) { return; }
  var region = document.getElementById("session-alert");
  if (!region) { return; }
  region.hidden = false;
});

// Idle timeout (common.middleware.SessionTimeoutMiddleware). Every request the page makes
// counts as activity on the server; a page left open makes none, so a warning is shown
// data-session-warning seconds before data-session-idle runs out, with a button that pings
// the keep-alive. Open meeting and plan pages ([data-keepalive-every]) ping it by themselves,
// but only after someone typed or clicked there since the last ping: a page nobody uses
// lets the session end.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-session-idle"), 10);
  var url = body.getAttribute("data-keepalive-url");
  if (!idle || !url) { return; }
  var warnBefore = parseInt(body.getAttribute("data-session-warning"), 10) || 0;
  var warning = document.getElementById("session-warning");
  var countdown = warning && warning.querySelector("[data-session-countdown]");
  var lastContact = Date.now();
  // Other tabs of the same session count too: the server sees their requests. (Not
  // localStorage: the plan page keeps only unsaved texts there.)
  var channel = window.BroadcastChannel ? new BroadcastChannel("samverk-session") : null;
  if (channel) {
    channel.onmessage = function (event) {
      if (typeof event.data === "number" && event.data > lastContact) {
        lastContact = event.data;
        if (warning) { warning.hidden = true; }
      }
    };
    channel.postMessage(lastContact); // this page's own load was a request
  }
  var activeSincePing = false;
  var expired = false;

  function contact() {
    lastContact = Date.now();
    if (channel) { channel.postMessage(lastContact); }
    if (warning) { warning.hidden = true; }
  }

  function showLoggedOut() {
    expired = true;
    if (warning) { warning.hidden = true; }
    var region = document.getElementById("session-alert");
    if (region) { region.hidden = false; }
  }

  function ping() {
    return fetch(url, {
      headers: { "HX-Request": "true" }, credentials: "same-origin", redirect: "manual",
    }).then(function (response) {
      if (response.status === 204) { contact(); } else { showLoggedOut(); }
    }, function () { /* offline: try again with the next activity */ });
  }

  function format(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    var left = m > 0 ? m + " min " + s + " s" : s + " s";
    var template = countdown.getAttribute("data-template") || "%(left)s";
    return template.replace("%(left)s", left);
  }

  // Any htmx request (autosave, a choice on the run page) reached the server.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status >= 200 && xhr.status < 400) { contact(); }
  });

  if (warning) {
    warning.querySelector("[data-session-continue]").addEventListener("click", function () {
      ping();
    });
  }

  ["keydown", "input", "click", "pointerdown"].forEach(function (name) {
    document.addEventListener(name, function () { activeSincePing = true; }, true);
  });

  // Meeting and plan pages: the htmx element (hx-trigger="keepalive") sends the ping, so
  // plan.js sees its answer as before.
  function startKeepalives() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-keepalive-every]"), keepalive);
  }
  // The run page's element comes after the scripts.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startKeepalives);
  } else {
    startKeepalives();
  }

  function keepalive(el) {
    var every = (parseInt(el.getAttribute("data-keepalive-every"), 10) || 300) * 1000;
    window.setInterval(function () {
      if (!activeSincePing || expired) { return; }
      activeSincePing = false;
      if (window.htmx) { window.htmx.trigger(el, "keepalive"); } else { ping(); }
    }, every);
  }

  window.setInterval(function () {
    if (expired) { return; }
    var left = Math.round((lastContact + idle * 1000 - Date.now()) / 1000);
    if (left <= 0) { showLoggedOut(); return; }
    if (warning && left <= warnBefore) {
      // Not every second: the alert is read out whenever its text changes.
      if (countdown && (warning.hidden || left % 30 === 0)) {
        countdown.textContent = format(left);
      }
      warning.hidden = false;
    } else if (warning) {
      warning.hidden = true;
    }
  }, 1000);
})();
