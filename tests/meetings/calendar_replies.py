"""What a calendar sends back when "Acceptera"/"Avböj" is pressed: the REQUEST Samverk sent,
turned into an iTIP REPLY (RFC 5546 3.2.3) the way Outlook and Google Calendar do (METHOD
REPLY, the same UID and SEQUENCE, the one ATTENDEE with its PARTSTAT), in an e-mail shaped
like Outlook's ("Accepterat: …", multipart/alternative with a text/calendar part)."""

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone
from icalendar import Calendar, vCalAddress, vText

from tests.helpers import deliver_all


def reply_ics(
    request_ics: bytes, partstat: str, *, attendee: str | None = None, uid=None, sequence=None
) -> bytes:
    request = Calendar.from_ical(request_ics)
    reply = Calendar()
    reply.add("prodid", "-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN")
    reply.add("version", "2.0")
    reply.add("method", "REPLY")
    for component in request.subcomponents:
        if component.name == "VTIMEZONE":
            reply.add_component(component)
    (event,) = request.walk("VEVENT")
    original = event["ATTENDEE"]
    address = attendee or str(original).removeprefix("mailto:")
    answer = vCalAddress(f"mailto:{address}")
    answer.params["partstat"] = vText(partstat)
    if "CN" in original.params:
        answer.params["cn"] = original.params["CN"]
    # What the calendar keeps of the REQUEST: the ATTENDEE list is cut to the one replying.
    del event["ATTENDEE"]
    event.add("attendee", answer)
    if uid is not None:
        event["UID"] = uid
    if sequence is not None:
        event["SEQUENCE"] = sequence
    event["DTSTAMP"] = event["DTSTAMP"]
    reply.add_component(event)
    return reply.to_ical()


def reply_email(ics: bytes, *, sender: str, to: str, subject="Accepterat: Samverkansmöte"):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(domain="outlook.example")
    message.set_content("Jag kommer.")
    message.add_alternative(
        ics.decode(), subtype="calendar", params={"method": "REPLY"}, charset="utf-8"
    )
    return message


def sent_request(to_email: str) -> bytes:
    """The calendar file of the last kallelse the worker sent to ``to_email``."""
    from django.core import mail

    deliver_all()
    for message in reversed(mail.outbox):
        if to_email in " ".join(message.to):
            for _name, content, mimetype in message.attachments:
                if mimetype.startswith("text/calendar"):
                    return content if isinstance(content, bytes) else content.encode()
    raise AssertionError(f"no calendar invitation was sent to {to_email}")
