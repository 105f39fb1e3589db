/* "Visa på storskärm" (issue 17): the same page in large type with only the plan and the
 * clock; the leader keeps editing in it. Without JavaScript the link reloads the page with
 * ?storskarm=1; with it the class is switched in place (nothing typed is interrupted). */
(function () {
  "use strict";
  var page = document.getElementById("run-page");
  var toggle = document.getElementById("present-toggle");
  if (!page || !toggle) return;
  toggle.setAttribute("role", "button");
  toggle.addEventListener("click", function (evt) {
    evt.preventDefault();
    var on = !page.classList.contains("run-present");
    page.classList.toggle("run-present", on);
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    toggle.textContent = on ? toggle.dataset.textOff : toggle.dataset.textOn;
    toggle.setAttribute("href", on ? "?" : "?storskarm=1");
    var url = new URL(window.location.href);
    if (on) url.searchParams.set("storskarm", "1"); else url.searchParams.delete("storskarm");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  });
  toggle.addEventListener("keydown", function (evt) {
    if (evt.key === " ") { evt.preventDefault(); toggle.click(); }
  });
})();
