"""The group meeting's calendar file: the individual meetings' iCalendar machinery
(meetings.services.ical: PRODID, the VTIMEZONE Outlook reads, the content type with its
method), with a UID in the same space (``group-meeting-<pk>@CALENDAR_UID_DOMAIN`` beside
``meeting-<pk>@…``) and SEQUENCE raised for every update and the cancellation."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.links import absolute
from common.personnummer import redact
from meetings.services.ical import PRODID, STOCKHOLM, _checked, stockholm_vtimezone

from ..models import GroupAttendee, GroupMeeting


def calendar_uid(meeting: GroupMeeting) -> str:
    domain = getattr(settings, "CALENDAR_UID_DOMAIN", "samverk.local")
    return f"group-meeting-{meeting.pk}@{domain}"


def summary(meeting: GroupMeeting) -> str:
    return _("%(group)s, %(area)s") % {"group": meeting.group.label, "area": meeting.group.area}


def organizer_email(meeting: GroupMeeting) -> str:
    from email.utils import parseaddr

    if meeting.convener_id and meeting.convener.email:
        return meeting.convener.email
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def meeting_ics(meeting: GroupMeeting, attendee: GroupAttendee, method: str = "REQUEST") -> bytes:
    from icalendar import Calendar, Event, vCalAddress, vText

    method = _checked(method)
    starts = timezone.localtime(meeting.starts_at, STOCKHOLM)
    ends = timezone.localtime(meeting.ends_at, STOCKHOLM)
    with translation.override(settings.LANGUAGE_CODE):
        event = Event()
        event.add("uid", calendar_uid(meeting))
        event.add("sequence", meeting.sequence)
        event.add("dtstamp", timezone.now().astimezone(ZoneInfo("UTC")))
        event.add("dtstart", starts)
        event.add("dtend", ends)
        event.add("summary", redact(summary(meeting)))
        location = meeting.place or meeting.remote_link
        if location:
            event.add("location", redact(location))
        lines = [_("Mötet är inställt.")] if method == "CANCEL" else []
        lines.append(
            _("Mötessidan i Samverk: %(url)s") % {"url": absolute(meeting.get_absolute_url())}
        )
        event.add("description", "\n".join(lines))
        event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
        event.add("transp", "OPAQUE")
        organizer = vCalAddress(f"mailto:{organizer_email(meeting)}")
        if meeting.convener_id:
            organizer.params["cn"] = vText(redact(meeting.convener.name))
        event.add("organizer", organizer)
        person = vCalAddress(f"mailto:{attendee.email}")
        person.params["cn"] = vText(redact(attendee.name))
        person.params["role"] = vText("REQ-PARTICIPANT")
        person.params["partstat"] = vText("NEEDS-ACTION")
        event.add("attendee", person)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(stockholm_vtimezone(starts, ends))
    cal.add_component(event)
    return cal.to_ical()
