"""Outbox tests run their tasks immediately; test_worker.py switches to the real DB backend."""

from smtplib import SMTPException

import pytest

from outbox.builders import register
from outbox.services import queue_message

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
FAILING = "tests.outbox.conftest.FailingBackend"


class FailingBackend:
    """An e-mail backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise SMTPException("451 Servern är tillfälligt otillgänglig")


@register("tests.outbox.letter")
def build_letter(message):
    name = message.builder_args.get("filename", "kallelse.txt")
    return [(name, b"Kallelse till samverkansm\xc3\xb6te", "text/plain")]


@register("tests.outbox.broken")
def build_broken(message):
    raise RuntimeError("PDF-motorn saknas")


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE
    settings.EMAIL_BACKEND = LOCMEM


@pytest.fixture
def queue(django_capture_on_commit_callbacks):
    """queue_message as a view would call it, with the commit (and so the enqueue) done."""

    def queue(**overrides):
        fields = {
            "to_email": "anna.berg@example.se",
            "to_name": "Anna Berg",
            "subject": "Kallelse till samverkansmöte",
            "text_body": "Välkommen till mötet.",
        }
        fields.update(overrides)
        with django_capture_on_commit_callbacks(execute=True):
            message = queue_message(**fields)
        message.refresh_from_db()
        return message

    return queue
