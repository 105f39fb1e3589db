/* The handlingsplan page: nothing typed is ever lost.
 *
 * htmx saves each field 800 ms after typing stops (see templates/plans/_field.html).
 * This file adds what htmx does not do by itself:
 * - every keystroke is also kept in localStorage (per plan and field) until the
 *   server confirms it, and unsaved text found on page load is offered back;
 * - a failed save (network gone, 5xx) says so and is retried with backoff;
 * - an expired session (401/403, or a redirect to the login page) keeps the text,
 *   asks the user to log in again in another tab, and saves once that is done;
 * - a 409 (someone else saved the field first) shows both texts with
 *   "Behåll min text" / "Använd den sparade";
 * - a refused save (400: e.g. over the field's limit; 413: more than the server reads at
 *   once) shows the server's reason beside the field and that the text is kept, and is
 *   not retried: the text stays in the field and in localStorage until a save succeeds.
 * Vendored with the app: no CDN, no build step.
 */
(function () {
  "use strict";
  var root = document.getElementById("plan");
  if (!root || !window.htmx) return;
  root.classList.add("plan-js");

  var planId = root.dataset.plan;
  var loginUrl = root.dataset.loginUrl;
  var msg = root.dataset;
  var pending = new Set();     // field keys with text the server has not confirmed
  var attempts = new Map();    // field key -> failed attempts in a row
  var timers = new Map();      // field key -> retry timer
  var loggedOut = false;

  function storeKey(key) { return "samverk:plan:" + planId + ":" + key; }
  function fieldFor(key) { return root.querySelector('[data-autosave="' + key + '"]'); }
  function statusFor(key) { return document.getElementById("status-" + key); }
  function versionInput(field) {
    return document.getElementById("version-" + field.dataset.versionKey);
  }
  function csrfFromCookie() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : null;
  }
  function setStatus(key, text, cls) {
    var el = statusFor(key);
    if (!el) return;
    el.textContent = "";
    var span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    el.appendChild(span);
    return el;
  }
  function updateGlobal() {
    var el = document.getElementById("plan-global-status");
    if (!el) return;
    el.textContent = pending.size ? msg.msgSaving : "";
  }
  var confirmed = new Map();  // key -> the text the server last confirmed
  function remember(field) {
    var key = field.dataset.autosave;
    var input = versionInput(field);
    try {
      localStorage.setItem(storeKey(key), JSON.stringify({
        text: field.value, version: input ? input.value : "0", at: Date.now()
      }));
    } catch (e) { /* storage full or disabled: the server save still runs */ }
    pending.add(key);
    updateGlobal();
  }
  function forget(key, sentValue) {
    if (sentValue !== undefined) confirmed.set(key, sentValue);
    try {
      var raw = localStorage.getItem(storeKey(key));
      var stored = raw && JSON.parse(raw);
      // Only the text the server has confirmed; newer typing stays until its own save.
      if (!stored || sentValue === undefined || stored.text === sentValue) {
        localStorage.removeItem(storeKey(key));
      }
    } catch (e) { /* ignore */ }
    var field = fieldFor(key);
    if (!field || sentValue === undefined || field.value === sentValue) pending.delete(key);
    attempts.delete(key);
    updateGlobal();
  }
  function retry(key, delay) {
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(function () {
      var field = fieldFor(key);
      if (field) htmx.trigger(field, "plan:retry");
    }, delay));
  }
  function retryWithBackoff(key) {
    var n = (attempts.get(key) || 0) + 1;
    attempts.set(key, n);
    retry(key, Math.min(30000, 1000 * Math.pow(2, n - 1)));
  }
  function retryAll() {
    pending.forEach(function (key) { retry(key, 0); });
  }
  function showLoggedOut() {
    loggedOut = true;
    var banner = document.getElementById("plan-banner");
    if (!banner || banner.dataset.shown) return;
    banner.dataset.shown = "1";
    banner.className = "alert alert-danger";
    banner.textContent = msg.msgLoggedOut + " ";
    var link = document.createElement("a");
    link.href = loginUrl;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = msg.msgLoginLink;
    banner.appendChild(link);
  }
  function clearLoggedOut() {
    if (!loggedOut) return;
    loggedOut = false;
    var banner = document.getElementById("plan-banner");
    if (banner) { banner.className = ""; banner.textContent = ""; delete banner.dataset.shown; }
    retryAll();
  }
  function isLoginRedirect(xhr) {
    return !!(xhr && xhr.responseURL && loginUrl && xhr.responseURL.indexOf(loginUrl) !== -1);
  }
  function sentValue(detail, key) {
    var cfg = detail.requestConfig;
    if (cfg && cfg.formData && cfg.formData.get) return cfg.formData.get(key);
    return undefined;
  }
  function autosaveKey(elt) { return elt && elt.dataset ? elt.dataset.autosave : undefined; }
  // The element that sent the request: in swap events detail.elt is the target instead.
  function sender(evt) {
    var d = evt.detail || {};
    return (d.requestConfig && d.requestConfig.elt) || d.elt || evt.target;
  }

  // The token rotates at login: read it fresh so saves work after logging in elsewhere.
  document.body.addEventListener("htmx:configRequest", function (evt) {
    var token = csrfFromCookie();
    if (token) evt.detail.headers["X-CSRFToken"] = token;
  });

  root.addEventListener("input", function (evt) {
    if (autosaveKey(evt.target)) remember(evt.target);
  });
  // Leaving a field fires "change" after its text is already saved: only a value that
  // differs from the last confirmed one is unsaved work.
  root.addEventListener("change", function (evt) {
    var key = autosaveKey(evt.target);
    if (!key) return;
    var base = confirmed.has(key) ? confirmed.get(key) : evt.target.defaultValue;
    if (evt.target.value !== base) remember(evt.target);
  });

  document.body.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr;
    var key = autosaveKey(sender(evt));
    var status = xhr.status;
    if (status === 401 || status === 403 || isLoginRedirect(xhr)) {
      evt.detail.shouldSwap = false;
      evt.detail.isError = false;
      showLoggedOut();
      if (key) {
        setStatus(key, msg.msgLoggedOut, "text-danger");
        retry(key, 15000);
      }
      return;
    }
    if (!key) return;
    if (status === 409 || status === 400 || status === 410 || status === 413) {
      // The server's answer (both texts, or why) goes beside the field; no retry.
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  // Refused (400, 413): the reason came from the server; add that nothing was lost.
  document.body.addEventListener("htmx:afterSwap", function (evt) {
    var xhr = evt.detail.xhr;
    var key = autosaveKey(sender(evt));
    if (!key || !xhr || (xhr.status !== 400 && xhr.status !== 413)) return;
    var el = statusFor(key);
    if (!el) return;
    var note = document.createElement("span");
    note.className = "text-danger d-block";
    note.setAttribute("data-refused", "");
    note.textContent = msg.msgRefused;
    el.appendChild(note);
  });

  document.body.addEventListener("htmx:afterRequest", function (evt) {
    var xhr = evt.detail.xhr;
    var elt = sender(evt);
    if (elt && elt.hasAttribute && elt.hasAttribute("data-keepalive")) {
      if (xhr && (xhr.status === 401 || xhr.status === 403 || isLoginRedirect(xhr))) showLoggedOut();
      else if (xhr && xhr.status >= 200 && xhr.status < 300) clearLoggedOut();
      return;
    }
    var key = autosaveKey(elt);
    if (!key || !xhr) return;
    if (xhr.status >= 200 && xhr.status < 300 && !isLoginRedirect(xhr)) {
      forget(key, sentValue(evt.detail, key));
      if (loggedOut) clearLoggedOut();
    }
  });

  function failed(evt) {
    var key = autosaveKey(sender(evt));
    if (!key) return;
    var status = evt.detail.xhr ? evt.detail.xhr.status : 0;
    if ([400, 401, 403, 409, 410, 413].indexOf(status) !== -1) return;
    setStatus(key, msg.msgFailed, "text-danger fw-semibold");
    retryWithBackoff(key);
  }
  document.body.addEventListener("htmx:sendError", failed);
  document.body.addEventListener("htmx:responseError", failed);
  document.body.addEventListener("htmx:timeout", failed);
  window.addEventListener("online", retryAll);
  window.addEventListener("focus", function () { if (loggedOut) retryAll(); });

  // Conflict: keep mine (send it again over the version now seen) or take theirs.
  root.addEventListener("click", function (evt) {
    var button = evt.target.closest("[data-resolve]");
    if (!button) return;
    var box = button.closest("[data-conflict]");
    var key = box.dataset.conflict;
    var field = fieldFor(key);
    if (!field) return;
    var input = versionInput(field);
    if (input) input.value = box.dataset.version;
    if (button.dataset.resolve === "theirs") {
      field.value = box.dataset.theirs;
      forget(key);
    } else {
      remember(field);
      htmx.trigger(field, "plan:retry");
    }
    box.remove();
    field.focus();
  });

  // Unsaved text left in this browser (closed tab, lost session) is offered back.
  function offerRestore(field) {
    var key = field.dataset.autosave;
    var stored;
    try { stored = JSON.parse(localStorage.getItem(storeKey(key)) || "null"); } catch (e) { stored = null; }
    if (!stored) return;
    if (stored.text === field.value) { localStorage.removeItem(storeKey(key)); return; }
    var status = statusFor(key);
    if (!status || status.querySelector("[data-restore]")) return;
    var box = document.createElement("div");
    box.className = "alert alert-info p-2 mt-2 mb-0";
    box.setAttribute("data-restore", "");
    var when = new Date(stored.at).toLocaleString("sv-SE");
    var p = document.createElement("p");
    p.className = "mb-1";
    p.textContent = msg.msgRestore.replace("%(time)s", when);
    var text = document.createElement("div");
    text.className = "way-in border rounded bg-white p-2 mb-2";
    text.textContent = stored.text;
    var yes = document.createElement("button");
    yes.type = "button"; yes.className = "btn btn-sm btn-primary me-2"; yes.textContent = msg.msgRestoreYes;
    var no = document.createElement("button");
    no.type = "button"; no.className = "btn btn-sm btn-outline-secondary"; no.textContent = msg.msgRestoreNo;
    yes.addEventListener("click", function () {
      field.value = stored.text;
      // Sent with the version it was written on: if the server moved on, a 409 shows both.
      var input = versionInput(field);
      if (input) input.value = stored.version;
      box.remove();
      remember(field);
      htmx.trigger(field, "plan:retry");
    });
    no.addEventListener("click", function () { box.remove(); forget(key); });
    box.append(p, text, yes, no);
    status.appendChild(box);
  }
  function scan(container) {
    container.querySelectorAll("[data-autosave]").forEach(offerRestore);
  }
  scan(root);

  // After settling, not swapping: htmx attaches the new inputs' autosave triggers as the
  // swap settles, and text typed into a row focused before that was never sent.
  document.body.addEventListener("htmx:afterSettle", function (evt) {
    var target = evt.detail.target;
    if (!target || !target.id || !/-section$/.test(target.id)) return;
    var section = document.getElementById(target.id);
    if (!section) return;
    scan(section);
    var focusKey = section.dataset.focus;
    if (focusKey) {
      var first = section.querySelector('[data-autosave^="' + focusKey + '-"]');
      if (first) first.focus();
    }
  });


  // Live: every few seconds ask what others saved (a conditional GET: 304 while nothing
  // changed). A field nobody is typing in here takes the saved text; one with unsaved
  // typing shows the conflict box at once, both texts side by side. Rows added, moved or
  // removed elsewhere come as the section re-read, unless someone types in it here.
  var changesUrl = root.dataset.changesUrl;
  var sectionUrl = root.dataset.sectionUrl;
  var pollEvery = parseInt(root.dataset.pollEvery || "3000", 10);
  var etag = null;
  var staleSections = new Set();
  var pollTimer = null;

  function savedBy(stamp) {
    if (!stamp || !stamp.at) return "";
    var at = new Date(stamp.at);
    var time = ("0" + at.getHours()).slice(-2) + ":" + ("0" + at.getMinutes()).slice(-2);
    return msg.msgSavedBy.replace("%(time)s", time).replace("%(name)s", stamp.by || "");
  }
  function readable(field, value) {
    if (value === "" || value === null || value === undefined) return "–";
    if (field.tagName === "SELECT") {
      var option = Array.prototype.find.call(field.options, function (o) { return o.value === value; });
      return option ? option.textContent : value;
    }
    return value;
  }
  function showLiveConflict(key, field, entry) {
    var status = statusFor(key);
    if (!status) return;
    var box = status.querySelector("[data-conflict]");
    if (box && box.dataset.version === String(entry.version)) return;
    status.textContent = "";
    box = document.createElement("div");
    box.className = "alert alert-warning p-2 mt-2 mb-0 plan-conflict";
    box.setAttribute("role", "alert");
    box.dataset.conflict = key;
    box.dataset.version = String(entry.version);
    box.dataset.theirs = entry.value;
    var p = document.createElement("p");
    p.className = "mb-2";
    var strong = document.createElement("strong");
    strong.textContent = msg.msgConflict;
    p.append(strong, " " + (savedBy(entry.saved) || ""));
    var row = document.createElement("div");
    row.className = "row g-2";
    [[msg.msgMine, field.value, "data-mine"], [msg.msgTheirs, readable(field, entry.value), "data-theirs-text"]]
      .forEach(function (part) {
        var col = document.createElement("div");
        col.className = "col-md-6";
        var h = document.createElement("h3");
        h.className = "h6 mb-1";
        h.textContent = part[0];
        var text = document.createElement("div");
        text.className = "way-in border rounded bg-white p-2";
        text.setAttribute(part[2], "");
        text.textContent = part[1];
        col.append(h, text);
        row.appendChild(col);
      });
    var buttons = document.createElement("div");
    buttons.className = "mt-2 d-flex flex-wrap gap-2";
    var keep = document.createElement("button");
    keep.type = "button"; keep.className = "btn btn-sm btn-primary"; keep.dataset.resolve = "mine";
    keep.textContent = msg.msgKeep;
    var use = document.createElement("button");
    use.type = "button"; use.className = "btn btn-sm btn-outline-secondary"; use.dataset.resolve = "theirs";
    use.textContent = msg.msgUse;
    buttons.append(keep, use);
    box.append(p, row, buttons);
    status.appendChild(box);
  }
  function showSaved(key, entry) {
    var el = setStatus(key, savedBy(entry.saved), "text-body-secondary");
    if (el && el.firstChild) el.firstChild.setAttribute("data-saved-by", "");
  }
  function applyField(key, entry) {
    var field = fieldFor(key);
    if (!field) return;
    var input = versionInput(field);
    var local = input ? parseInt(input.value || "0", 10) : 0;
    if (entry.version <= local) return;
    if (field.value === entry.value) {
      if (input) input.value = String(entry.version);
      confirmed.set(key, entry.value);
      if (!pending.has(key)) showSaved(key, entry);
      return;
    }
    if (pending.has(key)) { showLiveConflict(key, field, entry); return; }
    field.value = entry.value;
    if (field.tagName !== "SELECT") field.defaultValue = entry.value;
    confirmed.set(key, entry.value);
    if (input) input.value = String(entry.version);
    showSaved(key, entry);
    field.dispatchEvent(new Event("plan:updated", { bubbles: true }));
  }
  function rowIds(section, prefix) {
    return Array.prototype.map.call(
      section.querySelectorAll('[data-row^="' + prefix + '-"]'),
      function (el) { return el.dataset.row.slice(prefix.length + 1); }
    ).join(",");
  }
  function busyIn(section) {
    if (section.contains(document.activeElement) && document.activeElement.matches("[data-autosave]")) {
      var key = document.activeElement.dataset.autosave;
      if (pending.has(key)) return true;
    }
    var busy = false;
    pending.forEach(function (key) { if (section.querySelector('[data-autosave="' + key + '"]')) busy = true; });
    return busy;
  }
  function refreshSections() {
    staleSections.forEach(function (name) {
      var section = document.getElementById(name + "-section");
      if (!section) { staleSections.delete(name); return; }
      if (busyIn(section)) return;  // later, when the typing here is saved
      staleSections.delete(name);
      // Fetched and put in place here (htmx.ajax sets an inline style, which the CSP refuses).
      fetch(sectionUrl.replace("SECTION", name), { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          var current = document.getElementById(name + "-section");
          if (!html || !current || busyIn(current)) { staleSections.add(name); return; }
          var template = document.createElement("template");
          template.innerHTML = html.trim();
          var fresh = template.content.querySelector("#" + name + "-section");
          if (!fresh) return;
          current.replaceWith(fresh);
          htmx.process(fresh);
          scan(fresh);
        })
        .catch(function () { staleSections.add(name); });
    });
  }
  function applyState(state) {
    Object.keys(state.fields).forEach(function (key) { applyField(key, state.fields[key]); });
    [["goals", "goal"], ["actions", "action"]].forEach(function (pair) {
      var section = document.getElementById(pair[0] + "-section");
      if (!section) return;
      var have = rowIds(section, pair[1]).split(",").filter(Boolean).sort().join(",");
      var want = state[pair[0]].map(String).sort().join(",");
      if (have !== want || rowIds(section, pair[1]) !== state[pair[0]].join(",")) staleSections.add(pair[0]);
    });
    refreshSections();
  }
  function schedule() {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(poll, pollEvery);
  }
  function poll() {
    if (!changesUrl || loggedOut || document.hidden) { schedule(); return; }
    var headers = { "X-Requested-With": "fetch" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(changesUrl, { headers: headers, credentials: "same-origin", cache: "no-store", redirect: "manual" })
      .then(function (response) {
        if (response.status === 200) {
          etag = response.headers.get("ETag");
          return response.json().then(applyState);
        }
        if (response.status === 304) refreshSections();
      })
      .catch(function () { /* offline: the next poll tries again */ })
      .then(schedule);
  }
  if (changesUrl) {
    document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
    poll();
  }

  // Fastställ only what the server has: wait for the last saves first.
  document.querySelectorAll("form[data-freeze]").forEach(function (form) {
    form.addEventListener("submit", function (evt) {
      if (pending.size) {
        evt.preventDefault();
        var el = document.getElementById("plan-global-status");
        if (el) el.textContent = msg.msgWait;
        retryAll();
      }
    });
  });

  window.addEventListener("beforeunload", function (evt) {
    if (pending.size) { evt.preventDefault(); evt.returnValue = ""; }
  });
})();
