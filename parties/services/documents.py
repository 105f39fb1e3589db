"""Printable documents of the parties domain: the contact list as a PDF.

WeasyPrint is heavy to import and slow to run, so it is imported lazily and the
finished PDF is cached. The cache key is a hash of the HTML the PDF is made
from: any change that would show in the PDF (a contact, a unit's "vägen in",
a party's name, confirming the list, the print date, a new template) gives a
new key, and nothing has to remember to invalidate anything.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from common.pdf import html_to_pdf

from ..models import ContactPerson, Organisation, SamverkArea, Unit

CONTACT_LIST_TEMPLATE = "parties/pdf/contact_list.html"
# Old keys simply expire: the print date is part of the HTML, so keys change daily anyway.
PDF_CACHE_TIMEOUT = 24 * 60 * 60


@dataclass
class PartyGroup:
    """One party's active contacts on the list, and the units they work at."""

    organisation: Organisation
    contacts: list[ContactPerson] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)

    @property
    def units_with_way_in(self) -> list[Unit]:
        return [unit for unit in self.units if unit.way_in or unit.phone or unit.email]


def contact_list_groups(area: SamverkArea) -> list[PartyGroup]:
    """The area's active contacts grouped by party, in one query."""
    contacts = (
        ContactPerson.objects.filter(area=area, is_active=True)
        .select_related("organisation", "unit")
        .order_by(
            "organisation__name",
            "organisation_id",
            F("unit__name").asc(nulls_last=True),
            "name",
            "pk",
        )
    )
    groups: list[PartyGroup] = []
    for contact in contacts:
        if not groups or groups[-1].organisation.pk != contact.organisation_id:
            groups.append(PartyGroup(organisation=contact.organisation))
            seen_units = set()
        group = groups[-1]
        local, at, domain = contact.email.rpartition("@")
        # Printed with a <wbr> between: a long address wraps before the @, not mid-word.
        contact.email_parts = (local, at + domain) if at else (contact.email, "")
        group.contacts.append(contact)
        if contact.unit is not None and contact.unit_id not in seen_units:
            seen_units.add(contact.unit_id)
            group.units.append(contact.unit)
    return groups


def contact_list_html(area: SamverkArea) -> str:
    groups = contact_list_groups(area)
    return render_to_string(
        CONTACT_LIST_TEMPLATE,
        {
            "area": area,
            "groups": groups,
            "contact_count": sum(len(group.contacts) for group in groups),
            "printed_on": timezone.localdate(),
        },
    )


def render_contact_list_pdf(area: SamverkArea) -> bytes:
    """ "Kontaktlista Samverk <område>": the active contacts, by party, as an A4 PDF."""
    return html_to_pdf(contact_list_html(area))


def contact_list_pdf(area: SamverkArea) -> bytes:
    """The contact list PDF, from the cache when nothing on it has changed."""
    html = contact_list_html(area)
    digest = hashlib.sha256(html.encode()).hexdigest()
    key = f"parties:contact_list_pdf:{area.pk}:{digest}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = html_to_pdf(html)
        cache.set(key, pdf, PDF_CACHE_TIMEOUT)
    return pdf
