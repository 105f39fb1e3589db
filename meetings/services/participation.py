"""Who takes part in an ärende's meetings, as the access rule reads it.

An ärende opens to the people who take part in one of its meetings as themselves, until
CASE_PARTICIPANT_ACCESS_DAYS after the last such meeting (DESIGN: data protection). The
rule is checked on every ärende page, so it reads a table kept here,
``cases.CaseParticipation``, rather than the meetings: ``sync_participation`` recomputes
an ärende's rows, and every write that changes who takes part in its meetings, or when,
calls it in its own transaction.

Who counts, per meeting that is not cancelled (a cancelled meeting brings nobody
together, so it opens nothing; its convener and participants keep what their other
meetings give them):

- its convener;
- each participant not removed, of a kind that takes part for a party (staff, contact
  person, other person: a substitute, a walk-in): the user linked to them, or else the
  one active user whose e-mail address is theirs (any case). That covers a contact person
  or substitute who has an account and the handläggare a contact person named through
  their link. An address that no user, or more than one, has opens nothing. The
  individual, their support person and the interpreter take part for the individual,
  not as staff, and open nothing even with an account.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models.functions import Lower

from cases.models import Case
from cases.services import set_all_participations, set_participations
from parties.models import User

from ..enums import MeetingStatus, ParticipantKind
from ..models import Meeting, Participant

# Kinds of participant who take part for a party, and so as themselves.
TAKING_PART = (ParticipantKind.STAFF, ParticipantKind.CONTACT, ParticipantKind.EXTERNAL)


def users_by_email(emails) -> dict[str, int]:
    """{lower-case address: user id} for the addresses exactly one active user has."""
    emails = {e.lower() for e in emails if e}
    if not emails:
        return {}
    found = defaultdict(list)
    rows = (
        User.objects.filter(is_active=True)
        .annotate(address=Lower("email"))
        .filter(address__in=emails)
        .values_list("address", "pk")
    )
    for address, pk in rows:
        found[address].append(pk)
    return {address: pks[0] for address, pks in found.items() if len(pks) == 1}


def participation_by_case(meetings) -> dict[int, dict[int, tuple[datetime, int]]]:
    """{ärende id: {user id: (access until, the meeting that sets it)}} over ``meetings``
    (a Meeting queryset): each person's latest meeting end + CASE_PARTICIPANT_ACCESS_DAYS.
    Three queries, whatever the number of ärenden."""
    meetings = meetings.exclude(status=MeetingStatus.CANCELLED).order_by()
    people = Participant.objects.filter(
        meeting__in=meetings, removed_at__isnull=True, kind__in=TAKING_PART
    ).values_list(
        "meeting__case_id",
        "user_id",
        "email",
        "contact_person__email",
        "meeting_id",
        "meeting__ends_at",
    )
    # (ärende id, user id or lower-case address, meeting id, meeting end)
    seen: list[tuple[int, int | str, int, datetime]] = list(
        meetings.values_list("case_id", "convened_by_id", "pk", "ends_at")
    )
    for case_id, user_id, email, contact_email, meeting_id, ends_at in people.iterator():
        who = user_id or (email or contact_email or "").lower()
        if who:
            seen.append((case_id, who, meeting_id, ends_at))
    resolved = users_by_email(who for _c, who, _m, _e in seen if isinstance(who, str))
    latest: dict[int, dict[int, tuple[datetime, int]]] = defaultdict(dict)
    for case_id, who, meeting_id, ends_at in seen:
        user_id = resolved.get(who) if isinstance(who, str) else who
        if user_id is None:
            continue
        current = latest[case_id].get(user_id)
        if current is None or (ends_at, meeting_id) > current:
            latest[case_id][user_id] = (ends_at, meeting_id)
    days = timedelta(days=settings.CASE_PARTICIPANT_ACCESS_DAYS)
    return {
        case_id: {user_id: (ends_at + days, pk) for user_id, (ends_at, pk) in people.items()}
        for case_id, people in latest.items()
    }


def participation(case: Case) -> dict[int, tuple[datetime, int]]:
    """{user id: (access until, the meeting that sets it)} for one ärende."""
    return participation_by_case(Meeting.objects.filter(case=case)).get(case.pk, {})


def sync_participation(case: Case) -> None:
    """Recompute the ärende's CaseParticipation rows from its meetings. Call inside the
    transaction of the change, after it is saved."""
    set_participations(case=case, until_by_user=participation(case))


def rebuild_participation() -> int:
    """Recompute every ärende's rows at once (manage.py sync_participation; the bench's
    data set): after changes no write path saw, such as a user's new e-mail address or a
    new account for a contact person. Returns the number of rows."""
    return set_all_participations(participation_by_case(Meeting.objects.all()))
