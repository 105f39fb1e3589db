"""What the dashboard ("Översikt") lists for one user.

Each function is one query, whatever the amount of data: related rows come
with select_related, counts and checks as annotations.
"""

from datetime import datetime, timedelta

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from cases.enums import CaseStatus
from cases.models import Case

from ..enums import Answer, MeetingKind, MeetingStatus
from ..models import PLANNED_PREMEETING, Meeting, Participant
from .booking import FOLLOW_UP_DAYS

LIMIT = 10
RELATED = ("case", "convening_organisation", "room")
# What a dashboard line shows (meeting_tags.meeting_line): the ärende's other columns,
# the personnummer among them, stay in the database, and the rows convert in half the time.
LINE_FIELDS = (
    "kind",
    "status",
    "starts_at",
    "ends_at",
    "location",
    "remote_link",
    "case__first_name",
    "case__last_name",
    "room__name",
    "room__address",
    "convening_organisation__name",
)


def mark_can_open(user, *meeting_lists) -> None:
    """Set ``can_open`` on every listed meeting: may the user open its ärende (and so see
    the name)? One query for all the lists, rather than the whole access rule per row."""
    meetings = [meeting for meetings in meeting_lists for meeting in meetings]
    may_open = Case.objects.visible_among(user, {meeting.case_id for meeting in meetings})
    for meeting in meetings:
        meeting.can_open = meeting.case_id in may_open


def open_cases(user, *, limit: int = LIMIT) -> list[Case]:
    """ "Mina öppna ärenden": open ärenden the user owns, most recently changed first (and
    may open: an owner without a staff role opens none, as everywhere)."""
    cases = Case.objects.filter(owner=user, status=CaseStatus.OPEN)
    if not user.is_caseworker:
        # A handläggare opens every ärende they own (Case.is_visible_to); anyone else only
        # by the whole rule. Without it the rule's OR made SQLite scan every coordinator
        # link for each owned ärende: 21 → 0.8 ms in process (issue 20).
        cases = cases.filter(pk__in=Case.objects.visible_to(user).values("pk"))
    return list(cases.select_related("area").order_by("-updated_at", "-pk")[:limit])


def upcoming_meetings(user, *, now: datetime | None = None, limit: int = LIMIT) -> list[Meeting]:
    """ "Mina kommande möten": planned meetings not yet over (so one running now is still
    listed) that the user convened or takes part in as staff."""
    now = now or timezone.now()
    meetings = (
        Meeting.objects.for_user(user)
        .planned()
        # The lower bound on starts_at (the longest bookable meeting) lets the index bound the scan.
        .filter(ends_at__gt=now, starts_at__gt=now - timedelta(hours=8))
        .select_related(*RELATED)
        .only(*LINE_FIELDS)
        .order_by("starts_at", "pk")
    )
    return list(meetings[:limit])


def awaiting_answers(user, *, now: datetime | None = None, limit: int = LIMIT) -> list[Meeting]:
    """ "Väntar på svar": upcoming planned meetings the user convened where someone has not
    answered; ``unanswered`` is how many."""
    now = now or timezone.now()
    # Exists to pick the meetings and a count per shown meeting, not a GROUP BY over all
    # the convener's upcoming meetings: the index then yields them in order, ten and done.
    unanswered = Participant.objects.filter(meeting=OuterRef("pk"), answer=Answer.NONE)
    meetings = (
        Meeting.objects.filter(convened_by=user, status=MeetingStatus.PLANNED, starts_at__gte=now)
        .filter(Exists(unanswered))
        .annotate(
            unanswered=Subquery(
                unanswered.values("meeting").annotate(count=Count("pk")).values("count")
            )
        )
        .select_related(*RELATED)
        .only(*LINE_FIELDS)
        .order_by("starts_at", "pk")
    )
    return list(meetings[:limit])


def follow_up_booked():
    """Exists: a planned meeting with the individual in the same ärende, starting between
    the förmöte's start and FOLLOW_UP_DAYS days after it (both ends included)."""
    latest = ExpressionWrapper(
        OuterRef("starts_at") + timedelta(days=FOLLOW_UP_DAYS), output_field=DateTimeField()
    )
    return Exists(
        Meeting.objects.filter(
            case=OuterRef("case"),
            kind__in=MeetingKind.with_individual(),
            status=MeetingStatus.PLANNED,
            starts_at__gte=OuterRef("starts_at"),
            starts_at__lte=latest,
        )
    )


def premeetings_without_follow_up(user) -> QuerySet:
    """ "Förmöten utan samverkansmöte": planned förmöten in open ärenden that the user
    convened or whose ärende the user owns, with no meeting with the individual booked
    within FOLLOW_UP_DAYS days of the förmöte."""
    # The user's planned förmöten as a UNION of two index lookups (by convener; by the
    # owner's ärenden through a partial index). An OR, across the ärende join or inside
    # one subquery, made the database walk every planned förmöte of every user instead.
    planned = Meeting.objects.filter(PLANNED_PREMEETING).order_by()
    mine = (
        planned.filter(convened_by=user)
        .values("pk")
        .union(planned.filter(case__owner=user).values("pk"), all=True)
    )
    premeetings = (
        Meeting.objects.filter(pk__in=mine, case__status=CaseStatus.OPEN)
        .filter(~follow_up_booked())
        .select_related(*RELATED)
        .only(*LINE_FIELDS)
        .order_by("starts_at", "pk")
    )
    return premeetings
