"""After the meeting: "Boka uppföljning" from what the plan agreed."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from meetings.services import booking

from ..models import ActionPlan

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "januari"),
            ("feb", "februari"),
            ("mar", "mars"),
            ("apr", "april"),
            ("maj",),
            ("jun", "juni"),
            ("jul", "juli"),
            ("aug", "augusti"),
            ("sep", "sept", "september"),
            ("okt", "oktober"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def parse_follow_up_when(text: str, *, today=None):
    """The date and time in the free-text "När" of the follow-up, as far as they can be
    read: "2025-05-14 kl 10", "14 maj 2025 13.30", "14/5 kl. 9:00". (date|None, time|None)."""
    import re
    from datetime import date, time

    today = today or timezone.localdate()
    text = (text or "").lower()
    day = None
    clock = None
    iso = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", text)
    named = re.search(r"\b(\d{1,2})\s*([a-zåäö]{3,9})\.?(?:\s+(\d{4}))?\b", text)
    slash = re.search(r"\b(\d{1,2})/(\d{1,2})(?:[/-](\d{2,4}))?\b", text)
    try:
        if iso:
            day = date(int(iso[1]), int(iso[2]), int(iso[3]))
            text = text.replace(iso[0], " ")
        elif named and named[2] in _MONTHS:
            year = int(named[3]) if named[3] else None
            day = date(year or today.year, _MONTHS[named[2]], int(named[1]))
            if year is None and day < today:
                day = day.replace(year=today.year + 1)
            text = text.replace(named[0], " ")
        elif slash:
            year = slash[3]
            year = (2000 + int(year) if len(year) == 2 else int(year)) if year else None
            day = date(year or today.year, int(slash[2]), int(slash[1]))
            if year is None and day < today:
                day = day.replace(year=today.year + 1)
            text = text.replace(slash[0], " ")
    except ValueError:
        day = None
    hm = re.search(r"\b(?:kl\.?\s*)?([01]?\d|2[0-3])[:.]([0-5]\d)\b", text) or re.search(
        r"\bkl\.?\s*([01]?\d|2[0-3])\b()", text
    )
    if hm:
        clock = time(int(hm[1]), int(hm[2] or 0))
    return day, clock


def agreed_follow_up(meeting):
    """What the meeting's plan agreed under "Uppföljning / nästa möte", as far as it can be
    read: (date|None, time|None, place); nothing without a plan."""
    plan = ActionPlan.objects.filter(meeting=meeting).only("follow_up_when", "follow_up_where")
    plan = plan.first()
    if plan is None:
        return None, None, ""
    day, clock = parse_follow_up_when(plan.follow_up_when)
    return day, clock, plan.follow_up_where


def follow_up_initial(meeting, *, user=None) -> tuple[dict, list]:
    """ "Boka uppföljning": the booking form's (initial, externals) for the next meeting,
    built by meetings' one builder from the day, time and place this meeting's plan
    agreed; `user` (the one booking, who is added anyway) is left out of the staff."""
    day, clock, where = agreed_follow_up(meeting)
    return booking.follow_up_initial(meeting, user=user, day=day, start_time=clock, location=where)


def follow_up_url(meeting) -> str:
    """ "Boka uppföljning": the booking page for the same participants, with the agreed
    day, time and place read from the plan carried in the link."""
    day, clock, where = agreed_follow_up(meeting)
    params = {"uppfoljning": meeting.pk}
    if day is not None:
        params["datum"] = day.isoformat()
    if clock is not None:
        params["tid"] = clock.strftime("%H:%M")
    if where:
        params["plats"] = where
    return reverse("meetings:book", args=[meeting.case_id]) + "?" + urlencode(params)
