"""Statistics for the styrgrupp (issue 19): counts over an area's (or all Höglandet's)
meetings in a period, aggregated in SQL. No names, no ärende ids: tables of counts.

Small-count rule: a count of 1 or 2 in a table broken down by party or by month is shown
as "<3" (0 stays 0: nothing to identify); totals and the tables by meeting kind show the
number itself. ``Table`` carries the numbers; ``shown`` applies the rule."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Window
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Lead
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseEvent
from groups.enums import CancelReason, GroupMeetingStatus
from groups.models import GroupAttendee, GroupMeeting
from meetings.enums import Attendance, MeetingKind, MeetingStatus
from meetings.models import Meeting, Participant
from plans.enums import PlanAction
from plans.models import Action, PlanVersion

from .deviations import compilation
from .periods import MONTHS
from .sql import Seconds, WholeDays, median_of

DISTRIBUTED = PlanAction.DISTRIBUTED

SMALL = 3
LEAD_TIME = timedelta(weeks=3)
LENGTH = timedelta(hours=1)
FOLLOWED_WITHIN = timedelta(days=14)


@dataclass
class Table:
    """One table of the page (and of the exports): a title, column headings, rows of a
    label and counts; ``small`` marks a table broken down by party or month."""

    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    small: bool = False

    def shown(self):
        """The rows as the page shows them: the small-count rule applied."""
        return [[row[0], *(shown_count(n, self.small) for n in row[1:])] for row in self.rows]


def shown_count(value, small: bool):
    if small and isinstance(value, int) and 0 < value < SMALL:
        return "<3"
    return value


def bounds(start, end):
    """[start 00:00, the day after end 00:00) in local time: the index on starts_at serves."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def meetings_in(areas, start, end):
    """The period's meetings of ``areas`` (None: all Höglandet, no filter on the area: every
    ärende has one)."""
    low, high = bounds(start, end)
    meetings = Meeting.objects.filter(starts_at__gte=low, starts_at__lt=high)
    if areas is None:
        return meetings
    # As a subquery of the areas' ärenden, not a join: SQLite then walks the index on
    # (case, starts_at) per ärende instead of every meeting of the period (5x faster).
    return meetings.filter(case__in=Case.objects.filter(area__in=areas))


def month_label(value) -> str:
    return f"{MONTHS[value.month - 1]} {value.year}"


def month_ranges(start, end) -> list[tuple]:
    """The months of [start, end]: (first day, low, high) in local time, for range counts
    the index on starts_at serves (no per-row month function)."""
    months, day = [], start.replace(day=1)
    while day <= end:
        following = (day + timedelta(days=32)).replace(day=1)
        low, high = bounds(max(day, start), min(following - timedelta(days=1), end))
        months.append((day, low, high))
        day = following
    return months


# Meetings after which a follow-up is expected (not the förmöte, which has its own
# measure, nor the avslutningsmöte, which ends the collaboration).
FOLLOWED_KINDS = [
    MeetingKind.COLLABORATION,
    MeetingKind.SIP,
    MeetingKind.CHECKPOINT,
    MeetingKind.HANDOVER,
]
MEASURES = [
    "held",
    "cancelled",
    "within_hour",
    "over_hour",
    "invited",
    "lead_ok",
    "to_follow",
]


def meeting_counts(meetings, start, end, *, now=None) -> dict:
    """What is counted over the period's meetings: one query grouped by kind and convening
    party with a conditional count per measure and per month (the tables sum its rows),
    and one count each for the individuals, the followed förmöten and the booked
    follow-ups. {"months": [first days], "rows": [{"kind", "party", measures…, "m0", …}],
    "individuals", "followed", "follow_up_booked"}."""
    now = now or timezone.now()
    months = month_ranges(start, end)
    held = Q(status=MeetingStatus.PLANNED)
    per_month = {
        f"m{i}": Count("pk", filter=held & Q(starts_at__gte=low, starts_at__lt=high))
        for i, (_day, low, high) in enumerate(months)
    }
    followed = Meeting.objects.filter(
        premeeting=OuterRef("pk"),
        status=MeetingStatus.PLANNED,
        kind=MeetingKind.COLLABORATION,
    ).alias(gap=Seconds(F("starts_at"), OuterRef("starts_at")))
    past_followed_kind = held & Q(kind__in=FOLLOWED_KINDS, starts_at__lt=now)
    rows = (
        meetings.alias(
            length=Seconds(F("ends_at"), F("starts_at")),
            lead=Seconds(F("starts_at"), F("invitations_sent_at")),
        )
        .values("kind", party=F("convening_organisation__name"))
        .annotate(
            held=Count("pk", filter=held),
            cancelled=Count("pk", filter=Q(status=MeetingStatus.CANCELLED)),
            within_hour=Count("pk", filter=held & Q(length__lte=LENGTH.total_seconds())),
            over_hour=Count("pk", filter=held & Q(length__gt=LENGTH.total_seconds())),
            invited=Count("pk", filter=held & Q(invitations_sent_at__isnull=False)),
            lead_ok=Count("pk", filter=held & Q(lead__gte=LEAD_TIME.total_seconds())),
            to_follow=Count("pk", filter=past_followed_kind),
            **per_month,
        )
        .order_by()
    )
    if connection.vendor == "postgresql":
        individuals = meetings.filter(held).aggregate(n=Count("case", distinct=True))["n"]
    else:
        # SQLite: the ärenden probed through the index on (case, starts_at) are 2-7x
        # faster than its COUNT(DISTINCT) over every meeting (PostgreSQL: the reverse).
        individuals = Case.objects.filter(
            Exists(meetings.filter(held, case=OuterRef("pk")).values("pk"))
        ).count()
    # The two measures that look at other meetings: counted in WHERE EXISTS, which both
    # databases run far faster than an EXISTS inside a conditional COUNT.
    followed_count = (
        meetings.filter(held, kind=MeetingKind.PREMEETING)
        .filter(Exists(followed.filter(gap__lte=FOLLOWED_WITHIN.total_seconds())))
        .count()
    )
    booked_count = follow_ups_booked(meetings, start, end, now=now)
    return {
        "months": [day for day, _l, _h in months],
        "rows": list(rows),
        "individuals": individuals,
        "followed": followed_count,
        "follow_up_booked": booked_count,
    }


def follow_ups_booked(meetings, start, end, *, now) -> int:
    """Held meetings of FOLLOWED_KINDS in the period, already past, after which the ärende
    has a later planned meeting that is not a förmöte (in the period or after it).

    One pass with a window: the planned non-förmöten from the period's start on of the
    ärenden met in the period, each with the next one's start in its ärende (LEAD), counted
    where there is a next one. (An EXISTS per meeting cost SQLite half a second over
    Höglandet's year.)"""
    low, high = bounds(start, end)
    inner = (
        Meeting.objects.filter(
            starts_at__gte=low,
            status=MeetingStatus.PLANNED,
            case__in=meetings.values("case"),
        )
        .exclude(kind=MeetingKind.PREMEETING)
        .annotate(
            next_at=Window(
                Lead("starts_at"), partition_by=[F("case_id")], order_by=F("starts_at").asc()
            )
        )
        .values("kind", "starts_at", "next_at")
        .order_by()
    )
    sql, params = inner.query.sql_with_params()
    kinds = ", ".join(["%s"] * len(FOLLOWED_KINDS))
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            # The inner SQL is Django's own, with its parameters; nothing from the request.
            f"SELECT COUNT(*) FROM ({sql}) t WHERE t.next_at IS NOT NULL "  # noqa: S608
            f"AND t.starts_at < %s AND t.starts_at < %s AND t.kind IN ({kinds})",
            [*params, adapt(high), adapt(now), *FOLLOWED_KINDS],
        )
        return cursor.fetchone()[0]


def _sum(rows, key, **where) -> int:
    return sum(r[key] for r in rows if all(r[k] == v for k, v in where.items()))


def by_kind(counts) -> Table:
    table = Table("by_kind", _("Möten per mötestyp"), [_("Mötestyp"), _("Antal")])
    rows = counts["rows"]
    table.rows = [[label, _sum(rows, "held", kind=kind)] for kind, label in MeetingKind.choices]
    table.rows.append([_("Totalt"), _sum(rows, "held")])
    return table


def by_month(counts) -> Table:
    kinds = MeetingKind.choices
    table = Table(
        "by_month",
        _("Möten per månad och mötestyp"),
        [_("Månad"), *[label for _k, label in kinds]],
        small=True,
    )
    rows = counts["rows"]
    table.rows = [
        [month_label(month), *[_sum(rows, f"m{i}", kind=kind) for kind, _l in kinds]]
        for i, month in enumerate(counts["months"])
    ]
    return table


def by_convening_party(counts) -> Table:
    found = {}
    for row in counts["rows"]:
        if row["held"]:
            found[row["party"]] = found.get(row["party"], 0) + row["held"]
    table = Table(
        "by_convener", _("Möten per sammankallande part"), [_("Part"), _("Antal")], small=True
    )
    table.rows = [
        [name or _("Okänd part"), n]
        for name, n in sorted(found.items(), key=lambda item: (-item[1], item[0] or ""))
    ]
    return table


def guidelines(counts) -> Table:
    """The totals: individuals, cancelled, förmöte followed, follow-ups booked, lead time,
    length."""
    rows = counts["rows"]
    totals = {key: _sum(rows, key) for key in MEASURES}
    premeetings = _sum(rows, "held", kind=MeetingKind.PREMEETING)
    table = Table("guidelines", _("Riktlinjer och totaler"), [_("Mått"), _("Antal")])
    table.rows = [
        [_("Enskilda som haft möte"), counts["individuals"]],
        [_("Inställda möten"), totals["cancelled"]],
        [_("Förmöten"), premeetings],
        [_("Förmöten följda av samverkansmöte inom 14 dagar"), counts["followed"]],
        [
            _("Genomförda samverkans-, SIP-, avstämnings- och överlämningsmöten"),
            totals["to_follow"],
        ],
        [_("… följda av ett bokat uppföljande möte i ärendet"), counts["follow_up_booked"]],
        [_("Kallelser skickade"), totals["invited"]],
        [_("Kallade minst tre veckor i förväg"), totals["lead_ok"]],
        [_("Kallade senare än tre veckor före"), totals["invited"] - totals["lead_ok"]],
        [_("Möten högst en timme"), totals["within_hour"]],
        [_("Möten längre än en timme"), totals["over_hour"]],
    ]
    return table


def turnout(meetings) -> Table:
    """Invited (not removed, not the individual or their support) and attending per party,
    over the meetings held and already past."""
    held = meetings.filter(status=MeetingStatus.PLANNED, starts_at__lt=timezone.now())
    rows = (
        Participant.objects.filter(
            meeting__in=held, removed_at__isnull=True, organisation__isnull=False
        )
        .values_list("organisation__name")
        .annotate(
            invited=Count("pk"),
            attended=Count("pk", filter=Q(attendance__in=Attendance.taking_part())),
        )
        .order_by("organisation__name")
    )
    table = Table(
        "turnout",
        _("Kallade och närvarande per part"),
        [_("Part"), _("Kallade"), _("Närvarande")],
        small=True,
    )
    table.rows = [[name, invited, attended] for name, invited, attended in rows]
    return table


def days_shown(value) -> str:
    if value is None:
        return "–"
    return f"{value:g}".replace(".", ",")


def plans(meetings, *, now=None) -> Table:
    """Handlingsplaner of the meetings already held: fastställda (a first version) and
    distributed ("Skicka handlingsplanen", the ärende's plan.distributed event), and how
    many days after the meeting (the median, from a histogram grouped in SQL)."""
    now = now or timezone.now()
    held = meetings.filter(status=MeetingStatus.PLANNED, starts_at__lt=now)
    frozen = dict(
        PlanVersion.objects.filter(number=1, plan__meeting__in=held)
        .annotate(days=WholeDays(F("frozen_at"), F("plan__meeting__starts_at")))
        .values_list("days")
        .annotate(n=Count("pk"))
        .order_by()
    )
    first_sent = (
        CaseEvent.objects.filter(case=OuterRef("case"), action=DISTRIBUTED)
        .alias(meeting_ref=Cast(KT("data__meeting"), IntegerField()))
        .filter(meeting_ref=OuterRef("pk"))
        .order_by("at")
        .values("at")[:1]
    )
    sent = dict(
        held.filter(plan__isnull=False)
        .annotate(sent_at=Subquery(first_sent))
        .filter(sent_at__isnull=False)
        .annotate(days=WholeDays(F("sent_at"), F("starts_at")))
        .values_list("days")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table = Table("plans", _("Handlingsplaner"), [_("Mått"), _("Antal")])
    table.rows = [
        [_("Handlingsplaner fastställda"), sum(frozen.values())],
        [_("… fastställda samma dag som mötet"), frozen.get(0, 0)],
        [_("Dagar från mötet till fastställd (median)"), days_shown(median_of(frozen))],
        [_("Handlingsplaner skickade till deltagarna"), sum(sent.values())],
        [_("Dagar från mötet till skickad (median)"), days_shown(median_of(sent))],
    ]
    return table


def commitments(meetings, *, today=None) -> Table:
    """Beslutade insatser with När and Ansvar from the period's meetings, per responsible
    party: done by När, done later, overdue (not done, När passed), not yet due."""
    today = today or timezone.localdate()
    rows = (
        Action.objects.filter(
            plan__meeting__in=meetings.filter(status=MeetingStatus.PLANNED),
            due_on__isnull=False,
        )
        .filter(
            Q(responsible_organisation__isnull=False)
            | Q(responsible_user__isnull=False)
            | Q(responsible_participant__isnull=False)
            | ~Q(responsible_name="")
        )
        .values_list("responsible_organisation__name")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(done_on__lte=F("due_on"))),
            late=Count("pk", filter=Q(done_on__gt=F("due_on"))),
            overdue=Count("pk", filter=Q(done_on__isnull=True, due_on__lt=today)),
            open=Count("pk", filter=Q(done_on__isnull=True, due_on__gte=today)),
        )
        .order_by("responsible_organisation__name")
    )
    table = Table(
        "commitments",
        _("Åtaganden (beslutade insatser med När och Ansvar) per ansvarig part"),
        [
            _("Part"),
            _("Åtaganden"),
            _("Klara i tid"),
            _("Klara för sent"),
            _("Försenade, inte klara"),
            _("Ännu inte aktuella"),
        ],
        small=True,
    )
    table.rows = [[name or _("Ingen part angiven"), *counts] for name, *counts in rows]
    return table


def group_meetings(areas, start, end) -> tuple[Table, Table]:
    low, high = bounds(start, end)
    meetings = GroupMeeting.objects.filter(starts_at__gte=low, starts_at__lt=high)
    if areas is not None:
        meetings = meetings.filter(group__area__in=areas)
    counts = meetings.aggregate(
        held=Count("pk", filter=Q(status=GroupMeetingStatus.PLANNED)),
        low=Count("pk", filter=Q(cancel_reason=CancelReason.LOW_TURNOUT)),
        other=Count(
            "pk",
            filter=Q(status=GroupMeetingStatus.CANCELLED)
            & ~Q(cancel_reason=CancelReason.LOW_TURNOUT),
        ),
    )
    held = Table("group_meetings", _("Gruppmöten"), [_("Mått"), _("Antal")])
    held.rows = [
        [_("Gruppmöten hållna eller planerade"), counts["held"]],
        [_("Inställda på grund av lågt deltagande"), counts["low"]],
        [_("Inställda av annan anledning"), counts["other"]],
    ]
    rows = (
        GroupAttendee.objects.filter(meeting__in=meetings.filter(status=GroupMeetingStatus.PLANNED))
        .values_list("organisation__name")
        .annotate(invited=Count("pk"), attended=Count("pk", filter=Q(attended=True)))
        .order_by("organisation__name")
    )
    attendance = Table(
        "group_attendance",
        _("Gruppmöten: kallade och närvarande per part"),
        [_("Part"), _("Kallade"), _("Närvarande")],
        small=True,
    )
    attendance.rows = [[name, invited, attended] for name, invited, attended in rows]
    return held, attendance


def deviation_tables(areas, start, end) -> list[Table]:
    summary = compilation(areas, start, end)
    category = Table(
        "deviations_category", _("Avvikelser per kategori"), [_("Kategori"), _("Antal")]
    )
    category.rows = [[label, n] for label, n in summary["by_category"]]
    party = Table("deviations_party", _("Avvikelser per part"), [_("Part"), _("Antal")], small=True)
    party.rows = [[name, n] for name, n in summary["by_party"]]
    return [category, party]


def statistics(areas, start, end) -> list[Table]:
    meetings = meetings_in(areas, start, end)
    counts = meeting_counts(meetings, start, end)
    return [
        guidelines(counts),
        plans(meetings),
        by_kind(counts),
        by_month(counts),
        by_convening_party(counts),
        turnout(meetings),
        commitments(meetings),
        *group_meetings(areas, start, end),
        *deviation_tables(areas, start, end),
    ]
