// Booking page: "Sök i listan" narrows the area's contact list to the people whose
// name, unit or party holds every typed word. A big area's list runs to hundreds of
// checkboxes; without JavaScript the whole list shows, as it does with an empty search.
// Ticked people always stay in view, so a choice is never hidden from the user.
(function () {
  var box = document.querySelector(".contact-filter");
  var input = document.getElementById("contact-filter");
  var count = document.getElementById("contact-filter-count");
  if (!box || !input || !count) { return; }
  var groups = Array.prototype.slice.call(document.querySelectorAll(".contact-group"));
  var people = groups.map(function (group) {
    var party = (group.dataset.party || "").toLocaleLowerCase("sv");
    return Array.prototype.slice.call(group.querySelectorAll(".contact-choice")).map(function (row) {
      return { row: row, box: row.querySelector("input"), text: party + " " + row.textContent.toLocaleLowerCase("sv") };
    });
  });
  var total = people.reduce(function (sum, rows) { return sum + rows.length; }, 0);

  function apply() {
    var words = input.value.toLocaleLowerCase("sv").split(/\s+/).filter(Boolean);
    var shown = 0;
    people.forEach(function (rows, index) {
      var visible = 0;
      rows.forEach(function (person) {
        var match = person.box.checked || words.every(function (word) { return person.text.indexOf(word) !== -1; });
        person.row.hidden = !match;
        if (match) { visible += 1; }
      });
      groups[index].hidden = visible === 0;
      shown += visible;
    });
    count.textContent = words.length ? count.dataset.template.replace("%(shown)s", shown.toLocaleString("sv-SE")).replace("%(total)s", total.toLocaleString("sv-SE")) : "";
  }

  box.hidden = false;
  input.addEventListener("input", apply);
  // Enter in the search field would submit the booking: keep it to the search.
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); }
  });
})();
