"""Background tasks of the outbox (django-tasks; run by `manage.py db_worker`)."""

from django.utils import timezone
from django_tasks import task

from .enums import MessageState
from .models import OutboundMessage
from .sending import send_message


@task()
def deliver(message_id):
    """Send one outbox message; the row's state says what happened. A failed attempt
    that is to be tried again is enqueued for its time."""
    message = send_message(message_id)
    if message is None:
        # Not claimed. A job that runs before the row's next attempt is due (RQ schedules
        # in whole seconds, so a retry can start up to a second early) waits for it again;
        # otherwise the retry would wait for the periodic send_queued_messages.
        early = OutboundMessage.objects.filter(
            pk=message_id, state=MessageState.QUEUED, next_attempt_at__gt=timezone.now()
        ).values_list("next_attempt_at", flat=True)
        for due in early:
            enqueue(message_id, run_after=due)
        return None
    if message.state == MessageState.QUEUED:
        enqueue(message.pk, run_after=message.next_attempt_at)
    return message.state


def enqueue(message_id, run_after=None):
    task = deliver
    if run_after is not None:
        if not deliver.get_backend().supports_defer:
            # This backend cannot wait (immediate backend); the periodic command
            # enqueues the row once it is due.
            return
        task = deliver.using(run_after=run_after)
    task.enqueue(message_id)
    OutboundMessage.objects.filter(pk=message_id).update(enqueued_at=timezone.now())
