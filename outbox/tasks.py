"""Background tasks of the outbox (django-tasks; run by `manage.py db_worker`)."""

from django_tasks import task

from . import services


@task()
def deliver(message_id):
    """Send one outbox message; the row's state says what happened."""
    message = services.send_message(message_id)
    return None if message is None else message.state
