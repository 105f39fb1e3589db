"""Calendar invitations (iCalendar, RFC 5545 / iTIP RFC 5546) for a meeting.

One VEVENT per meeting with a stable UID, so REQUEST updates (a higher
SEQUENCE) and CANCEL replace the entry already in the participant's calendar.

Calendars are shared and synced to phones, so the entry is neutral and private
(CLASS:PRIVATE): the title names the convening party only, the description carries no
free text of the meeting (health details typed into Syfte would sit in everyone's
calendar), only a neutral line and the link to the meeting page, and the location is
scrubbed of the individual's name and of anything that looks like a personnummer.

ORGANIZER is the reply mailbox (CALENDAR_REPLY_ADDRESS) when one is set, with the
convener's name: the calendar's answer then reaches Samverk (meetings.services.replies).

Times are written as local Europe/Stockholm times with TZID and a VTIMEZONE.
The VTIMEZONE uses yearly RRULEs (the form Outlook and Google export
themselves): Outlook ignores RDATE lists in a VTIMEZONE and then shows summer
meetings an hour off, the very bug this app must not repeat.
"""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.personnummer import redact
from common.links import absolute

from ..enums import ParticipantKind
from ..models import Meeting, Participant

TZID = "Europe/Stockholm"
STOCKHOLM = ZoneInfo(TZID)
PRODID = "-//Samverk//Samverk kallelse 1.0//SV"
METHODS = ("REQUEST", "CANCEL")


def neutral_text(text: str, case) -> str:
    """Free text for places that must not identify the individual (calendar entries):
    no personnummer, and the individual's name replaced by "den enskilde"."""
    text = redact(text)
    names = [(case.individual_name, re.IGNORECASE), (case.last_name, re.IGNORECASE)]
    if len(case.first_name) >= 3:
        # Case-sensitive: a short first name is often also an ordinary word ("Bo", "Mark").
        names.append((case.first_name, 0))
    for name, flags in names:
        if name.strip():
            text = re.sub(rf"\b{re.escape(name.strip())}\b", _("den enskilde"), text, flags=flags)
    return text


def ics_content_type(method: str) -> str:
    """The MIME type of an attached invitation; Outlook needs the method in it."""
    return f"text/calendar; method={_checked(method)}; charset=utf-8"


def calendar_uid(meeting: Meeting) -> str:
    """The same for every REQUEST and CANCEL of one meeting, whatever changes."""
    domain = getattr(settings, "CALENDAR_UID_DOMAIN", "samverk.local")
    return f"meeting-{meeting.pk}@{domain}"


def calendar_summary(meeting: Meeting) -> str:
    """Neutral title: never the individual's name, and the same for every kind."""
    return _("Samverkansmöte – %(organisation)s") % {
        "organisation": meeting.convening_organisation.name
    }


def invitation_ics(meeting: Meeting, participant: Participant, method: str = "REQUEST") -> bytes:
    """A calendar invitation for one participant: METHOD:REQUEST (new or changed) or CANCEL."""
    from icalendar import Calendar, Event, vCalAddress, vText

    method = _checked(method)
    if not participant.email:
        raise ValueError(f"Participant {participant.pk} has no e-mail address for an invitation.")
    case = meeting.case
    starts = timezone.localtime(meeting.starts_at, STOCKHOLM)
    ends = timezone.localtime(meeting.ends_at, STOCKHOLM)

    with translation.override(settings.LANGUAGE_CODE):
        event = Event()
        event.add("uid", calendar_uid(meeting))
        event.add("sequence", meeting.sequence)
        event.add("dtstamp", timezone.now().astimezone(ZoneInfo("UTC")))
        event.add("dtstart", starts)
        event.add("dtend", ends)
        # Names are free text too (an import, the admin): no personnummer in any of them,
        # in the download as in the mail (where the outbox redacts the file again).
        event.add("summary", redact(calendar_summary(meeting)))
        location = meeting.place or meeting.remote_link
        if location:
            event.add("location", neutral_text(location, case))
        event.add("description", _description(meeting))
        event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
        event.add("class", "PRIVATE")
        event.add("transp", "OPAQUE")

        convener = meeting.convened_by
        organizer = vCalAddress(f"mailto:{organizer_address(meeting)}")
        organizer.params["cn"] = vText(
            redact(
                f"{convener.get_full_name() or convener.username}, {meeting.convening_organisation}"
            )
        )
        event.add("organizer", organizer)

        attendee = vCalAddress(f"mailto:{participant.email}")
        if participant.kind != ParticipantKind.INDIVIDUAL:
            # The individual's own entry carries no name: the calendar may be shared too.
            attendee.params["cn"] = vText(redact(participant.name))
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(stockholm_vtimezone(starts, ends))
    cal.add_component(event)
    return cal.to_ical()  # CRLF line endings and 75-octet folding


def cancellation_ics(meeting: Meeting, participant: Participant) -> bytes:
    """METHOD:CANCEL with STATUS:CANCELLED; the UID removes the entry already booked."""
    return invitation_ics(meeting, participant, method="CANCEL")


def _checked(method: str) -> str:
    method = (method or "").upper()
    if method not in METHODS:
        raise ValueError(f"Unsupported iTIP method: {method!r}")
    return method


def organizer_address(meeting: Meeting) -> str:
    """Where "Acceptera"/"Avböj" in the participant's calendar sends its iTIP REPLY: the
    reply mailbox Samverk reads (CALENDAR_REPLY_ADDRESS: the provider's inbound address or
    the mailbox of ``manage.py read_reply_mailbox``) when set, else the convener (whose
    calendar then holds the answer, and Samverk does not see it). The CN names the
    convener either way."""
    reply_address = getattr(settings, "CALENDAR_REPLY_ADDRESS", "")
    return reply_address or meeting.convened_by.email or _fallback_sender()


def _fallback_sender() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def _description(meeting: Meeting) -> str:
    """A neutral line and the link to the meeting page: no syfte, frågeställningar or
    other free text (the kallelse in the e-mail has them)."""
    lines = [_("Mötet är inställt.")] if meeting.is_cancelled else []
    lines += [
        _("Se kallelsen i e-postmeddelandet för syfte, frågeställningar och deltagare."),
        _("Mötessidan i Samverk (kräver inloggning): %(url)s")
        % {"url": absolute(meeting.get_absolute_url())},
    ]
    return "\n".join(lines)


def feed_description(meeting: Meeting) -> str:
    """The subscription feed's description: the invitation's neutral lines."""
    return _description(meeting)


# --- VTIMEZONE -------------------------------------------------------------------


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - 6) % 7)


def _eu_rule_offset(moment: datetime) -> timedelta:
    """Central European time by the EU rule: summer time from 01:00 UTC on the last
    Sunday of March to 01:00 UTC on the last Sunday of October."""
    utc = moment.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    spring = datetime.combine(_last_sunday(utc.year, 3), datetime.min.time()) + timedelta(hours=1)
    autumn = datetime.combine(_last_sunday(utc.year, 10), datetime.min.time()) + timedelta(hours=1)
    return timedelta(hours=2 if spring <= utc < autumn else 1)


def stockholm_vtimezone(*moments: datetime):
    """VTIMEZONE for Europe/Stockholm valid for the given moments.

    The RRULE form when the tz database still follows the EU rule at those
    moments; should Sweden ever change its rules, the tz database wins and
    icalendar writes the zone from it.
    """
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    if all(m.astimezone(STOCKHOLM).utcoffset() == _eu_rule_offset(m) for m in moments):
        tz = Timezone()
        tz.add("tzid", TZID)
        summer = TimezoneDaylight()
        summer.add("tzname", "CEST")
        summer.add("tzoffsetfrom", timedelta(hours=1))
        summer.add("tzoffsetto", timedelta(hours=2))
        summer.add("dtstart", datetime(1970, 3, 29, 2, 0))
        summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
        winter = TimezoneStandard()
        winter.add("tzname", "CET")
        winter.add("tzoffsetfrom", timedelta(hours=2))
        winter.add("tzoffsetto", timedelta(hours=1))
        winter.add("dtstart", datetime(1970, 10, 25, 3, 0))
        winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
        tz.add_component(summer)
        tz.add_component(winter)
        return tz
    first = min(moments).date() - timedelta(days=366)
    last = max(moments).date() + timedelta(days=366)
    return Timezone.from_tzid(TZID, first_date=first, last_date=last)
