/* A character counter under every text field with a limit, shown near the limit.
 *
 * Fields say their limit with maxlength (the forms: common/forms.py sets it on every text
 * field) or data-maxlength (the plan page, where the browser must not cut a paste off:
 * the server refuses and the text stays). From 80 % of the limit the counter shows
 * "1 234 av 4 000 tecken"; over it, how many are too many. The texts come from <body>'s
 * data attributes (templates/base.html), in Swedish. Fields added later (htmx) are
 * counted as they are typed in. No inline script: a Content-Security-Policy will forbid it.
 */
(function () {
  "use strict";
  var SHOW_FROM = 0.8;
  var texts = document.body.dataset;
  var counted = 0;

  function limitOf(field) {
    var raw = field.getAttribute("data-maxlength") || field.getAttribute("maxlength");
    var limit = parseInt(raw, 10);
    return limit > 0 ? limit : 0;
  }
  function number(n) {
    return n.toLocaleString("sv-SE");
  }
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, name) { return values[name]; });
  }
  function counterFor(field) {
    var id = field.getAttribute("data-counter");
    if (id) return document.getElementById(id);
    counted += 1;
    id = "tecken-" + counted;
    var counter = document.createElement("div");
    counter.id = id;
    counter.className = "form-text char-counter";
    counter.hidden = true;
    field.setAttribute("data-counter", id);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described ? described + " " + id : id);
    field.insertAdjacentElement("afterend", counter);
    return counter;
  }
  function update(field) {
    var limit = limitOf(field);
    if (!limit || field.type === "hidden") return;
    var length = field.value.length;
    if (length < limit * SHOW_FROM && !field.getAttribute("data-counter")) return;
    var counter = counterFor(field);
    if (!counter) return;
    counter.hidden = length < limit * SHOW_FROM;
    var over = length > limit;
    counter.classList.toggle("text-danger", over);
    counter.classList.toggle("fw-semibold", over);
    // Said aloud only when it matters: going over the limit.
    if (over) counter.setAttribute("role", "status");
    else counter.removeAttribute("role");
    counter.textContent = over
      ? fill(texts.msgCounterOver, { over: number(length - limit), limit: number(limit) })
      : fill(texts.msgCounter, { count: number(length), limit: number(limit) });
  }
  function isCounted(el) {
    return el && (el.tagName === "TEXTAREA" || el.tagName === "INPUT") && limitOf(el);
  }
  function scan(root) {
    root.querySelectorAll("textarea[maxlength], input[maxlength], [data-maxlength]")
      .forEach(update);
  }

  document.addEventListener("input", function (evt) {
    if (isCounted(evt.target)) update(evt.target);
  });
  document.body.addEventListener("htmx:afterSettle", function (evt) {
    if (evt.detail && evt.detail.target) scan(evt.detail.target);
  });
  scan(document);
})();
