"""The worker's side of the outbox: claim one row, send it, record the result.

`send_message` claims the row with a conditional UPDATE so two workers can never
send the same message. A failure schedules the next attempt on the row, with a
growing delay; a message that vanished mid-send is never resent automatically
but marked for a person to check. A message a later change has made untrue (its
builder's ``superseded``, outbox.builders) is marked SUPERSEDED when it is claimed and
never sent, whether or not the change got to mark it first.
"""

import logging
import re
from datetime import timedelta
from email.headerregistry import Address

from anymail.exceptions import AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.personnummer import redact

from .builders import build_attachments, is_superseded
from .enums import MessageState
from .models import OutboundMessage

logger = logging.getLogger(__name__)


# Delay before attempt n+1 after attempt n failed (settings.OUTBOX_RETRY_DELAYS, seconds;
# by default 1 min, 5 min, 30 min, 2 h, 6 h); the failure after the last delay is final.
def backoff() -> list[timedelta]:
    return [timedelta(seconds=seconds) for seconds in settings.OUTBOX_RETRY_DELAYS]


def max_attempts() -> int:
    return len(settings.OUTBOX_RETRY_DELAYS) + 1


# A send takes seconds; a row still SENDING after this long lost its worker.
STUCK_AFTER = timedelta(minutes=15)


def stuck_error():
    return _("Avbröts under sändning – kontrollera och skicka om.")


def send_message(message_id, *, now=None) -> OutboundMessage | None:
    """Send one queued message if it is due and nobody else is sending it.

    Returns the updated row, or None when the row was not claimed (another
    worker has it, it is already sent, or its next attempt is not due yet).
    Side effects: sends the e-mail through settings.EMAIL_BACKEND; on failure
    schedules the next attempt on the row (the `deliver` task enqueues it).
    """
    now = now or timezone.now()
    claimed = OutboundMessage.objects.filter(
        pk=message_id, state=MessageState.QUEUED, next_attempt_at__lte=now
    ).update(
        state=MessageState.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=now,
        updated_at=now,
    )
    if claimed != 1:
        # Nothing got updated: someone else got there first, or there is nothing to do.
        return None

    message = OutboundMessage.objects.get(pk=message_id)
    try:
        # Checked once the row is ours: a change that committed before the claim is seen
        # here, one that commits after it finds the row SENDING and queues its own newer
        # message, whose higher calendar SEQUENCE replaces this one.
        if is_superseded(message):
            return _record_superseded(message, now=now)
        email = _build_email(message)
        email.send()
    except Exception as exc:  # any failure, including the attachment builder's
        return _record_failure(message, exc, now=now)

    message.state = MessageState.SENT
    message.sent_at = now
    message.provider_message_id = _provider_message_id(email) or message.message_id
    message.last_error = ""
    message.save(
        update_fields=["state", "sent_at", "provider_message_id", "last_error", "updated_at"]
    )
    return message


def recover_stuck(now=None) -> int:
    """Mark messages stuck in SENDING as FAILED; return how many.

    A worker that died mid-send may or may not have handed the message over,
    so it is never resent automatically (no double send): a person checks and
    uses "Skicka igen".
    """
    now = now or timezone.now()
    cutoff = now - STUCK_AFTER
    return OutboundMessage.objects.filter(
        Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True, updated_at__lt=cutoff),
        state=MessageState.SENDING,
    ).update(state=MessageState.FAILED, last_error=stuck_error(), updated_at=now)


def _record_superseded(message, *, now) -> OutboundMessage:
    message.state = MessageState.SUPERSEDED
    message.attempts -= 1  # claimed, never attempted
    message.last_error = ""
    message.save(update_fields=["state", "attempts", "last_error", "updated_at"])
    logger.info("Outbox message %s was superseded before it was sent.", message.pk)
    return message


def _record_failure(message, exc, *, now) -> OutboundMessage:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    logger.warning(
        "Outbox message %s failed on attempt %s: %s", message.pk, message.attempts, error
    )
    message.last_error = error
    if isinstance(exc, AnymailRecipientsRefused):
        # The provider refused the address itself: retrying cannot help.
        message.state = MessageState.BOUNCED
    elif message.attempts >= max_attempts():
        message.state = MessageState.FAILED
    else:
        message.state = MessageState.QUEUED
        message.next_attempt_at = now + backoff()[message.attempts - 1]
    message.save(update_fields=["state", "next_attempt_at", "last_error", "updated_at"])
    return message


def _build_email(message) -> EmailMultiAlternatives:
    to = str(Address(display_name=message.to_name, addr_spec=message.to_email))
    headers = {"Message-ID": message.message_id} if message.message_id else {}
    email = _Email(
        subject=message.subject,
        body=message.text_body,
        to=[to],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers=headers,
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    for filename, content, mimetype in build_attachments(message):
        # The one place where attachments meet the message: whatever a builder made, no
        # personnummer leaves in a file name or a text attachment (PDFs are redacted as
        # they are rendered, common.pdf).
        email.attach(redact(filename), _redacted_content(content, mimetype), mimetype)
    return email


class _Email(EmailMultiAlternatives):
    """An e-mail whose text attachments keep the parameters of their MIME type.

    Django builds a text/* attachment as MIMEText(content, subtype, charset), taking
    everything after "/" as the subtype: "text/calendar; method=REQUEST; charset=utf-8"
    came out as `text/calendar; method=REQUEST; charset=utf-8; charset="utf-8"`. Here
    the part is made from the bare type with the message's charset, and the other
    parameters (Outlook needs ``method``) are set on it once."""

    def _create_mime_attachment(self, content, mimetype):
        main, _slash, rest = mimetype.partition("/")
        subtype, *params = (part.strip() for part in rest.split(";"))
        if main != "text" or not params:
            return super()._create_mime_attachment(content, mimetype)
        attachment = super()._create_mime_attachment(content, f"text/{subtype}")
        for param in params:
            name, _equals, value = param.partition("=")
            if name.strip().lower() != "charset" and value:
                attachment.set_param(name.strip(), value.strip().strip('"'))
        return attachment


def _redacted_content(content: bytes, mimetype: str) -> bytes:
    """A text/* attachment (calendar file, CSV) without personnummer; others as they are."""
    if not mimetype.lower().startswith("text/"):
        return content
    try:
        text = content.decode()
    except UnicodeDecodeError:
        return content
    if mimetype.lower().startswith("text/calendar"):
        # A content line is folded at 75 octets, which may split a number: redact the
        # unfolded lines, then fold them again (RFC 5545 section 3.1).
        from icalendar.parser import Contentline

        lines = re.sub(r"\r\n[ \t]", "", text).split("\r\n")
        redacted = [redact(line) for line in lines]
        if redacted == lines:
            return content
        return "\r\n".join(Contentline(line).to_ical().decode() for line in redacted).encode()
    redacted = redact(text)
    return content if redacted == text else redacted.encode()


def _provider_message_id(email) -> str:
    status = getattr(email, "anymail_status", None)
    message_id = getattr(status, "message_id", None)
    if isinstance(message_id, set):
        # Several ids only with several recipients; an outbox row has one.
        message_id = next(iter(message_id)) if len(message_id) == 1 else None
    return "" if message_id is None else str(message_id)
