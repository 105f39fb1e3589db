"""The real database task backend and its worker command, run once in-process."""

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from outbox.enums import MessageState
from outbox.services import queue_message
from tests.helpers import run_db_worker

from .conftest import FAILING

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = DATABASE


@pytest.fixture
def run_worker():
    return run_db_worker


def test_worker_sends_an_enqueued_message(run_worker):
    message = queue_message(to_email="a@example.se", subject="Kallelse", text_body="Text")

    (task,) = DBTaskResult.objects.all()
    assert task.status == "READY"
    assert task.task_path == "outbox.tasks.deliver"
    assert mail.outbox == []

    run_worker()

    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert message.enqueued_at is not None
    assert len(mail.outbox) == 1
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == MessageState.SENT


def test_worker_schedules_the_next_attempt_after_a_failure(settings, run_worker):
    settings.EMAIL_BACKEND = FAILING
    message = queue_message(to_email="a@example.se", subject="Kallelse", text_body="Text")

    run_worker()

    message.refresh_from_db()
    assert message.state == MessageState.QUEUED
    assert message.attempts == 1
    later = DBTaskResult.objects.get(status="READY")
    assert later.run_after == message.next_attempt_at
    # The retry is not due yet: a second batch run leaves it waiting.
    run_worker()
    message.refresh_from_db()
    assert message.attempts == 1
    assert mail.outbox == []
