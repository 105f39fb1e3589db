"""Delivery tracking: the provider's webhooks (via anymail) update the outbox row."""

from anymail.signals import EventType, tracking
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import MessageState
from .models import OutboundMessage

DELIVERED_EVENTS = {EventType.DELIVERED}
BOUNCED_EVENTS = {EventType.BOUNCED, EventType.REJECTED, EventType.FAILED}


@receiver(tracking, dispatch_uid="outbox.record_tracking_event")
def record_tracking_event(sender, event, esp_name, **kwargs):
    """Move a sent message to DELIVERED or BOUNCED; every other event is ignored."""
    if not event.message_id:
        return
    if event.event_type in DELIVERED_EVENTS:
        # A late "delivered" must not hide a bounce, nor touch a message being resent.
        changes = {"state": MessageState.DELIVERED}
        from_states = [MessageState.SENT]
    elif event.event_type in BOUNCED_EVENTS:
        # Bounces can arrive after the receiving server first accepted the message.
        changes = {"state": MessageState.BOUNCED, "last_error": _bounce_description(event)}
        from_states = [MessageState.SENT, MessageState.DELIVERED]
    else:
        return
    OutboundMessage.objects.filter(
        provider_message_id__in=_id_variants(event.message_id), state__in=from_states
    ).update(updated_at=timezone.now(), **changes)


def _id_variants(message_id):
    # Providers differ in whether the id keeps its RFC 5322 angle brackets.
    bare = str(message_id).strip().strip("<>")
    return [bare, f"<{bare}>"]


def _bounce_description(event):
    parts = [event.description, event.mta_response]
    text = " – ".join(str(part) for part in parts if part)
    if not text and event.reject_reason:
        text = str(event.reject_reason)
    return text or _("Mottagarens e-postserver tog inte emot meddelandet.")
