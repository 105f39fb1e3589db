// Booking and "Föreslå tider" pages: the contact search. The page offers the suggested
// contacts as checkboxes; "Sök i listan" asks the server for others (htmx, hx-get on the
// field, templates/meetings/_participant_contacts.html), and the people ticked among the
// hits stay when the search changes. Without JavaScript the "Sök" button posts the form,
// which comes back as typed with the hits. With it the button goes, so that Enter in the
// form's other fields still books ("Boka mötet" is the form's first submit button again),
// and Enter in the search field searches instead of sending the booking.
(function () {
  var input = document.getElementById("contact-search");
  if (!input) { return; }
  var button = document.querySelector(".contact-search-button");
  if (button) { button.remove(); }
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      if (window.htmx) { window.htmx.trigger(input, "search"); }
    }
  });
})();
