"""Failures, back-off, the safety net, stuck messages and "Skicka igen"."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from outbox import services
from outbox.enums import MessageState
from outbox.sending import recover_stuck, send_message
from outbox.services import retry
from outbox.tasks import deliver
from tests.factories import OutboundMessageFactory, UserFactory

from .conftest import DUMMY, FAILING, LOCMEM

pytestmark = pytest.mark.django_db

def test_failure_leaves_message_queued_for_a_later_attempt(settings, queue):
    settings.EMAIL_BACKEND = FAILING
    before = timezone.now()
    message = queue()

    assert message.state == MessageState.QUEUED
    assert message.attempts == 1
    assert "SMTPException" in message.last_error and "451" in message.last_error
    assert message.next_attempt_at >= before + timedelta(minutes=1)
    assert mail.outbox == []
    # Not due yet: a worker that picks it up early leaves it alone.
    assert send_message(message.pk) is None

    settings.EMAIL_BACKEND = LOCMEM
    sent = send_message(message.pk, now=message.next_attempt_at)
    assert sent.state == MessageState.SENT
    assert sent.attempts == 2
    assert sent.last_error == ""
    assert send_message(message.pk, now=message.next_attempt_at + timedelta(hours=1)) is None
    assert len(mail.outbox) == 1


def test_backoff_grows_and_the_sixth_failure_is_final(settings, queue):
    settings.EMAIL_BACKEND = FAILING
    message = queue()
    delays = []
    while message.state == MessageState.QUEUED:
        due = message.next_attempt_at
        message = send_message(message.pk, now=due)
        if message.state == MessageState.QUEUED:
            delays.append(message.next_attempt_at - due)

    # The first attempt happened in queue(); the loop saw attempts 2–6.
    assert delays == [timedelta(minutes=m) for m in (5, 30, 120, 360)]
    assert message.state == MessageState.FAILED
    assert message.attempts == 6
    assert "451" in message.last_error
    assert send_message(message.pk, now=timezone.now() + timedelta(days=1)) is None
    assert mail.outbox == []


def test_retry_delays_come_from_the_settings(settings, queue):
    """OUTBOX_RETRY_DELAYS (seconds): two delays, so the third failure is final."""
    settings.EMAIL_BACKEND = FAILING
    settings.OUTBOX_RETRY_DELAYS = [3, 20]
    before = timezone.now()
    message = queue()
    assert before + timedelta(seconds=3) <= message.next_attempt_at
    assert message.next_attempt_at <= timezone.now() + timedelta(seconds=3)
    due = message.next_attempt_at
    message = send_message(message.pk, now=due)
    assert (message.state, message.next_attempt_at - due) == (
        MessageState.QUEUED,
        timedelta(seconds=20),
    )
    message = send_message(message.pk, now=message.next_attempt_at)
    assert (message.state, message.attempts) == (MessageState.FAILED, 3)


def test_failing_attachment_builder_counts_as_a_failure(queue):
    message = queue(attachments_builder="tests.outbox.broken")
    assert message.state == MessageState.QUEUED
    assert message.attempts == 1
    assert "PDF-motorn saknas" in message.last_error
    assert mail.outbox == []


def test_failure_reenqueues_the_task_to_run_when_due(settings, django_capture_on_commit_callbacks):
    settings.TASKS = DUMMY
    settings.EMAIL_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=False):
        message = services.queue_message(to_email="a@example.se", subject="Hej", text_body="Text")

    # What the worker runs: the task sends, and enqueues the next attempt for its time.
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver.call(message.pk) == MessageState.QUEUED
    message.refresh_from_db()
    assert message.attempts == 1
    (result,) = default_task_backend.results
    assert result.args == [message.pk]
    assert result.task.run_after == message.next_attempt_at


def test_a_retry_that_starts_early_waits_for_its_time_again(settings):
    """RQ schedules in whole seconds: a retry job may run up to a second before the row is
    due. It used to do nothing, and the message waited for the periodic command."""
    settings.TASKS = DUMMY
    due = timezone.now() + timedelta(milliseconds=800)
    message = OutboundMessageFactory(attempts=1, next_attempt_at=due)

    assert deliver.call(message.pk) is None
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.QUEUED, 1)
    (result,) = default_task_backend.results
    assert (result.args, result.task.run_after) == ([message.pk], due)

    # A row that is sent (or another worker's) is left alone.
    default_task_backend.clear()
    message.state = MessageState.SENT
    message.save(update_fields=["state"])
    assert deliver.call(message.pk) is None
    assert default_task_backend.results == []


def test_crash_between_save_and_enqueue_is_recovered(django_capture_on_commit_callbacks):
    # The process dies after the commit but before its on_commit callback ran.
    with django_capture_on_commit_callbacks(execute=False):
        message = services.queue_message(to_email="a@example.se", subject="Hej", text_body="Text")
    assert mail.outbox == []

    call_command("send_queued_messages", verbosity=0)

    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert len(mail.outbox) == 1
    call_command("send_queued_messages", verbosity=0)
    assert len(mail.outbox) == 1


def test_safety_net_leaves_recently_enqueued_messages_to_their_task(settings, queue):
    settings.TASKS = DUMMY
    message = queue()  # enqueued on the dummy backend, not run
    default_task_backend.clear()

    assert services.enqueue_due() == 0
    assert services.enqueue_due(now=timezone.now() + services.ENQUEUE_GRACE) == 1
    assert [r.args for r in default_task_backend.results] == [[message.pk]]
    message.refresh_from_db()
    assert message.state == MessageState.QUEUED


def make_sending(minutes_ago):
    claimed = timezone.now() - timedelta(minutes=minutes_ago)
    return OutboundMessageFactory(
        state=MessageState.SENDING,
        attempts=1,
        claimed_at=claimed,
        next_attempt_at=claimed,
    )


def test_stuck_message_is_marked_failed_and_never_resent():
    stuck = make_sending(minutes_ago=20)
    busy = make_sending(minutes_ago=2)

    assert recover_stuck() == 1

    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert stuck.state == MessageState.FAILED
    assert stuck.last_error == "Avbröts under sändning – kontrollera och skicka om."
    assert busy.state == MessageState.SENDING
    call_command("send_queued_messages", verbosity=0)
    assert send_message(stuck.pk) is None
    assert mail.outbox == []


def test_send_queued_messages_recovers_stuck_messages():
    stuck = make_sending(minutes_ago=16)
    call_command("send_queued_messages", verbosity=0)
    stuck.refresh_from_db()
    assert stuck.state == MessageState.FAILED
    assert mail.outbox == []


def test_retry_starts_a_new_cycle_for_a_failed_message(django_capture_on_commit_callbacks):
    stuck = make_sending(minutes_ago=20)
    recover_stuck()
    stuck.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        message = retry(stuck)

    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert message.attempts == 1
    assert message.last_error == ""
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("state", [MessageState.QUEUED, MessageState.SENT, MessageState.DELIVERED])
def test_retry_refuses_messages_that_did_not_fail(state):
    message = OutboundMessageFactory(state=state)
    with pytest.raises(ValidationError):
        retry(message)
    message.refresh_from_db()
    assert message.state == state


def test_admin_action_sends_failed_and_bounced_again(client, django_capture_on_commit_callbacks):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    failed = OutboundMessageFactory(subject="Misslyckad", state=MessageState.FAILED)
    bounced = OutboundMessageFactory(subject="Studsad", state=MessageState.BOUNCED)
    delivered = OutboundMessageFactory(subject="Levererad", state=MessageState.DELIVERED)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:outbox_outboundmessage_changelist"),
            {"action": "send_again", "_selected_action": [failed.pk, bounced.pk, delivered.pk]},
            follow=True,
        )

    assert response.status_code == 200
    content = response.content.decode()
    assert "2 meddelanden köades för att skickas igen." in content
    assert "1 hoppades över" in content
    assert sorted(m.subject for m in mail.outbox) == ["Misslyckad", "Studsad"]
    delivered.refresh_from_db()
    assert delivered.state == MessageState.DELIVERED


def test_admin_lists_messages(admin_client):
    OutboundMessageFactory(subject="Kallelse")
    response = admin_client.get(
        reverse("admin:outbox_outboundmessage_changelist"), {"q": "Kallelse"}
    )
    assert response.status_code == 200
    assert "Kallelse" in response.content.decode()
    assert "Köad" in response.content.decode()
