"""Statistics for the styrgrupp (issue 19): counts over an area's (or all Höglandet's)
meetings in a period, aggregated in SQL. No names, no ärende ids: tables of counts.

Small-count rule: a count of 1 or 2 in a table broken down by party or by month is shown
as "<3" (0 stays 0: nothing to identify); totals and the tables by meeting kind show the
number itself. ``Table`` carries the numbers; ``shown`` applies the rule."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.enums import CancelReason, GroupMeetingStatus
from groups.models import GroupAttendee, GroupMeeting
from meetings.enums import Attendance, MeetingKind, MeetingStatus
from meetings.models import Meeting, Participant

from .deviations import compilation
from .periods import MONTHS

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
    low, high = bounds(start, end)
    return Meeting.objects.filter(case__area__in=areas, starts_at__gte=low, starts_at__lt=high)


def month_label(value) -> str:
    return f"{MONTHS[value.month - 1]} {value.year}"


def by_kind(meetings) -> Table:
    held = meetings.filter(status=MeetingStatus.PLANNED)
    counts = dict(held.values_list("kind").annotate(n=Count("pk")).order_by())
    table = Table("by_kind", _("Möten per mötestyp"), [_("Mötestyp"), _("Antal")])
    table.rows = [[label, counts.get(kind, 0)] for kind, label in MeetingKind.choices]
    table.rows.append([_("Totalt"), sum(counts.values())])
    return table


def by_month(meetings) -> Table:
    held = meetings.filter(status=MeetingStatus.PLANNED)
    found = {}
    for month, kind, n in (
        held.annotate(month=TruncMonth("starts_at"))
        .values_list("month", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        found.setdefault(month.date().replace(day=1), {})[kind] = n
    kinds = MeetingKind.choices
    table = Table(
        "by_month",
        _("Möten per månad och mötestyp"),
        [_("Månad"), *[label for _k, label in kinds]],
        small=True,
    )
    table.rows = [
        [month_label(month), *[found[month].get(kind, 0) for kind, _l in kinds]]
        for month in sorted(found)
    ]
    return table


def by_convening_party(meetings) -> Table:
    held = meetings.filter(status=MeetingStatus.PLANNED)
    rows = (
        held.values_list("convening_organisation__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "convening_organisation__name")
    )
    table = Table(
        "by_convener", _("Möten per sammankallande part"), [_("Part"), _("Antal")], small=True
    )
    table.rows = [[name or _("Okänd part"), n] for name, n in rows]
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


def guidelines(meetings) -> Table:
    """The totals: individuals, cancelled, förmöte followed, lead time, length."""
    held = meetings.filter(status=MeetingStatus.PLANNED)
    length = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
    lead = ExpressionWrapper(
        F("starts_at") - F("invitations_sent_at"), output_field=DurationField()
    )
    totals = held.annotate(length=length, lead=lead).aggregate(
        individuals=Count("case", distinct=True),
        within_hour=Count("pk", filter=Q(length__lte=LENGTH)),
        over_hour=Count("pk", filter=Q(length__gt=LENGTH)),
        invited=Count("pk", filter=Q(invitations_sent_at__isnull=False)),
        lead_ok=Count("pk", filter=Q(lead__gte=LEAD_TIME)),
        premeetings=Count("pk", filter=Q(kind=MeetingKind.PREMEETING)),
    )
    followed = (
        held.filter(kind=MeetingKind.PREMEETING)
        .filter(
            Q(follow_ups__status=MeetingStatus.PLANNED)
            & Q(follow_ups__kind=MeetingKind.COLLABORATION)
            & Q(follow_ups__starts_at__lte=F("starts_at") + FOLLOWED_WITHIN)
        )
        .distinct()
        .count()
    )
    cancelled = meetings.filter(status=MeetingStatus.CANCELLED).count()
    table = Table("guidelines", _("Riktlinjer och totaler"), [_("Mått"), _("Antal")])
    table.rows = [
        [_("Enskilda som haft möte"), totals["individuals"]],
        [_("Inställda möten"), cancelled],
        [_("Förmöten"), totals["premeetings"]],
        [_("Förmöten följda av samverkansmöte inom 14 dagar"), followed],
        [_("Kallelser skickade"), totals["invited"]],
        [_("Kallade minst tre veckor i förväg"), totals["lead_ok"]],
        [_("Kallade senare än tre veckor före"), totals["invited"] - totals["lead_ok"]],
        [_("Möten högst en timme"), totals["within_hour"]],
        [_("Möten längre än en timme"), totals["over_hour"]],
    ]
    return table


def group_meetings(areas, start, end) -> tuple[Table, Table]:
    low, high = bounds(start, end)
    meetings = GroupMeeting.objects.filter(
        group__area__in=areas, starts_at__gte=low, starts_at__lt=high
    )
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
    return [
        guidelines(meetings),
        by_kind(meetings),
        by_month(meetings),
        by_convening_party(meetings),
        turnout(meetings),
        *group_meetings(areas, start, end),
        *deviation_tables(areas, start, end),
    ]
