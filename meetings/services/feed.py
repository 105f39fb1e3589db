"""Subscribe to my meetings: a personal calendar feed (webcal/https) behind a secret token.

The feed holds the meetings the user convenes or is invited to as staff
(Meeting.objects.for_user), from FEED_PAST_DAYS back, with the same UID and SEQUENCE as the
kallelse's calendar file (ical.calendar_uid), so a subscribed calendar and an accepted
invitation are one entry. Every entry is as neutral as the invitation's: the title names the
convening party only, no individual's name, no free text of the meeting (ical). Renewing the
token (:func:`renew_feed`) kills the old address. The token is hidden in logs
(common.logging)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from cases.personnummer import redact
from common.links import absolute

from ..models import CalendarFeed, Meeting, new_feed_token
from . import ical

FEED_PAST_DAYS = 30


def feed_for(user) -> CalendarFeed:
    """The user's feed, made on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def renew_feed(user) -> CalendarFeed:
    """A new secret for the user's feed: the old address stops working at once."""
    feed = feed_for(user)
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    feed.token = new_feed_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed


def user_for_token(token: str):
    """The active user whose feed has this token, or None (an old or made-up token)."""
    if not token or len(token) > 64:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def feed_urls(feed: CalendarFeed) -> dict:
    https = absolute(reverse("meetings:feed", args=[feed.token]))
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


def feed_meetings(user, *, now=None):
    since = (now or timezone.now()) - timedelta(days=FEED_PAST_DAYS)
    return (
        Meeting.objects.for_user(user)
        .filter(ends_at__gte=since)
        .select_related("case", "room", "convening_organisation", "convened_by")
        .order_by("starts_at")
    )


def feed_ics(user, *, now=None) -> bytes:
    """The user's meetings as one iCalendar (METHOD:PUBLISH): neutral entries, the
    kallelse's UIDs; a cancelled meeting stays as STATUS:CANCELLED so it leaves the
    calendar."""
    from icalendar import Calendar, Event

    meetings = list(feed_meetings(user, now=now))
    cal = Calendar()
    cal.add("prodid", ical.PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Samverk – mina möten")
    cal.add("x-published-ttl", "PT1H")
    with translation.override(settings.LANGUAGE_CODE):
        if meetings:
            moments = [m.starts_at for m in meetings] + [m.ends_at for m in meetings]
            cal.add_component(ical.stockholm_vtimezone(*moments))
        for meeting in meetings:
            event = Event()
            event.add("uid", ical.calendar_uid(meeting))
            event.add("sequence", meeting.sequence)
            event.add("dtstamp", timezone.now().astimezone(ical.ZoneInfo("UTC")))
            event.add("dtstart", timezone.localtime(meeting.starts_at, ical.STOCKHOLM))
            event.add("dtend", timezone.localtime(meeting.ends_at, ical.STOCKHOLM))
            event.add("summary", redact(ical.calendar_summary(meeting)))
            location = meeting.place or meeting.remote_link
            if location:
                event.add("location", ical.neutral_text(location, meeting.case))
            event.add("description", ical.feed_description(meeting))
            event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
            event.add("class", "PRIVATE")
            event.add("transp", "OPAQUE")
            cal.add_component(event)
    return cal.to_ical()
