"""Helpers shared by test modules of several apps (test modules import from here, never from
each other)."""

import io

from pypdf import PdfReader

from outbox.enums import MessageState
from outbox.models import OutboundMessage
from outbox.sending import send_message

# A valid (Luhn) test personnummer from Skatteverket's test series, as CaseFactory uses, and
# the ways it can be written: 12 and 10 digits, with a dash, and its last four digits alone.
PNR = "198112289874"
PNR_FORMS = [PNR, PNR[2:], f"{PNR[:8]}-{PNR[8:]}", f"{PNR[2:8]}-{PNR[8:]}", PNR[8:]]


def deliver_all():
    """What the worker does: send every queued message (rendering PDF and .ics). Returns the
    messages that were sent."""
    queued = OutboundMessage.objects.filter(state=MessageState.QUEUED)
    sent = (send_message(pk) for pk in list(queued.values_list("pk", flat=True)))
    return [message for message in sent if message is not None]


def outgoing_text(message) -> str:
    """Everything of a sent e-mail a reader could see: subject, body, HTML, headers, the
    recipients, attachment file names, the text of PDF attachments, other attachments (a
    calendar file also unfolded), and the raw message."""
    parts = [message.subject, message.body, str(message.extra_headers), " ".join(message.to)]
    parts += [content for content, _type in getattr(message, "alternatives", [])]
    parts += [name for name, _content, _type in message.attachments]
    for _name, content, mimetype in message.attachments:
        if mimetype == "application/pdf":
            reader = PdfReader(io.BytesIO(content))
            parts.append(" ".join(page.extract_text() for page in reader.pages))
        else:
            text = content.decode() if isinstance(content, bytes) else content
            # A calendar file folds its lines at 75 octets, which may split a number.
            parts += [text, text.replace("\r\n ", "").replace("\r\n\t", "")]
    parts.append(message.message().as_string())
    return "\n".join(parts)
