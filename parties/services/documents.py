"""Printable documents of the parties domain: the contact list as a PDF.

WeasyPrint is heavy to import and slow to run, so it is imported lazily and the
finished PDF is cached. The cache key is a hash of the HTML the PDF is made
from: any change that would show in the PDF (a contact, a unit's "vägen in",
a party's name, confirming the list, the print date, a new template) gives a
new key, and nothing has to remember to invalidate anything.
"""

import hashlib
import time
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
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


# ---------------------------------------------------------------------------
# Built by the worker (issue 20)
# ---------------------------------------------------------------------------

PDF_FOLDER = "kontaktlistor"


def build_contact_list_document(area_id: int) -> None:
    """The worker's build: render the list as it is now, store it under a random name,
    then drop the file it replaces. A change during the build enqueues the next one."""
    from ..models import ContactListPdf

    with transaction.atomic():
        document = ContactListPdf.objects.select_for_update().filter(area_id=area_id).first()
        if document is None:
            return
        generation = document.wanted
        started = timezone.now()
        ContactListPdf.objects.filter(pk=document.pk).update(queued=False, started_at=started)
    area = SamverkArea.objects.get(pk=area_id)
    clock = time.monotonic()
    pdf = render_contact_list_pdf(area)
    seconds = time.monotonic() - clock
    name = default_storage.save(f"{PDF_FOLDER}/{uuid.uuid4().hex}.pdf", ContentFile(pdf))
    with transaction.atomic():
        document = ContactListPdf.objects.select_for_update().get(pk=document.pk)
        old = document.file_name
        if generation < document.built:  # a later build finished first: keep its file
            default_storage.delete(name)
            return
        document.file_name, document.built = name, generation
        document.built_at, document.build_seconds = timezone.now(), seconds
        document.started_at = None
        document.save(
            update_fields=["file_name", "built", "built_at", "build_seconds", "started_at"]
        )
    if old and old != name:
        default_storage.delete(old)


def open_contact_list_pdf(document):
    """The stored file of the last build, or None when there is none (yet)."""
    if not document.file_name or not default_storage.exists(document.file_name):
        return None
    return default_storage.open(document.file_name, "rb")


def build_progress(document) -> int | None:
    """How far the running build has come, in percent, estimated from how long the last
    one took (WeasyPrint tells nothing on the way); None when there is nothing to go by."""
    if document.started_at is None or not document.build_seconds:
        return None
    elapsed = (timezone.now() - document.started_at).total_seconds()
    return max(1, min(95, round(100 * elapsed / document.build_seconds)))
