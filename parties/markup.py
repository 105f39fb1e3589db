"""The contact list's table, built in Python: the page's hot path.

Rendered by the template engine, the 50 rows of the coordinator's list were most of the
page's time; here one format string per row, with the page's total taken from the rows'
own query. The table around the rows stays in templates/parties/contact_list.html.
"""

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from common.markup import DateWords, esc, pk_url_builder

from .models import is_stale


class CountInPageQueryPaginator(Paginator):
    """Takes the list's total from the page's own query instead of a separate COUNT.

    The object list must be a values() queryset whose rows carry ``total`` (a window
    COUNT(*) OVER ()): the page query sorts the whole filtered list anyway, so counting it
    there is nearly free and saves a round trip. An empty page (an empty list, or a page
    number past the end) falls back to Paginator's own COUNT, so "Sida x av y" and the 404
    past the last page behave as before. Orphans are not supported.
    """

    # No list is this long; past it the offset would not fit the database's integer (a 500 on
    # ?page=99999999999999999999): Paginator's own COUNT then says the page does not exist.
    LARGEST_OFFSET = 2**62

    def page(self, number):
        if (
            "count" not in self.__dict__
            and isinstance(number, int)
            and 1 <= number <= self.LARGEST_OFFSET // self.per_page
        ):
            bottom = (number - 1) * self.per_page
            rows = list(self.object_list[bottom : bottom + self.per_page])
            if rows:
                self.count = rows[0]["total"]  # fills the cached_property
                return self._get_page(rows, self.validate_number(number), self)
        return super().page(number)


class ContactRowMarkup:
    """The contact table's body rows, one format string filled per row.

    Rendered by the template engine one variable at a time, the 50 rows were most of the
    page's time (about 20 variables and conditions each). The table around them (caption,
    header, the "no match" row) and the one form the row buttons post with stay in
    templates/parties/contact_list.html. Every value is escaped as {{ value }} would
    (common.markup.esc, the one escaping helper). The labels are translated once
    per request; nothing is kept between requests.
    """

    def __init__(self, *, area, can_edit: bool):
        self.can_edit = can_edit
        self.today = timezone.localdate()
        self.long_date = DateWords().long_date
        self.edit_url = pk_url_builder("parties:contact_update", area.slug)
        self.set_active_url = pk_url_builder("parties:contact_set_active", area.slug)
        self.samverk_badge = f' <span class="badge text-bg-info">{esc(_("Samverk-kontakt"))}</span>'
        self.inactive_badge = f' <span class="badge text-bg-secondary">{esc(_("Inaktiv"))}</span>'
        self.stale_badge = (
            f' <span class="badge text-bg-warning">{esc(_("Inte bekräftad på 6 månader"))}</span>'
        )
        self.stale_class = ' class="table-stale"'
        self.never = esc(_("aldrig"))
        self.edit = esc(_("Ändra"))
        self.deactivate = esc(_("Inaktivera"))
        self.activate = esc(_("Aktivera"))

    def rows(self, contacts) -> SafeString:
        """All rows; `contacts` are dicts with views.contacts.ContactListView.ROW_FIELDS and the
        organisation and unit names."""
        return mark_safe("".join(self.row(contact) for contact in contacts))

    def row(self, c: dict) -> str:
        name = esc(c["name"])
        confirmed_on = c["last_confirmed_on"]
        stale = is_stale(confirmed_on, self.today)  # the rule stays in models.is_stale
        if confirmed_on is None:
            confirmed = self.never
        else:
            iso, text = confirmed_on.isoformat(), self.long_date(confirmed_on)
            confirmed = f'<time datetime="{iso}">{text}</time>'
        if stale:
            confirmed += self.stale_badge
        phone = c["phone"]
        phone = f'<a href="tel:{esc(phone.replace(" ", ""))}">{esc(phone)}</a>' if phone else "–"
        email = esc(c["email"])
        return (
            f"<tr{self.stale_class if stale else ''}>"
            f'<th scope="row">{name}'
            f"{self.samverk_badge if c['is_samverk_contact'] else ''}"
            f"{'' if c['is_active'] else self.inactive_badge}</th>"
            f"<td>{esc(c['organisation_name'])}</td>"
            f"<td>{esc(c['unit_name'] or '–')}</td>"
            f"<td>{esc(c['title'] or '–')}</td>"
            f"<td>{phone}</td>"
            f'<td><a href="mailto:{email}">{email}</a></td>'
            f"<td>{confirmed}</td>"
            f"{self.actions(c, name) if self.can_edit else ''}</tr>\n"
        )

    def actions(self, c: dict, name: str) -> str:
        """Ändra, and Inaktivera/Aktivera posting active=0/1 with the page's one CSRF form
        (form="contact-active-form") to this person's address (formaction)."""
        hidden_name = f'<span class="visually-hidden"> {name}</span>'
        if c["is_active"]:
            value, css, label = "0", "btn-outline-danger", self.deactivate
        else:
            value, css, label = "1", "btn-outline-success", self.activate
        return (
            '<td class="text-nowrap">'
            f'<a class="btn btn-sm btn-outline-primary" href="{self.edit_url(c["pk"])}">'
            f"{self.edit}{hidden_name}</a> "
            f'<button type="submit" form="contact-active-form"'
            f' formaction="{self.set_active_url(c["pk"])}" name="active" value="{value}"'
            f' class="btn btn-sm {css}">{label}{hidden_name}</button></td>'
        )
