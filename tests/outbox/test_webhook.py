"""Delivery tracking through the provider's webhook (Mailgun, signature-checked)."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from django.urls import reverse_lazy

from outbox.enums import MessageState
from tests.factories import OutboundMessageFactory

pytestmark = pytest.mark.django_db

SIGNING_KEY = "test-key"
BASIC_AUTH = "samverk:webhook-hemlighet"
PROVIDER_ID = "<20250301101500.1.ABCDEF@mg.samverk.example>"


@pytest.fixture(autouse=True)
def mailgun(settings):
    settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY, "WEBHOOK_SECRET": BASIC_AUTH}


# Only the configured provider's webhook is served (outbox/webhooks.py).
MAILGUN_WEBHOOK = reverse_lazy("anymail:tracking_webhook", args=["mailgun"])


@pytest.fixture
def sent_message():
    return OutboundMessageFactory(
        to_email="anna.berg@example.se",
        state=MessageState.SENT,
        provider_message_id=PROVIDER_ID,
    )


def mailgun_event(event, *, message_id=PROVIDER_ID, key=SIGNING_KEY, **extra):
    timestamp = str(int(time.time()))
    token = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": {
            "event": event,
            "timestamp": time.time(),
            "id": "CPgfbmQMTCKtHW6uIWtuVe",
            "recipient": "anna.berg@example.se",
            # Mailgun sends the id without angle brackets.
            "message": {"headers": {"message-id": message_id.strip("<>")}},
            **extra,
        },
    }


def post(client, payload, auth=BASIC_AUTH):
    headers = {}
    if auth:
        headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(auth.encode()).decode()
    return client.post(
        MAILGUN_WEBHOOK,
        data=json.dumps(payload),
        content_type="application/json",
        **headers,
    )


def test_delivered_event_marks_message_delivered(client, sent_message):
    # An anonymous POST: the webhook is exempt from the login requirement.
    response = post(client, mailgun_event("delivered"))
    assert response.status_code == 200
    sent_message.refresh_from_db()
    assert sent_message.state == MessageState.DELIVERED


def test_permanent_failure_marks_message_bounced_with_reason(client, sent_message):
    payload = mailgun_event(
        "failed",
        severity="permanent",
        reason="bounce",
        **{"delivery-status": {"description": "", "message": "550 5.1.1 User unknown"}},
    )
    assert post(client, payload).status_code == 200
    sent_message.refresh_from_db()
    assert sent_message.state == MessageState.BOUNCED
    assert "550 5.1.1 User unknown" in sent_message.last_error


def test_rejected_event_marks_message_bounced(client, sent_message):
    payload = mailgun_event("rejected", reject={"reason": "Adressen är spärrad"})
    assert post(client, payload).status_code == 200
    sent_message.refresh_from_db()
    assert sent_message.state == MessageState.BOUNCED
    assert "Adressen är spärrad" in sent_message.last_error


@pytest.mark.parametrize(
    ("event", "extra"),
    [("opened", {}), ("clicked", {}), ("failed", {"severity": "temporary"})],
)
def test_other_events_are_ignored(client, sent_message, event, extra):
    assert post(client, mailgun_event(event, **extra)).status_code == 200
    sent_message.refresh_from_db()
    assert sent_message.state == MessageState.SENT


def test_late_delivered_does_not_hide_a_bounce(client, sent_message):
    sent_message.state = MessageState.BOUNCED
    sent_message.save()
    assert post(client, mailgun_event("delivered")).status_code == 200
    sent_message.refresh_from_db()
    assert sent_message.state == MessageState.BOUNCED


def test_unknown_message_id_is_ignored(client, sent_message):
    response = post(client, mailgun_event("delivered", message_id="<okand@mg.example>"))
    assert response.status_code == 200
    sent_message.refresh_from_db()
    assert sent_message.state == MessageState.SENT


def test_wrong_signature_is_refused(client, sent_message):
    response = post(client, mailgun_event("delivered", key="fel-nyckel"))
    assert response.status_code in (400, 403)
    sent_message.refresh_from_db()
    assert sent_message.state == MessageState.SENT


def test_missing_basic_auth_is_refused(client, sent_message):
    response = post(client, mailgun_event("delivered"), auth=None)
    assert response.status_code in (400, 403)
    sent_message.refresh_from_db()
    assert sent_message.state == MessageState.SENT


def test_webhook_is_not_redirected_to_login(client):
    response = client.post(MAILGUN_WEBHOOK)
    assert response.status_code == 400


def test_unconfigured_provider_answers_404_not_500(client, settings):
    settings.ANYMAIL = {}
    response = client.post(MAILGUN_WEBHOOK, {"a": "b"})
    assert response.status_code == 404


def test_only_the_providers_tracking_and_inbound_webhooks_are_exposed(client, settings):
    # Issue 16: the configured provider's inbound webhook takes calendar answers
    # (tests/meetings/test_calendar_replies.py); it refuses a POST without the secret, and
    # no other provider's is mounted, nor any without the secret set.
    response = client.post("/anymail/mailgun/inbound/", {"a": "b"})
    assert response.status_code == 400
    for other in ("postmark", "sendgrid", "amazon_ses"):
        assert client.post(f"/anymail/{other}/inbound/", {"a": "b"}).status_code == 404
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    assert client.post("/anymail/mailgun/inbound/", {"a": "b"}).status_code == 404
    assert str(MAILGUN_WEBHOOK) == "/anymail/mailgun/tracking/"
