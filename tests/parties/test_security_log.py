"""The security log: logins, failed logins, password changes and resets, with time, user
and address; no password or token; read-only in the admin; purged after the retention time."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutboundMessage
from parties.models import SecurityEvent
from tests.factories import UserFactory

PASSWORD = "lösenord-för-test"
NEW = "ett-nytt-bra-lösenord-42"
Kind = SecurityEvent.Kind


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def kinds():
    return list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))


def test_login_and_failed_login_are_logged_without_the_password(client, db):
    user = UserFactory(username="kalle")
    client.post(
        reverse("login"), {"login": "kalle", "password": "hemligt-fel"}, REMOTE_ADDR="10.1.2.3"
    )
    client.post(reverse("login"), {"login": "kalle", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("logout"))
    assert kinds() == [Kind.LOGIN_FAILED, Kind.LOGIN, Kind.LOGOUT]
    failed, ok, _ = SecurityEvent.objects.order_by("pk")
    assert failed.user is None and failed.login == "kalle" and failed.address == "10.1.2.3"
    assert ok.user == user and ok.address == "10.1.2.3" and ok.at <= timezone.now()
    for event in SecurityEvent.objects.all():
        values = " ".join(str(v) for v in vars(event).values())
        assert "hemligt-fel" not in values and PASSWORD not in values


def test_password_change_and_reset_are_logged_without_the_token(client, db):
    user = UserFactory(username="kalle", email="kalle@kommun.example")
    client.force_login(user)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW},
    )
    assert SecurityEvent.objects.filter(kind=Kind.PASSWORD_CHANGED, user=user).exists()
    client.logout()
    client.post(reverse("account_reset_password"), {"email": "kalle@kommun.example"})
    message = OutboundMessage.objects.get(subject__startswith="Återställ")
    path = re.search(r"/konto/aterstall/nyckel/\S+/", message.text_body).group(0)
    form = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(form, {"password1": NEW + "x", "password2": NEW + "x"})
    event = SecurityEvent.objects.get(kind=Kind.PASSWORD_RESET)
    assert event.user == user
    key = path.rstrip("/").rsplit("-", 1)[-1]
    for event in SecurityEvent.objects.all():
        assert key not in " ".join(str(v) for v in vars(event).values())


def test_admin_sees_it_read_only(client, db):
    admin = UserFactory(username="admin1", is_staff=True, is_superuser=True)
    client.force_login(admin)
    event = SecurityEvent.objects.get(kind=Kind.LOGIN, user=admin)
    listing = client.get(reverse("admin:parties_securityevent_changelist"))
    assert listing.status_code == 200 and "admin1" in listing.content.decode()
    change = reverse("admin:parties_securityevent_change", args=[event.pk])
    assert client.get(change).status_code == 200  # the view page
    client.post(change, {"kind": Kind.LOGOUT})
    event.refresh_from_db()
    assert event.kind == Kind.LOGIN
    assert client.get(reverse("admin:parties_securityevent_add")).status_code == 403
    delete = reverse("admin:parties_securityevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_purge_keeps_the_log_as_long_as_the_case_log(db, settings):
    settings.CASE_RETENTION_DAYS = 730
    old = SecurityEvent.objects.create(
        kind=Kind.LOGIN, at=timezone.now() - timedelta(days=731), login="gammal"
    )
    recent = SecurityEvent.objects.create(
        kind=Kind.LOGIN, at=timezone.now() - timedelta(days=729), login="ny"
    )
    call_command("purge_security_log")
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()
    assert SecurityEvent.objects.filter(pk=recent.pk).exists()
