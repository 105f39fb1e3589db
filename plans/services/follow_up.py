"""After the meeting: "Boka uppföljning" from what the plan agreed."""

from django.utils import timezone
from django.utils.translation import gettext as _

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


def follow_up_initial(meeting, *, user=None) -> tuple[dict, list]:
    """ "Boka uppföljning": the booking form's initial data for the next meeting, from
    this meeting's plan: an avstämningsmöte with the same participants (not removed),
    on the date and time agreed under "Uppföljning / nästa möte" when they can be read.
    Returns (initial, externals) like BookMeetingView.initial_from_premeeting; `user`
    (the one booking, who is added anyway) is left out of the staff."""
    from django.utils import formats

    from meetings.enums import MeetingKind, ParticipantKind

    plan = ActionPlan.objects.filter(meeting=meeting).first()
    people = list(meeting.participants.filter(removed_at__isnull=True))
    day = formats.date_format(timezone.localtime(meeting.starts_at), "j F Y")
    initial = {
        "kind": MeetingKind.CHECKPOINT,
        "purpose": _("Uppföljning av handlingsplanen från %(day)s") % {"day": day},
        "contacts": [p.contact_person_id for p in people if p.contact_person_id],
        "staff": [
            p.user_id for p in people if p.user_id and p.user_id != getattr(user, "pk", None)
        ],
        "individual_attends": True,
        "questions": _("Hur har det gått med det vi bestämde? Behöver planen ändras?"),
    }
    support = [p.name for p in people if p.kind == ParticipantKind.SUPPORT_PERSON]
    if support:
        initial["support_person"] = support[0]
    if plan is not None:
        when_day, when_time = parse_follow_up_when(plan.follow_up_when)
        if when_day is not None:
            initial["date"] = when_day
        if when_time is not None:
            initial["start_time"] = when_time
        if plan.follow_up_where:
            initial["location"] = plan.follow_up_where
    externals = [
        {"name": p.name, "organisation_name": p.organisation_name, "email": p.email}
        for p in people
        if p.kind == ParticipantKind.EXTERNAL
    ]
    return initial, externals


def follow_up_url(meeting) -> str:
    """ "Boka uppföljning": the booking page for the same participants, with the agreed
    day, time and place read from the plan carried in the link."""
    from urllib.parse import urlencode

    from django.urls import reverse

    initial, _externals = follow_up_initial(meeting)
    params = {"uppfoljning": meeting.pk}
    if initial.get("date"):
        params["datum"] = initial["date"].isoformat()
    if initial.get("start_time"):
        params["tid"] = initial["start_time"].strftime("%H:%M")
    if initial.get("location"):
        params["plats"] = initial["location"]
    return reverse("meetings:book", args=[meeting.case_id]) + "?" + urlencode(params)
