"""Which delivery webhook is served: only the configured provider's, only with a secret,
and a malformed body is a 400, never a 500 (outbox/webhooks.py, samverk/checks.py)."""

import base64
import json

import pytest
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from outbox.webhooks import providers, tracking_provider
from samverk.checks import check_webhook_secret

pytestmark = pytest.mark.django_db

SECRET = "samverk:webhook-hemlighet"
# The keys of the providers that sign their webhooks (the signature fails on these bodies,
# which is a 400 too); without them, or without their library, the provider's URL is a 404.
SIGNING_KEYS = {
    "MAILGUN_WEBHOOK_SIGNING_KEY": "nyckel",
    "MAILERSEND_SIGNING_SECRET": "nyckel",
    "MANDRILL_WEBHOOK_KEY": "nyckel",
    "UNISENDER_GO_API_KEY": "nyckel",
}
MALFORMED = [
    ("", "application/json"),
    ("{", "application/json"),
    ("null", "application/json"),
    ('"text"', "application/json"),
    ("[1, 2]", "application/json"),
    ('{"event": 1}', "application/json"),
    (json.dumps([{"event": None, "MessageID": []}]), "application/json"),
    (b"\xff\xfe\x00", "application/json"),
    ("a=b&mandrill_events=x", "application/x-www-form-urlencoded"),
    ("<xml/>", "text/xml"),
]


def url(provider):
    return f"/anymail/{provider}/tracking/"


def authorised(secret=SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def post_json(client, provider, payload, **headers):
    return client.post(url(provider), payload, "application/json", **headers)


def configure(settings, provider, secret=SECRET):
    settings.EMAIL_BACKEND = f"anymail.backends.{provider}.EmailBackend"
    settings.MAIL_WEBHOOK_PROVIDER = ""
    settings.ANYMAIL = {**SIGNING_KEYS, **({"WEBHOOK_SECRET": secret} if secret else {})}


def test_the_provider_comes_from_the_backend_or_the_setting(settings):
    settings.MAIL_WEBHOOK_PROVIDER = ""
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    assert tracking_provider() == "postmark"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert tracking_provider() == ""
    settings.MAIL_WEBHOOK_PROVIDER = "mailjet"
    assert tracking_provider() == "mailjet"
    settings.MAIL_WEBHOOK_PROVIDER = "okand"
    assert tracking_provider() == ""


def test_without_an_anymail_backend_no_webhook_is_served(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.MAIL_WEBHOOK_PROVIDER = ""
    settings.ANYMAIL = {**SIGNING_KEYS, "WEBHOOK_SECRET": SECRET}
    for provider in providers():
        assert post_json(client, provider, "{}", **authorised()).status_code == 404


def test_only_the_configured_providers_webhook_is_served(client, settings):
    configure(settings, "postmark")
    payload = json.dumps({"RecordType": "Delivery", "MessageID": "abc", "Recipient": "a@b.se"})
    assert post_json(client, "postmark", payload, **authorised()).status_code == 200
    for provider in set(providers()) - {"postmark"}:
        response = post_json(client, provider, payload, **authorised())
        assert response.status_code == 404, provider


def test_a_provider_named_by_the_setting_is_served_beside_smtp(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.MAIL_WEBHOOK_PROVIDER = "postmark"
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    payload = json.dumps({"RecordType": "Delivery", "MessageID": "abc", "Recipient": "a@b.se"})
    assert post_json(client, "postmark", payload, **authorised()).status_code == 200


@pytest.mark.parametrize("provider", providers())
def test_without_a_secret_the_webhook_is_not_served(client, settings, provider):
    """Four providers accepted anyone's POST with the default empty settings."""
    configure(settings, provider, secret="")
    payload = json.dumps({"RecordType": "Delivery", "MessageID": "abc", "event": "delivered"})
    assert post_json(client, provider, payload).status_code == 404
    assert client.post(url(provider), {"a": "b"}).status_code == 404


@pytest.mark.parametrize("provider", providers())
def test_a_malformed_body_is_a_400_never_a_500(client, settings, provider):
    """Four providers answered 500 to a body that was not JSON or not their shape."""
    configure(settings, provider)
    client.raise_request_exception = False
    statuses = {
        body[:20] if isinstance(body, str) else repr(body): client.post(
            url(provider), body, content_type, **authorised()
        ).status_code
        for body, content_type in MALFORMED
    }
    # 404: the provider needs a library that is not installed here (Amazon SES: boto3,
    # Postal: cryptography). 200: a body the provider reads as a list of no events.
    assert set(statuses.values()) <= {200, 400, 404}, statuses
    if 404 not in statuses.values():
        assert statuses["{"] == 400 and statuses["b'\\xff\\xfe\\x00'"] == 400, statuses


def test_a_wrong_secret_is_refused(client, settings):
    configure(settings, "postmark")
    payload = json.dumps({"RecordType": "Delivery", "MessageID": "abc", "Recipient": "a@b.se"})
    response = post_json(client, "postmark", payload, **authorised("x:y"))
    assert response.status_code == 400


def test_check_deploy_names_a_webhook_without_a_secret(settings):
    settings.DEBUG = False
    configure(settings, "mailgun", secret="")
    errors = check_webhook_secret(None)
    assert [e.id for e in errors] == ["samverk.E001"]
    assert isinstance(errors[0], Error) and "WEBHOOK_SECRET" in errors[0].msg
    with pytest.raises(SystemCheckError, match="samverk.E001"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


def test_check_deploy_is_quiet_with_a_secret_or_without_a_provider(settings):
    settings.DEBUG = False
    configure(settings, "mailgun")
    assert check_webhook_secret(None) == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.ANYMAIL = {}
    assert check_webhook_secret(None) == []
