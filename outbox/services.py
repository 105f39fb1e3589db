"""The outbox: every e-mail Samverk sends is a row first and leaves through a worker.

A request calls `queue_templated` (a kind of message, rendered by outbox.compose) or,
with a subject and bodies already made, `queue_message`; the row is saved and a
`deliver` task (outbox.tasks) is enqueued once the transaction commits. The worker's
side, claiming and sending the row, is outbox.sending.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid, parseaddr
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from common.personnummer import redact

from .builders import is_registered, is_superseded, resend_current
from .compose import finish, one_line, render_message
from .enums import MessageState
from .models import OutboundMessage
from .tasks import enqueue

logger = logging.getLogger(__name__)

# The periodic safety net leaves a freshly enqueued row to its task this long.
ENQUEUE_GRACE = timedelta(minutes=5)


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

    outgoing = finish(subject, text_body, html_body)
    with transaction.atomic():
        message = OutboundMessage.objects.create(
            to_email=to_email,
            # A header a reader sees too; the address itself must stay deliverable.
            to_name=redact(one_line(to_name)),
            reply_to=reply_to,
            subject=outgoing.subject,
            text_body=outgoing.text,
            html_body=outgoing.html,
            attachments_builder=attachments_builder,
            builder_args=builder_args or {},
            related=related,
            message_id=make_msgid(domain=_message_id_domain()),
        )
        _enqueue_on_commit(message.pk)
    return message


def queue_templated(
    kind,
    *,
    context,
    to_email,
    to_name="",
    reply_to="",
    attachments_builder="",
    builder_args=None,
    related=None,
) -> OutboundMessage:
    """Render a message of ``kind`` from its templates (outbox.compose.render_message:
    templates/emails/<kind>-subject.txt, -body.txt, -body.html) with ``context`` and queue
    it as `queue_message` does (which redacts personnummer, outbox.compose.finish)."""
    message = render_message(kind, context)
    return queue_message(
        to_email=to_email,
        to_name=to_name,
        subject=message.subject,
        text_body=message.text,
        html_body=message.html,
        reply_to=reply_to,
        attachments_builder=attachments_builder,
        builder_args=builder_args,
        related=related,
    )


def retry(message) -> OutboundMessage:
    """Send a failed, bounced or superseded message again ("Skicka igen"), with a fresh set
    of attempts; returns the message that will go out.

    A message a later change has made untrue ("Ersatt", or found so now by its builder's
    ``superseded``: the meeting moved or was cancelled since it was composed) is never
    sent itself: it is marked SUPERSEDED and what holds now goes instead (its builder's
    ``resend``: a message already on its way, or a new one), and that is returned.
    Side effects: puts the row back in QUEUED (or queues the new one) and enqueues it
    after commit. Raises ValidationError if the message is in none of those states, or
    superseded with nothing to send instead.
    """
    now = timezone.now()
    with transaction.atomic():
        row = (
            OutboundMessage.objects.select_for_update()
            .filter(pk=message.pk, state__in=MessageState.retryable())
            .first()
        )
        if row is None:
            raise ValidationError(
                _("Bara misslyckade, studsade eller ersatta meddelanden kan skickas igen.")
            )
        if row.state == MessageState.SUPERSEDED or is_superseded(row):
            OutboundMessage.objects.filter(pk=row.pk).update(
                state=MessageState.SUPERSEDED, updated_at=now
            )
            current = resend_current(row)
            if current is None:
                raise ValidationError(_("Meddelandet är ersatt av ett nyare och skickas inte."))
            message.refresh_from_db()
            return current
        OutboundMessage.objects.filter(pk=row.pk).update(
            state=MessageState.QUEUED,
            attempts=0,
            next_attempt_at=now,
            last_error="",
            claimed_at=None,
            updated_at=now,
        )
        _enqueue_on_commit(message.pk)
    message.refresh_from_db()
    return message


def messages_about(related_objects, **filters):
    """Every message about ``related_objects`` (all of one model), newest first, as a
    queryset; keyword filters narrow it as for :func:`messages_for`."""
    objects = list(related_objects)
    if not objects:
        return OutboundMessage.objects.none()
    models = {type(obj)._meta.concrete_model for obj in objects}
    if len(models) != 1:
        raise ValueError("messages_about() takes objects of one model at a time.")
    return OutboundMessage.objects.filter(
        related_type=ContentType.objects.get_for_model(models.pop()),
        related_id__in=[obj.pk for obj in objects],
        **filters,
    ).order_by("-pk")


def supersede(related_objects, **filters) -> set:
    """Mark the messages about ``related_objects`` (all of one model) that have not left
    and are not being sent (QUEUED, FAILED) SUPERSEDED: a change has made them untrue and
    the caller queues what holds now. Keyword filters narrow the messages, as for
    :func:`messages_for`. Returns the pks of the objects that had such a message.

    Call it inside the change's transaction, before queuing the new messages. A message a
    worker has claimed already (SENDING) goes out; the newer one follows it.
    """
    rows = messages_about(related_objects, **filters).filter(state__in=MessageState.supersedable())
    found = dict(rows.values_list("pk", "related_id"))
    if not found:
        return set()
    # Conditional on the state once more: a worker may claim one in between.
    OutboundMessage.objects.filter(
        pk__in=list(found), state__in=MessageState.supersedable()
    ).update(state=MessageState.SUPERSEDED, updated_at=timezone.now())
    return set(found.values())


def latest_state(model, **filters) -> Subquery:
    """For annotating rows of ``model``: the state of the latest message related to the
    row (the rule of :func:`messages_for`, as a subquery of the rows' own query)."""
    return latest_value(model, "state", **filters)


def latest_value(model, field: str, **filters) -> Subquery:
    """For annotating rows of ``model``: ``field`` of the latest message related to the row
    (as :func:`latest_state`)."""
    return Subquery(
        OutboundMessage.objects.filter(
            related_type=ContentType.objects.get_for_model(model),
            related_id=OuterRef("pk"),
            **filters,
        )
        .order_by("-pk")
        .values(field)[:1]
    )


@dataclass(frozen=True)
class DeliveryStatus:
    """What a page says of a message: ``label`` to show, ``css`` the state it looks like,
    ``retry_at`` the next attempt of a failed send that will be tried again (else None),
    ``needs_resend`` when only "Skicka igen" sends it now."""

    label: str
    css: str
    retry_at: object = None
    needs_resend: bool = False


def delivery_status(state, attempts: int = 0, next_attempt_at=None) -> DeliveryStatus:
    """A message's state as the people waiting on it need it: a send that failed and waits
    for its next attempt is "Misslyckades, nytt försök 14:05", not "Köad" like one never
    tried (the row is QUEUED again between attempts, sending.py); one that failed for good
    is "Misslyckades – skicka igen"."""
    state = MessageState(state)
    if state == MessageState.QUEUED and attempts and next_attempt_at is not None:
        at = timezone.localtime(next_attempt_at)
        when = f"{at:%H:%M}" if at.date() == timezone.localdate() else f"{at:%-d/%-m %H:%M}"
        label = _("Misslyckades, nytt försök %(time)s") % {"time": when}
        return DeliveryStatus(label, str(MessageState.FAILED), retry_at=next_attempt_at)
    if state == MessageState.FAILED:
        label = _("Misslyckades – skicka igen")
        return DeliveryStatus(label, str(state), needs_resend=True)
    if state == MessageState.BOUNCED:
        label = _("Studsade – kontrollera adressen och skicka igen")
        return DeliveryStatus(label, str(state), needs_resend=True)
    return DeliveryStatus(str(state.label), str(state))


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
        enqueue(message_id)
    return len(ids)


def _enqueue_on_commit(message_id, run_after=None):
    # The worker must see the committed row. A failing enqueue must not undo
    # the saved message: the periodic `send_queued_messages` picks it up.
    transaction.on_commit(partial(enqueue, message_id, run_after=run_after), robust=True)


def _message_id_domain() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return domain or "samverk.local"
