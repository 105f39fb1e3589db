"""Week calendars: "Min vecka" and "Områdets vecka".

A week is an ISO week, Monday 00:00 to the next Monday 00:00 in the project's
time zone (Europe/Stockholm), so a week across a daylight-saving change is 167
or 169 hours long. A meeting belongs to the day on which it starts, local time.

Ärenden are confidential: an entry carries the individual's name and the link
to the meeting page only when the user may open the meeting's ärende.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from parties.models import SamverkArea

from ..enums import MeetingStatus
from ..models import Meeting

WEEK_PARAM = re.compile(r"^\s*(\d{4})-?[Ww](\d{1,2})\s*$")
# Years a user can sensibly page to; keeps date arithmetic far from datetime's limits.
MIN_YEAR, MAX_YEAR = 1900, 2999
SHOWN_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.CANCELLED)


@dataclass(frozen=True, order=True)
class Week:
    year: int
    number: int

    def __post_init__(self):
        date.fromisocalendar(self.year, self.number, 1)  # ValueError for e.g. week 99

    @classmethod
    def containing(cls, day: date) -> "Week":
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def current(cls) -> "Week":
        return cls.containing(timezone.localdate())

    @classmethod
    def parse(cls, value: str) -> "Week":
        """Parse "2026-W48" (the format of <input type="week">); ValueError when not a week."""
        match = WEEK_PARAM.match(value or "")
        if not match:
            raise ValueError("not an ISO week")
        year, number = int(match.group(1)), int(match.group(2))
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError("year out of range")
        return cls(year, number)

    def __str__(self):
        return f"{self.year}-W{self.number:02d}"

    @property
    def param(self) -> str:
        return str(self)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]

    @property
    def starts_at(self) -> datetime:
        return local_midnight(self.monday)

    @property
    def ends_at(self) -> datetime:
        """Exclusive end: the next Monday 00:00 local time."""
        return local_midnight(self.monday + timedelta(days=7))

    @property
    def previous(self) -> "Week":
        return Week.containing(self.monday - timedelta(days=7))

    @property
    def next(self) -> "Week":
        return Week.containing(self.monday + timedelta(days=7))


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def week_from_param(value: str | None) -> tuple[Week, bool]:
    """The week asked for, or the current week; the flag is False for a bad value."""
    if not value:
        return Week.current(), True
    try:
        return Week.parse(value), True
    except ValueError:
        return Week.current(), False


@dataclass
class Entry:
    """One meeting in a calendar, as much of it as the user may see."""

    meeting: Meeting
    can_open: bool
    day: date

    @property
    def individual_name(self) -> str:
        return self.meeting.case.individual_name if self.can_open else ""

    @property
    def url(self) -> str:
        return reverse("meetings:detail", args=[self.meeting.pk]) if self.can_open else ""

    @property
    def is_cancelled(self) -> bool:
        return self.meeting.is_cancelled


@dataclass
class Column:
    days: list[date]
    entries: list[Entry] = field(default_factory=list)

    @property
    def first(self) -> date:
        return self.days[0]

    @property
    def last(self) -> date:
        return self.days[-1]

    @property
    def is_weekend(self) -> bool:
        return len(self.days) > 1


@dataclass
class WeekCalendar:
    week: Week
    columns: list[Column]
    today: date

    @property
    def count(self) -> int:
        return sum(len(c.entries) for c in self.columns)

    @property
    def has_weekend(self) -> bool:
        return len(self.columns) > 5


# All a calendar shows of an ärende, and only to those who may open it.
CALENDAR_CASE_FIELDS = ("first_name", "last_name")


def week_queryset(meetings, week: Week):
    """One query: the week's planned and cancelled meetings with what a calendar shows."""
    return (
        meetings.filter(
            starts_at__gte=week.starts_at,
            starts_at__lt=week.ends_at,
            status__in=SHOWN_STATUSES,
        )
        .select_related("convening_organisation", "room")
        # The ärenden in a second query by primary key: a join made the planner hash all
        # ärenden for a week's dozen meetings. Only what the calendar shows of them.
        .prefetch_related(Prefetch("case", queryset=Case.objects.only(*CALENDAR_CASE_FIELDS)))
        .order_by("starts_at", "pk")
    )


def build_week(user, meetings, week: Week, *, today: date | None = None) -> WeekCalendar:
    """Lay out a week: Monday–Friday, plus one weekend column only when it has meetings."""
    meetings = list(week_queryset(meetings, week))
    may_open = Case.objects.visible_among(user, {m.case_id for m in meetings})
    tz = timezone.get_default_timezone()
    weekdays = [Column(days=[day]) for day in week.days[:5]]
    weekend = Column(days=week.days[5:])
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at, tz).date()
        entry = Entry(meeting=meeting, can_open=meeting.case_id in may_open, day=day)
        index = day.weekday()
        (weekdays[index] if index < 5 else weekend).entries.append(entry)
    columns = weekdays + ([weekend] if weekend.entries else [])
    return WeekCalendar(week=week, columns=columns, today=today or timezone.localdate())


def my_week(user, week: Week) -> WeekCalendar:
    """Meetings the user convened or takes part in as staff."""
    return build_week(user, Meeting.objects.for_user(user), week)


def area_week(user, area: SamverkArea, week: Week) -> WeekCalendar:
    """Every meeting of the area's ärenden; names only where the user may open the ärende."""
    return build_week(user, Meeting.objects.filter(case__area=area), week)
