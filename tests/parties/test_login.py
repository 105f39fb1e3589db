"""Sign-in on django-allauth (issue 14): throttled password login, reset and change through
the outbox, the password rules, the admin's login."""

import re
import time
from types import SimpleNamespace
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from outbox.models import OutboundMessage
from outbox.tasks import deliver
from tests.factories import UserFactory

PASSWORD = "lösenord-för-test"
TOO_MANY = "För många misslyckade inloggningsförsök"
WRONG = "Ange ett korrekt användarnamn och lösenord"


@pytest.fixture(autouse=True)
def fresh_counters():
    # The failed-login counters live in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock():
    """allauth's rate limits read time.time(); this one moves when told to."""
    now = SimpleNamespace(value=time.time())
    fake = SimpleNamespace(time=lambda: now.value, monotonic=time.monotonic, sleep=time.sleep)
    with mock.patch("allauth.core.internal.ratelimit.time", fake):
        yield now


def log_in(client, login, password):
    return client.post(reverse("login"), {"login": login, "password": password})


def test_log_in_by_username_or_email(client, db):
    user = UserFactory(username="kalle", email="kalle@kommun.example")
    assert log_in(client, "kalle", PASSWORD).status_code == 302
    client.logout()
    response = log_in(client, "kalle@kommun.example", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_page_has_labels_one_h1_and_no_signup(client, db):
    content = client.get(reverse("login")).content.decode()
    assert content.count("<h1") == 1
    assert 'for="id_login"' in content and 'for="id_password"' in content
    assert "Glömt lösenordet?" in content
    assert "onclick" not in content and "<script>" not in content
    signup = client.get(reverse("account_signup")).content.decode()
    assert "Konton skapas av administratören" in signup
    response = client.post(
        reverse("account_signup"),
        {"username": "ny", "email": "ny@x.example", "password1": "x" * 20, "password2": "x" * 20},
    )
    assert not get_user_model().objects.filter(username="ny").exists()
    assert response.status_code == 200


def test_failed_logins_are_refused_for_a_while_then_the_owner_gets_in(client, db, clock):
    UserFactory(username="kalle")
    for _ in range(10):
        response = log_in(client, "kalle", "fel-lösenord")
        assert response.status_code == 200 and WRONG in response.content.decode()
    # The eleventh try is refused, even with the right password.
    response = log_in(client, "kalle", PASSWORD)
    assert response.status_code == 200 and TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session
    clock.value += 10 * 60
    assert TOO_MANY in log_in(client, "kalle", PASSWORD).content.decode()
    # Once the window has passed, the owner logs in.
    clock.value += 6 * 60
    assert log_in(client, "kalle", PASSWORD).status_code == 302


def test_many_accounts_from_one_address_are_refused(client, db, clock):
    for n in range(20):
        assert WRONG in log_in(client, f"gissning{n}", "fel").content.decode()
    assert TOO_MANY in log_in(client, "gissning-till", "fel").content.decode()


def test_reset_says_the_same_for_an_unknown_address_and_sends_nothing(client, db):
    UserFactory(username="kalle", email="kalle@kommun.example")
    known = client.post(reverse("account_reset_password"), {"email": "kalle@kommun.example"})
    unknown = client.post(reverse("account_reset_password"), {"email": "ingen@kommun.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    assert OutboundMessage.objects.count() == 1
    assert OutboundMessage.objects.get().to_email == "kalle@kommun.example"


def test_reset_through_the_outbox_then_log_in(client, db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    UserFactory(username="kalle", email="kalle@kommun.example")
    client.post(reverse("account_reset_password"), {"email": "kalle@kommun.example"})
    message = OutboundMessage.objects.get()
    assert message.subject == "Återställ ditt lösenord till Samverk"
    deliver.call(message.pk)
    (sent,) = mail.outbox
    assert "kalle@kommun.example" in sent.to[0]
    link = re.search(r"https?://\S+/konto/aterstall/nyckel/\S+/", sent.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path, follow=True)
    assert "Välj nytt lösenord" in page.content.decode()
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else "/" + path
    # Too short and too common are refused beside the field.
    short = client.post(form_url, {"password1": "kort-ord", "password2": "kort-ord"})
    assert "minst 12 tecken" in short.content.decode()
    common = client.post(form_url, {"password1": "password1234", "password2": "password1234"})
    assert "för vanligt" in common.content.decode()
    new = "ett-nytt-bra-lösenord-42"
    done = client.post(form_url, {"password1": new, "password2": new})
    assert done.status_code == 302 and done["Location"] == reverse(
        "account_reset_password_from_key_done"
    )
    assert OutboundMessage.objects.filter(subject="Ditt lösenord till Samverk har ändrats").exists()
    # The link is used up.
    again = client.get("/" + path, follow=True)
    assert "Länken gäller inte" in again.content.decode()
    assert log_in(client, "kalle", PASSWORD).status_code == 200
    assert log_in(client, "kalle", new).status_code == 302


def test_change_password(client, db):
    user = UserFactory(username="kalle")
    client.force_login(user)
    url = reverse("account_change_password")
    page = client.get(url).content.decode()
    assert page.count("<h1") == 1 and "Byt lösenord" in page
    new = "ett-nytt-bra-lösenord-42"
    wrong = client.post(url, {"oldpassword": "fel", "password1": new, "password2": new})
    assert wrong.status_code == 200
    response = client.post(url, {"oldpassword": PASSWORD, "password1": new, "password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    # The owner is told, through the outbox.
    notice = OutboundMessage.objects.get()
    assert notice.to_email == user.email
    assert notice.subject == "Ditt lösenord till Samverk har ändrats"


def test_admin_logs_in_through_our_login(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login.status_code == 302 and login["Location"].startswith(reverse("login"))
    staff = UserFactory(username="admin1", is_staff=True, is_superuser=True)
    assert log_in(client, "admin1", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    client.force_login(UserFactory(username="vanlig"))
    assert client.get(reverse("admin:login")).status_code == 403
    assert staff.pk
