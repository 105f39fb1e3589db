"""Removing closed ärenden after the retention period (DESIGN: data protection).

Lives in the project package because it reaches across every app: an ärende's
meetings, participants, consents and their scanned documents, plans, audit
rows, and the outbox messages that name its participants.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from cases.enums import CaseStatus
from cases.models import Case
from consent.models import Consent
from meetings.models import Participant
from outbox.models import OutboundMessage


def expired_cases(*, today=None, days=None):
    today = today or timezone.localdate()
    days = settings.CASE_RETENTION_DAYS if days is None else days
    return Case.objects.filter(status=CaseStatus.CLOSED, closed_on__lt=today - timedelta(days=days))


def purge_closed_cases(*, today=None, days=None, dry_run=False) -> dict[str, int]:
    """Delete ärenden closed longer ago than the retention period, with everything about them.

    Returns counts per kind. Scanned consent documents are removed from storage
    after the rows are gone (a failed delete leaves a file, never a dangling row).
    """
    case_ids = list(expired_cases(today=today, days=days).values_list("pk", flat=True))
    participant_ids = list(
        Participant.objects.filter(meeting__case__in=case_ids).values_list("pk", flat=True)
    )
    documents = [
        name
        for name in Consent.objects.filter(case__in=case_ids)
        .exclude(document="")
        .values_list("document", flat=True)
    ]
    messages = OutboundMessage.objects.filter(
        related_type=ContentType.objects.get_for_model(Participant), related_id__in=participant_ids
    ) | OutboundMessage.objects.filter(
        related_type=ContentType.objects.get_for_model(Case), related_id__in=case_ids
    )
    counts = {"cases": len(case_ids), "messages": messages.count(), "documents": len(documents)}
    if dry_run or not case_ids:
        return counts
    with transaction.atomic():
        messages.delete()
        # Cascades to meetings, participants, plans, consents and the audit trail.
        Case.objects.filter(pk__in=case_ids).delete()
    storage = Consent._meta.get_field("document").storage
    for name in documents:
        storage.delete(name)
    return counts
