"""The booking page's contact checkboxes, built in Python: the page's hot path.

An area's contact list can run to a thousand people; rendered by the template engine,
one checkbox row at a time, they took 80 of the booking page's 185 ms with 1,133 people
on the bench data. Here one format string per person, the label translated once. The
fieldset around them, its filter box and the empty-list message stay in
templates/meetings/book.html. Every value is escaped as {{ value }} would (html.escape
is what django.utils.html.escape calls).
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def contact_choices(groups) -> SafeString:
    """``groups``: (party name, [person dicts of BookingForm.contact_groups]) pairs."""
    badge = f' <span class="badge text-bg-info">{escape(_("Samverk-kontakt"))}</span>'
    parts = []
    for party, people in groups:
        party = escape(party)
        parts.append(
            f'<fieldset class="mb-2 contact-group" data-party="{party}">\n'
            f'<legend class="fs-6 fw-semibold mb-1">{party}</legend>\n'
        )
        for c in people:
            pk = c["pk"]
            checked = " checked" if c["checked"] else ""
            unit = f", {escape(c['unit'])}" if c["unit"] else ""
            parts.append(
                '<div class="form-check contact-choice">'
                '<input class="form-check-input" type="checkbox" name="contacts"'
                f' value="{pk}" id="contact-{pk}"{checked}>'
                f' <label class="form-check-label" for="contact-{pk}">'
                f"{escape(c['name'])}{unit}{badge if c['is_contact'] else ''}</label></div>\n"
            )
        parts.append("</fieldset>\n")
    return mark_safe("".join(parts))
