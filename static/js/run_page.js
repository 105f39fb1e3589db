// "Genomför mötet": a choice must not be lost when an answer replaces the control it was made in.
//
// Every change on the page waits in one queue (hx-sync on #run-board), and the answers leave
// the controls in place (the checklist's answer only updates its error message; a row and the
// roles keep their form with hx-preserve). One answer cannot: a change of attendance sends the
// roles anew (out of band), because who can be chosen has changed. A role chosen while that
// change was on its way is still waiting in the queue, and htmx silently drops a waiting
// request whose element has left the page. So a choice is remembered until its request is
// sent; if its control is replaced first, the choice is made again in the new control, which
// sends it. A choice the new control no longer offers (the person left the meeting) is not.
(function () {
  "use strict";
  var board = document.getElementById("run-board");
  if (!board) { return; }
  var unsent = new Map(); // id of a changed control -> {control, value}

  function valueOf(control) {
    return control.type === "checkbox" ? control.checked : control.value;
  }

  function offers(control, value) {
    if (control.type === "checkbox") { return true; }
    return Array.prototype.some.call(control.options || [], function (option) {
      return option.value === value && !option.disabled;
    });
  }

  board.addEventListener("change", function (event) {
    var control = event.target;
    if (control.id && control.closest("[hx-post]")) {
      unsent.set(control.id, { control: control, value: valueOf(control) });
    }
  });

  // A request carries the values of its element and, being a POST, of the element's form.
  board.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail.elt;
    var form = source.closest("form");
    unsent.forEach(function (entry, id) {
      if (entry.control === source || (form && form.contains(entry.control))) {
        unsent.delete(id);
      }
    });
  });

  function send(id) {
    var control = document.getElementById(id);
    if (!control) { return; }
    // Another answer may have replaced it again since: make sure htmx listens to it
    // (processing what htmx already set up does nothing).
    if (window.htmx) { window.htmx.process(control.closest("[hx-post]")); }
    control.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // After the settle htmx has set up the new content, so a change event there is sent.
  // (The event comes once for each settled element; the first does the work.)
  document.addEventListener("htmx:afterSettle", function () {
    unsent.forEach(function (entry, id) {
      if (board.contains(entry.control)) { return; } // still on the page: its request will go
      unsent.delete(id);
      var control = document.getElementById(id);
      if (!control || valueOf(control) === entry.value || !offers(control, entry.value)) {
        return;
      }
      if (control.type === "checkbox") {
        control.checked = entry.value;
      } else {
        control.value = entry.value;
      }
      // Sent in a task of its own: htmx is still handling the answer here and would queue the
      // request behind the one it drops, and a dropped request does not move the queue on.
      window.setTimeout(send, 0, id);
    });
  });
})();
