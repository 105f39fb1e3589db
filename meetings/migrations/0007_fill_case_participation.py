"""Fill cases.CaseParticipation from the meetings there are, by the rule of
meetings.services.participation (written out here: a migration must not change when that
module does), so today's participants keep their access as participants.

Nobody gains access: a row is made only for a user who could open the ärende under the
rule being replaced (its owner, staff of an involved party, its area's coordinator, an
administrator). A participant whose address now resolves to some unrelated user gets
nothing until a change of the ärende's meetings recomputes its rows.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.db.models.functions import Lower

TAKING_PART = ("staff", "contact", "external")


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseParticipation = apps.get_model("cases", "CaseParticipation")
    Meeting = apps.get_model("meetings", "Meeting")
    Participant = apps.get_model("meetings", "Participant")
    User = apps.get_model("parties", "User")
    days = timedelta(days=settings.CASE_PARTICIPANT_ACCESS_DAYS)

    addresses = defaultdict(list)
    for address, pk in (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .annotate(address=Lower("email"))
        .values_list("address", "pk")
    ):
        addresses[address].append(pk)
    by_email = {address: pks[0] for address, pks in addresses.items() if len(pks) == 1}

    users = {
        u["pk"]: u
        for u in User.objects.values(
            "pk", "organisation_id", "is_active", "is_administrator", "is_superuser"
        )
    }
    coordinated = defaultdict(set)
    for user_id, area_id in User.coordinated_areas.through.objects.values_list(
        "user_id", "samverkarea_id"
    ):
        coordinated[user_id].add(area_id)
    involved = defaultdict(set)
    for case_id, organisation_id in Case.involved_organisations.through.objects.values_list(
        "case_id", "organisation_id"
    ):
        involved[case_id].add(organisation_id)
    cases = {c["pk"]: c for c in Case.objects.values("pk", "owner_id", "area_id")}

    def could_open(user_id, case_id):
        user, case = users.get(user_id), cases[case_id]
        if user is None:
            return False
        return (
            (user["is_active"] and (user["is_administrator"] or user["is_superuser"]))
            or case["owner_id"] == user_id
            or user["organisation_id"] in involved[case_id]
            or case["area_id"] in coordinated[user_id]
        )

    latest = {}  # (case id, user id) -> (meeting end, meeting id)

    def seen(case_id, user_id, ends_at, meeting_id):
        if user_id is None or not could_open(user_id, case_id):
            return
        key = (case_id, user_id)
        if key not in latest or (ends_at, meeting_id) > latest[key]:
            latest[key] = (ends_at, meeting_id)

    meetings = Meeting.objects.exclude(status="cancelled")
    for pk, case_id, convener, ends_at in meetings.values_list(
        "pk", "case_id", "convened_by_id", "ends_at"
    ).iterator():
        seen(case_id, convener, ends_at, pk)
    people = Participant.objects.filter(
        meeting__in=meetings, removed_at__isnull=True, kind__in=TAKING_PART
    ).values_list(
        "meeting__case_id", "user_id", "email", "contact_person__email", "meeting_id",
        "meeting__ends_at",
    )
    for case_id, user_id, email, contact_email, meeting_id, ends_at in people.iterator():
        if user_id is None:
            user_id = by_email.get((email or contact_email or "").lower())
        seen(case_id, user_id, ends_at, meeting_id)

    CaseParticipation.objects.bulk_create(
        (
            CaseParticipation(
                case_id=case_id, user_id=user_id, until=ends_at + days, meeting_ref=meeting_id
            )
            for (case_id, user_id), (ends_at, meeting_id) in latest.items()
        ),
        batch_size=1000,
    )


def empty(apps, schema_editor):
    apps.get_model("cases", "CaseParticipation").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_participation_meeting"),
        ("meetings", "0006_premeeting_convener_index"),
        ("parties", "0002_contact_import"),
    ]

    operations = [migrations.RunPython(fill, empty)]
