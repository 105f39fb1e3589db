"""The outbox: every e-mail Samverk sends is a row first and leaves through a worker.

A request calls `queue_message`; the row is saved and a `deliver` task is
enqueued once the transaction commits. The worker calls `send_message`, which
claims the row with a conditional UPDATE so two workers can never send the
same message, sends it, and records the result on the row. Failures are retried
with a growing delay; a message that vanished mid-send is never resent
automatically but marked for a person to check.
"""

import logging
from datetime import timedelta
from email.headerregistry import Address
from email.utils import make_msgid, parseaddr
from functools import partial

from anymail.exceptions import AnymailRecipientsRefused
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .builders import build_attachments, is_registered
from .enums import MessageState
from .models import OutboundMessage

logger = logging.getLogger(__name__)

# Delay before attempt n+1 after attempt n failed; the sixth failure is final.
BACKOFF = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
# A send takes seconds; a row still SENDING after this long lost its worker.
STUCK_AFTER = timedelta(minutes=15)
# The periodic safety net leaves a freshly enqueued row to its task this long.
ENQUEUE_GRACE = timedelta(minutes=5)


def stuck_error():
    return _("Avbröts under sändning – kontrollera och skicka om.")


def queue_message(
    *,
    to_email,
    to_name="",
    subject,
    text_body,
    html_body="",
    reply_to="",
    attachments_builder="",
    builder_args=None,
    related=None,
) -> OutboundMessage:
    """Record one e-mail in the outbox and have it sent in the background.

    Side effects: saves an OutboundMessage (state QUEUED); after the surrounding
    transaction commits, enqueues the `deliver` task. If the transaction rolls
    back, nothing is sent. Raises ValidationError for an unusable address.
    """
    to_email = (to_email or "").strip()
    if not to_email:
        raise ValidationError(_("Mottagaren saknar e-postadress."))
    validate_email(to_email)
    if reply_to:
        validate_email(reply_to)
    if attachments_builder and not is_registered(attachments_builder):
        raise ValueError(f"No attachment builder registered as {attachments_builder!r}.")

    with transaction.atomic():
        message = OutboundMessage.objects.create(
            to_email=to_email,
            to_name=_one_line(to_name),
            reply_to=reply_to,
            subject=_one_line(subject),
            text_body=text_body,
            html_body=html_body,
            attachments_builder=attachments_builder,
            builder_args=builder_args or {},
            related=related,
            message_id=make_msgid(domain=_message_id_domain()),
        )
        _enqueue_on_commit(message.pk)
    return message


def send_message(message_id, *, now=None) -> OutboundMessage | None:
    """Send one queued message if it is due and nobody else is sending it.

    Returns the updated row, or None when the row was not claimed (another
    worker has it, it is already sent, or its next attempt is not due yet).
    Side effects: sends the e-mail through settings.EMAIL_BACKEND; on failure
    schedules the next attempt and enqueues it.
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


def retry(message) -> OutboundMessage:
    """Send a failed or bounced message again ("Skicka igen"), with a fresh set of attempts.

    Side effects: puts the row back in QUEUED and enqueues it after commit.
    Raises ValidationError if the message is not failed or bounced.
    """
    now = timezone.now()
    with transaction.atomic():
        updated = OutboundMessage.objects.filter(
            pk=message.pk, state__in=MessageState.retryable()
        ).update(
            state=MessageState.QUEUED,
            attempts=0,
            next_attempt_at=now,
            last_error="",
            claimed_at=None,
            updated_at=now,
        )
        if updated != 1:
            raise ValidationError(
                _("Bara misslyckade eller studsade meddelanden kan skickas igen.")
            )
        _enqueue_on_commit(message.pk)
    message.refresh_from_db()
    return message


def latest_state(model, **filters) -> Subquery:
    """For annotating rows of ``model``: the state of the latest message related to the
    row (the rule of :func:`messages_for`, as a subquery of the rows' own query)."""
    return Subquery(
        OutboundMessage.objects.filter(
            related_type=ContentType.objects.get_for_model(model),
            related_id=OuterRef("pk"),
            **filters,
        )
        .order_by("-pk")
        .values("state")[:1]
    )


def messages_for(related_objects, **filters) -> dict:
    """The latest message per related object, keyed by the object's pk, in one query.

    All objects must be of one model. Objects without a message are left out.
    Keyword filters narrow the messages considered, e.g.
    ``messages_for(participants, attachments_builder="meetings.invitation")`` when
    other mail (a notice to the convener) is related to the same objects.
    """
    objects = list(related_objects)
    if not objects:
        return {}
    models = {type(obj)._meta.concrete_model for obj in objects}
    if len(models) != 1:
        raise ValueError("messages_for() takes objects of one model at a time.")
    related_type = ContentType.objects.get_for_model(models.pop())
    latest = (
        OutboundMessage.objects.filter(
            related_type=related_type, related_id__in=[obj.pk for obj in objects], **filters
        )
        .values("related_id")
        .annotate(latest=Max("pk"))
        .values("latest")
    )
    return {
        message.related_id: message for message in OutboundMessage.objects.filter(pk__in=latest)
    }


def enqueue_due(now=None) -> int:
    """Enqueue every due QUEUED message whose task may have been lost; return how many.

    The safety net for a crash between saving a row and enqueuing it, or a task
    backend that lost its queue. A message enqueued within ENQUEUE_GRACE is left
    to its task; a duplicate task is harmless because sending claims the row.
    """
    now = now or timezone.now()
    ids = list(
        OutboundMessage.objects.filter(state=MessageState.QUEUED, next_attempt_at__lte=now)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=now - ENQUEUE_GRACE))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )
    for message_id in ids:
        _enqueue(message_id)
    return len(ids)


def _record_failure(message, exc, *, now) -> OutboundMessage:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    logger.warning(
        "Outbox message %s failed on attempt %s: %s", message.pk, message.attempts, error
    )
    message.last_error = error
    if isinstance(exc, AnymailRecipientsRefused):
        # The provider refused the address itself: retrying cannot help.
        message.state = MessageState.BOUNCED
    elif message.attempts >= MAX_ATTEMPTS:
        message.state = MessageState.FAILED
    else:
        message.state = MessageState.QUEUED
        message.next_attempt_at = now + BACKOFF[message.attempts - 1]
    message.save(update_fields=["state", "next_attempt_at", "last_error", "updated_at"])
    if message.state == MessageState.QUEUED:
        _enqueue_on_commit(message.pk, run_after=message.next_attempt_at)
    return message


def _enqueue_on_commit(message_id, run_after=None):
    # The worker must see the committed row. A failing enqueue must not undo
    # the saved message: the periodic `send_queued_messages` picks it up.
    transaction.on_commit(partial(_enqueue, message_id, run_after=run_after), robust=True)


def _enqueue(message_id, run_after=None):
    from .tasks import deliver

    task = deliver
    if run_after is not None:
        if not deliver.get_backend().supports_defer:
            # This backend cannot wait (immediate backend); the periodic command
            # enqueues the row once it is due.
            return
        task = deliver.using(run_after=run_after)
    task.enqueue(message_id)
    OutboundMessage.objects.filter(pk=message_id).update(enqueued_at=timezone.now())


def _build_email(message) -> EmailMultiAlternatives:
    to = str(Address(display_name=message.to_name, addr_spec=message.to_email))
    headers = {"Message-ID": message.message_id} if message.message_id else {}
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text_body,
        to=[to],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers=headers,
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    for filename, content, mimetype in build_attachments(message):
        email.attach(filename, content, mimetype)
    return email


def _provider_message_id(email) -> str:
    status = getattr(email, "anymail_status", None)
    message_id = getattr(status, "message_id", None)
    if isinstance(message_id, set):
        # Several ids only with several recipients; an outbox row has one.
        message_id = next(iter(message_id)) if len(message_id) == 1 else None
    return "" if message_id is None else str(message_id)


def _message_id_domain() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return domain or "samverk.local"


def _one_line(value) -> str:
    # Header values must not span lines (Django refuses them at send time).
    return " ".join(str(value).split())
