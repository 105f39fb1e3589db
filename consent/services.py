"""Consent rules: which parties current consent covers, recording and revoking."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from parties.models import Organisation

from .enums import ConsentAction
from .models import Consent


def covered_organisation_ids(case: Case, *, on: date, premeeting: bool = False) -> set[int]:
    """Ids of the parties that current consent covers on a day.

    For a förmöte only consent that also covers a meeting without the individual counts.
    """
    consents = Consent.objects.filter(case=case).current(on)
    if premeeting:
        consents = consents.filter(covers_premeeting=True)
    return set(consents.values_list("organisations", flat=True)) - {None}


def uncovered_parties(
    case: Case, organisations: Iterable[Organisation], *, on: date, premeeting: bool = False
) -> list[Organisation]:
    """The invited parties that no current consent covers on the meeting's day.

    The convening party itself needs consent too: the individual agrees to the
    sharing between all parties at the table.
    """
    covered = covered_organisation_ids(case, on=on, premeeting=premeeting)
    unique = {org.pk: org for org in organisations if org is not None}
    return sorted((org for pk, org in unique.items() if pk not in covered), key=lambda o: o.name)


def has_premeeting_consent(case: Case, *, on: date) -> bool:
    return Consent.objects.filter(case=case, covers_premeeting=True).current(on).exists()


@transaction.atomic
def record_consent(*, case: Case, user, organisations, **fields) -> Consent:
    """Save a consent record and log it on the ärende.

    Side effects: one Consent row, its organisations, one CaseEvent.
    """
    if not organisations:
        raise ValidationError(_("Välj minst en part som samtycket gäller."))
    if "given_on" in fields:
        check_given_on(fields["given_on"])
    consent = Consent.objects.create(case=case, recorded_by=user, **fields)
    consent.organisations.set(organisations)
    case.log(
        user,
        ConsentAction.RECORDED,
        consent=consent.pk,
        form=consent.form,
        organisations=sorted(o.pk for o in organisations),
    )
    return consent


@transaction.atomic
def revoke_consent(*, consent: Consent, user, reason: str) -> Consent:
    """Revoke at once; the record stays in the history.

    Side effects: sets revoked_at/by/reason, one CaseEvent.
    """
    if consent.is_revoked:
        raise ValidationError(_("Samtycket är redan återkallat."))
    if not reason.strip():
        raise ValidationError({"reason": _("Ange varför samtycket återkallas.")})
    consent.revoked_at = timezone.now()
    consent.revoked_by = user
    consent.revoked_reason = reason.strip()
    consent.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    consent.case.log(user, ConsentAction.REVOKED, consent=consent.pk)
    return consent


# --- who may record, and what a record may hold ------------------------------------------------

# Scanned consent forms: PDF, JPEG or PNG, recognised by their first bytes (never by the
# file name or the browser's content type). Values: stored extension, served content type.
DOCUMENT_SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
}
MAX_DOCUMENT_SIZE = 10 * 1024 * 1024


def can_record_consent(user) -> bool:
    """Record or revoke consent in an ärende the user may open: handläggare (not the
    administrator role by itself, which manages lists and settings, not ärenden)."""
    return user.is_authenticated and user.is_caseworker


def check_given_on(given_on: date, *, today: date | None = None) -> None:
    """A consent cannot have been given on a day that has not come yet."""
    if given_on > (today or timezone.localdate()):
        raise ValidationError({"given_on": _("Ett samtycke kan inte vara lämnat i framtiden.")})


def document_type(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) of a scanned document from its first bytes; None if not allowed."""
    for signature, kind in DOCUMENT_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


def check_document(upload) -> tuple[str, str]:
    """Refuse uploads over 10 MB or that are not PDF/JPEG/PNG by content; return the type.

    Leaves the file positioned at its start.
    """
    if upload.size > MAX_DOCUMENT_SIZE:
        size = MAX_DOCUMENT_SIZE // (1024 * 1024)
        message = _("Filen är för stor (högst %(size)s MB).") % {"size": size}
        raise ValidationError({"document": message})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = document_type(head)
    if kind is None:
        raise ValidationError({"document": _("Filen måste vara en PDF, JPEG eller PNG.")})
    return kind
