"""Calendar answers: an iTIP REPLY ("Acceptera"/"Avböj" in Outlook or Google Calendar)
counts as the participant's answer.

The REQUEST's ORGANIZER is settings.CALENDAR_REPLY_ADDRESS when it is set
(meetings.services.ical), so the calendar sends its REPLY to a mailbox Samverk reads: the
mail provider's inbound webhook (meetings.receivers, anymail's ``inbound`` signal) or the
reply mailbox over IMAP (``manage.py read_reply_mailbox``, :mod:`meetings.services.mailbox`).
Both hand the message to :func:`record_calendar_reply`.

A reply counts only when its UID is one of our meetings' (ical.calendar_uid) and its
ATTENDEE is the address a participant of that very meeting was invited at: the From
header is never trusted (anyone can write any From). What does not match is ignored and
logged by meeting id and the address's domain only, never a name or a personnummer.
"""

import logging
import re
from dataclasses import dataclass
from email.message import Message

from django.conf import settings
from django.utils import timezone

from ..enums import Answer
from ..models import Participant
from . import invitations

logger = logging.getLogger(__name__)

# iTIP PARTSTAT -> the answer it is; TENTATIVE and DELEGATED say nothing we can record.
PARTSTATS = {"ACCEPTED": Answer.ATTENDING, "DECLINED": Answer.DECLINED}
CALENDAR_TYPES = {"text/calendar", "application/ics", "text/x-vcalendar"}


@dataclass(frozen=True)
class CalendarReply:
    uid: str
    attendee: str  # the e-mail address, lower case
    partstat: str
    sequence: int


@dataclass(frozen=True)
class Outcome:
    """What became of one reply: ``recorded`` (the answer was saved), or why not."""

    status: str  # "recorded", "unchanged", "ignored"
    reason: str = ""
    participant: Participant | None = None


def calendar_parts(message: Message) -> list[bytes]:
    """The iCalendar bodies of an e-mail (inline text/calendar or an .ics attachment)."""
    found = []
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type().lower()
        filename = (part.get_filename() or "").lower()
        if kind in CALENDAR_TYPES or filename.endswith(".ics"):
            payload = part.get_payload(decode=True)
            if payload:
                found.append(payload)
    return found


def parse_replies(ics: bytes) -> list[CalendarReply]:
    """The REPLYs in one iCalendar object: one per VEVENT and ATTENDEE. Anything that is
    not METHOD:REPLY, or that cannot be parsed, gives none."""
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(ics)
    except (ValueError, IndexError, KeyError, TypeError):
        return []
    if str(calendar.get("method", "")).upper() != "REPLY":
        return []
    replies = []
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("uid", "")).strip()
        attendees = event.get("attendee")
        if not uid or attendees is None:
            continue
        if not isinstance(attendees, list):
            attendees = [attendees]
        try:
            sequence = int(event.get("sequence", 0))
        except (TypeError, ValueError):
            sequence = 0
        for attendee in attendees:
            address = re.sub(r"^mailto:", "", str(attendee).strip(), flags=re.IGNORECASE)
            partstat = str(attendee.params.get("PARTSTAT", "")).upper()
            if address:
                replies.append(CalendarReply(uid, address.lower(), partstat, sequence))
    return replies


def meeting_pk_from_uid(uid: str) -> int | None:
    """The meeting of a UID that ical.calendar_uid wrote; None for anyone else's."""
    domain = re.escape(getattr(settings, "CALENDAR_UID_DOMAIN", "samverk.local"))
    match = re.fullmatch(rf"meeting-(\d{{1,18}})@{domain}", uid, flags=re.IGNORECASE)
    return int(match.group(1)) if match else None


def _ignored(reason: str, reply: CalendarReply, meeting_pk=None) -> Outcome:
    logger.info(
        "Calendar reply ignored (%s): meeting %s, attendee at %s",
        reason,
        meeting_pk if meeting_pk is not None else "unknown",
        reply.attendee.rpartition("@")[2] or "?",
    )
    return Outcome("ignored", reason)


def record_calendar_reply(reply: CalendarReply, *, now=None) -> Outcome:
    """Count one REPLY as the answer of the participant it is from: the meeting by UID,
    the participant by the ATTENDEE address among that meeting's invited people. Recorded
    through invitations.record_answer, as an answer by the link (history, the convener's
    notice). Ignored: another calendar's UID, an attendee not invited to that meeting, a
    removed participant, a meeting cancelled or over, a reply to an earlier version of the
    meeting (a lower SEQUENCE: they accepted a time that no longer holds), and a PARTSTAT
    that is neither ACCEPTED nor DECLINED. The same answer again changes nothing."""
    meeting_pk = meeting_pk_from_uid(reply.uid)
    if meeting_pk is None:
        return _ignored("unknown uid", reply)
    answer = PARTSTATS.get(reply.partstat)
    if answer is None:
        return _ignored(f"partstat {reply.partstat or 'missing'}", reply, meeting_pk)
    participant = (
        Participant.objects.select_related("meeting")
        .filter(meeting_id=meeting_pk, email__iexact=reply.attendee)
        .order_by("removed_at", "pk")
        .first()
    )
    if participant is None:
        return _ignored("attendee not invited", reply, meeting_pk)
    if participant.is_removed:
        return _ignored("attendee removed", reply, meeting_pk)
    meeting = participant.meeting
    if meeting.is_cancelled or meeting.ends_at <= (now or timezone.now()):
        return _ignored("meeting cancelled or over", reply, meeting_pk)
    if reply.sequence < meeting.sequence:
        return _ignored("reply to an earlier version", reply, meeting_pk)
    if participant.answer == answer:
        return Outcome("unchanged", participant=participant)
    participant = invitations.record_answer(participant=participant, answer=answer, via="calendar")
    logger.info("Calendar reply recorded: meeting %s, participant %s", meeting_pk, participant.pk)
    return Outcome("recorded", participant=participant)


def record_replies_in(message: Message) -> list[Outcome]:
    """Every REPLY carried by one e-mail, recorded (see :func:`record_calendar_reply`)."""
    outcomes = []
    for ics in calendar_parts(message):
        for reply in parse_replies(ics):
            outcomes.append(record_calendar_reply(reply))
    return outcomes
