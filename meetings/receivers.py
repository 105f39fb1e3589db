"""Mail that comes in through the provider's inbound webhook (outbox.webhooks, anymail's
``inbound`` signal): the calendar answers in it count (meetings.services.replies)."""

import logging

from anymail.signals import inbound
from django.dispatch import receiver

from .services.replies import record_replies_in

logger = logging.getLogger(__name__)


@receiver(inbound, dispatch_uid="meetings.record_calendar_replies")
def record_calendar_replies(sender, event, esp_name, **kwargs):
    message = getattr(event, "message", None)
    if message is None:
        return
    outcomes = record_replies_in(message)
    if not outcomes:
        logger.info("Inbound %s message without a calendar reply ignored.", esp_name)
