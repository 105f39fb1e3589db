"""One message through a real SMTP server on localhost (aiosmtpd) with Django's SMTP backend."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail

from outbox.enums import MessageState

pytestmark = pytest.mark.django_db


class Recorder:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield recorder
    controller.stop()


def test_message_with_attachment_reaches_a_real_smtp_server(smtp_server, queue):
    message = queue(
        subject="Kallelse till samverkansmöte 12 mars",
        html_body="<p>Välkommen</p>",
        attachments_builder="tests.outbox.letter",
        builder_args={"filename": "kallelse.txt"},
    )

    assert message.state == MessageState.SENT, message.last_error
    assert mail.outbox == []  # it went over the wire, not to locmem
    (envelope,) = smtp_server.envelopes
    assert envelope.rcpt_tos == ["anna.berg@example.se"]
    received = message_from_bytes(envelope.content, policy=policy.default)
    assert received["Subject"] == "Kallelse till samverkansmöte 12 mars"
    assert received["Message-ID"] == message.message_id
    assert received["To"] == "Anna Berg <anna.berg@example.se>"
    (attachment,) = list(received.iter_attachments())
    assert attachment.get_filename() == "kallelse.txt"
    assert attachment.get_content() == "Kallelse till samverkansmöte"
    body = received.get_body(preferencelist=("plain",))
    assert body.get_content().strip() == "Välkommen till mötet."


@pytest.fixture
def silent_relay(settings):
    """A relay that accepts the connection and never says a word (no 220 greeting)."""
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.getsockname()[1]
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 1
    yield accepted
    stop.set()
    thread.join(timeout=5)
    for connection in accepted:
        connection.close()
    server.close()


def test_a_relay_that_never_answers_fails_the_send_within_the_timeout(silent_relay, queue):
    import time

    from django.utils import timezone

    started = time.monotonic()
    message = queue()
    elapsed = time.monotonic() - started
    assert silent_relay, "the relay was never connected to"
    assert elapsed < 5, elapsed
    assert message.state == MessageState.QUEUED  # scheduled for the next attempt
    assert message.attempts == 1 and message.next_attempt_at > timezone.now()
    assert "timed out" in message.last_error.lower(), message.last_error


def test_the_timeout_comes_from_the_environment():
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    assert settings.EMAIL_TIMEOUT == 30  # the default
    assert settings.ANYMAIL.get("REQUESTS_TIMEOUT") == 30
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_TIMEOUT, s.ANYMAIL['REQUESTS_TIMEOUT'])"
    )
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "samverk.settings", "EMAIL_TIMEOUT": "7"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["7", "7"], result.stderr
