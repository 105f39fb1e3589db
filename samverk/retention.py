"""Removing closed ärenden after the retention period (DESIGN: data protection).

Lives in the project package because it reaches across every app: an ärende's
meetings, participants, consents and their scanned documents, plans, audit
rows, and the outbox messages that name its participants.

This is the only way an ärende leaves the database: the admin refuses to delete one,
and the audit trail (CaseEvent) is append-only for the application, so its rows go here
and nowhere else. What is left is a PurgedCase per ärende: its number, area, when it
closed and was purged, and how many meetings and audit rows went with it. Nothing about
the individual.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from cases.enums import CaseStatus
from cases.models import Case, CaseEvent, PurgedCase
from consent.models import Consent
from meetings.models import Meeting, Participant
from outbox.models import OutboundMessage


def expired_cases(*, today=None, days=None):
    today = today or timezone.localdate()
    days = settings.CASE_RETENTION_DAYS if days is None else days
    return Case.objects.filter(status=CaseStatus.CLOSED, closed_on__lt=today - timedelta(days=days))


def _counts_by_case(queryset, field: str, case_ids) -> dict[int, int]:
    rows = queryset.filter(**{f"{field}__in": case_ids}).order_by().values(field)
    return {row[field]: row["n"] for row in rows.annotate(n=Count("pk"))}


def purge_closed_cases(*, today=None, days=None, dry_run=False) -> dict[str, int]:
    """Delete ärenden closed longer ago than the retention period, with everything about
    them, their audit rows included, and leave a PurgedCase tombstone for each.

    Returns counts per kind. Scanned consent documents are removed from storage
    after the rows are gone (a failed delete leaves a file, never a dangling row).
    """
    cases = list(expired_cases(today=today, days=days).values("pk", "area_id", "closed_on"))
    case_ids = [case["pk"] for case in cases]
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
        meetings = _counts_by_case(Meeting.objects, "case_id", case_ids)
        events = _counts_by_case(CaseEvent.objects, "case_id", case_ids)
        now = timezone.now()
        PurgedCase.objects.bulk_create(
            [
                PurgedCase(
                    case_ref=case["pk"],
                    area_id=case["area_id"],
                    closed_on=case["closed_on"],
                    purged_at=now,
                    meetings=meetings.get(case["pk"], 0),
                    events=events.get(case["pk"], 0),
                )
                for case in cases
            ]
        )
        messages.delete()
        # The audit rows do not cascade (they outlive an ärende deleted any other way):
        # the purge is where they go.
        CaseEvent.objects.filter(case_id__in=case_ids).delete()
        # Cascades to meetings, participants, plans, consents, participations and grants.
        Case.objects.filter(pk__in=case_ids).delete()
    storage = Consent._meta.get_field("document").storage
    for name in documents:
        storage.delete(name)
    return counts
