"""The second factor (issue 14): who must have one (parties.mfa), the enrolment it forces
with MFA_REQUIRED, the login's second step (the admin's too), the security log and the mail
that tell of it. The browser journeys are in tests/browser/test_mfa.py."""

import json
import time

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.urls import reverse

from parties import mfa
from parties.models import SecurityEvent
from tests.factories import SamverkAreaFactory, UserFactory
from tests.helpers import deliver_all

PASSWORD = "lösenord-för-test"
Kind = SecurityEvent.Kind


def coordinator(**kwargs):
    return UserFactory(is_caseworker=False, coordinated_areas=[SamverkAreaFactory()], **kwargs)


# Every kind of user Samverk has: (label, factory, must have a second factor).
ROLES = [
    ("handläggare", lambda: UserFactory(is_caseworker=True), True),
    ("samverkanskoordinator", coordinator, True),
    ("administratör", lambda: UserFactory(is_caseworker=False, is_administrator=True), True),
    ("personal i admin", lambda: UserFactory(is_caseworker=False, is_staff=True), True),
    ("superanvändare", lambda: UserFactory(is_caseworker=False, is_superuser=True), True),
    ("utan roll", lambda: UserFactory(is_caseworker=False), False),
    ("inaktiverad handläggare", lambda: UserFactory(is_caseworker=True, is_active=False), False),
]
ROLE_IDS = [label for label, _, _ in ROLES]
ACTIVE_ROLES = [role for role in ROLES if "inaktiverad" not in role[0]]


def add_totp(user) -> pyotp.TOTP:
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return pyotp.TOTP(secret)


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED = True
    return settings


# --- the rule: who must, who need not -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "make", "must"), ROLES, ids=ROLE_IDS)
def test_who_must_have_a_second_factor(label, make, must):
    assert mfa.must_have_second_factor(make()) is must


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "make", "must"), ACTIVE_ROLES, ids=ROLE_IDS[:-1])
def test_enrolment_forced_only_for_those_who_must_and_have_none(label, make, must, rf, required):
    user = make()
    request = rf.get("/")
    request.user, request.session = user, {}
    assert mfa.must_enrol(request) is must
    add_totp(user)
    assert mfa.must_enrol(request) is False


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "make", "must"), ACTIVE_ROLES, ids=ROLE_IDS[:-1])
def test_nobody_is_forced_without_mfa_required(label, make, must, rf, settings):
    settings.MFA_REQUIRED = False
    request = rf.get("/")
    request.user, request.session = make(), {}
    assert mfa.must_enrol(request) is False


@pytest.mark.django_db
def test_a_security_key_counts_recovery_codes_alone_do_not(caseworker):
    assert not mfa.has_second_factor(caseworker)
    RecoveryCodes.activate(caseworker)
    assert not mfa.has_second_factor(caseworker)
    Authenticator.objects.create(user=caseworker, type=Authenticator.Type.WEBAUTHN, data={})
    assert mfa.has_second_factor(caseworker)


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "make", "must"), ACTIVE_ROLES, ids=ROLE_IDS[:-1])
def test_a_strong_single_sign_on_is_exempt(label, make, must, rf, required):
    request = rf.get("/")
    request.user, request.session = make(), {mfa.SSO_STRONG_SESSION_KEY: True}
    assert mfa.must_enrol(request) is False


@pytest.mark.parametrize(
    "name",
    ["login", "logout", "keepalive", "mfa_index", "mfa_activate_totp", "mfa_add_webauthn"],
)
def test_enrolment_logout_and_keepalive_are_exempt(name):
    assert mfa.is_exempt(reverse(name), name)


def test_static_files_are_exempt():
    assert mfa.is_exempt("/static/js/webauthn.js", None)


@pytest.mark.parametrize(
    "name", ["dashboard", "cases:list", "parties:area_list", "admin:index", "mfa_deactivate_totp"]
)
def test_other_pages_are_not_exempt(name):
    assert not mfa.is_exempt(reverse(name), name)


# --- the middleware -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "make", "must"), ACTIVE_ROLES, ids=ROLE_IDS[:-1])
def test_every_page_sends_to_enrolment_with_a_swedish_reason(label, make, must, client, required):
    client.force_login(make())
    for url in (reverse("dashboard"), reverse("cases:list"), reverse("parties:area_list")):
        response = client.get(url)
        if must:
            assert response.status_code == 302, url
            assert response["Location"] == reverse("mfa_index")
        else:
            assert response.status_code in (200, 403), url
    if must:
        page = client.get(reverse("mfa_index"))
        assert page.status_code == 200
        content = page.content.decode()
        assert "måste skyddas med tvåstegsverifiering" in content
        assert "Lägg till autentiseringsapp" in content
        assert "Lägg till säkerhetsnyckel" in content


@pytest.mark.django_db
def test_enrolment_pages_logout_and_keepalive_stay_reachable(client, caseworker, required):
    client.force_login(caseworker)
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("keepalive")).status_code == 204
    # Enrolment asks to confirm the password first (a forced login has no record of one).
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 302
    assert activate["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(activate["Location"]).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_htmx_requests_are_told_where_to_go(client, caseworker, required):
    client.force_login(caseworker)
    response = client.get(reverse("cases:list"), headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert response["HX-Redirect"] == reverse("mfa_index")


@pytest.mark.django_db
def test_strong_single_sign_on_session_reaches_every_page(client, caseworker, required):
    client.force_login(caseworker)
    session = client.session
    session[mfa.SSO_STRONG_SESSION_KEY] = True
    session.save()
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("cases:list")).status_code == 200


@pytest.mark.django_db
def test_a_user_with_an_app_reaches_every_page(client, caseworker, required):
    add_totp(caseworker)
    client.force_login(caseworker)
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
def test_admin_without_a_second_factor_is_sent_to_enrolment(client, required):
    staff = UserFactory(is_caseworker=False, is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")


# --- the login's second step ----------------------------------------------------------------


def password_step(client, user, next_url=None):
    data = {"login": user.username, "password": PASSWORD}
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    return response


@pytest.mark.django_db
def test_password_then_code_logs_in_a_wrong_or_replayed_code_does_not(client, caseworker):
    totp = add_totp(caseworker)
    password_step(client, caseworker)
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Ange koden från din autentiseringsapp" in page
    assert "Använd säkerhetsnyckel" in page
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "Felaktig kod" in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    code = totp.now()
    done = client.post(reverse("mfa_authenticate"), {"code": code})
    assert done.status_code == 302 and done["Location"] == reverse("dashboard")
    assert int(client.session["_auth_user_id"]) == caseworker.pk
    client.post(reverse("logout"))

    password_step(client, caseworker)
    replayed = client.post(reverse("mfa_authenticate"), {"code": code})
    assert replayed.status_code == 200 and "Felaktig kod" in replayed.content.decode()
    assert "_auth_user_id" not in client.session
    kinds = list(SecurityEvent.objects.filter(user=caseworker).values_list("kind", flat=True))
    assert kinds.count(Kind.MFA_FAILED) == 2
    assert kinds.count(Kind.LOGIN) == 1


@pytest.mark.django_db
def test_a_recovery_code_works_once(client, caseworker):
    add_totp(caseworker)
    code = (
        Authenticator.objects.get(user=caseworker, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()[0]
    )
    password_step(client, caseworker)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    password_step(client, caseworker)
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200 and "Felaktig kod" in again.content.decode()


@pytest.mark.django_db
def test_admin_with_an_app_reaches_the_admin_only_after_the_code(client, required):
    staff = UserFactory(is_caseworker=False, is_staff=True, is_superuser=True)
    totp = add_totp(staff)
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 302
    login = client.get(admin["Location"], follow=True)
    assert login.redirect_chain[-1][0].startswith(reverse("login"))
    password_step(client, staff, next_url=reverse("admin:index"))
    assert client.get(reverse("admin:index")).status_code == 302  # not logged in yet
    done = client.post(reverse("mfa_authenticate"), {"code": totp.now()})
    assert done["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


# --- enrolment through the pages, the log and the mail --------------------------------------


def confirm_password(client):
    # allauth asks for the password again before a change to the factors (after 5 minutes
    # or, as here, after a login it has no record of).
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_activate_renew_and_remove_an_app_logged_and_mailed(
    client, caseworker, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(caseworker)
    confirm_password(client)
    page = client.get(reverse("mfa_activate_totp"))
    content = page.content.decode()
    assert page.status_code == 200 and 'src="data:image/svg+xml;base64,' in content
    secret = page.context["form"].secret
    assert secret in content
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "123"})
    assert wrong.status_code == 200 and "Felaktig kod" in wrong.content.decode()
    assert not mfa.has_second_factor(caseworker)
    # allauth signals and mails after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302 and done["Location"] == reverse("mfa_view_recovery_codes")
    assert mfa.has_second_factor(caseworker)
    codes = client.get(done["Location"]).content.decode()
    assert "Återställningskoder" in codes and "10 av 10 koder är oanvända" in codes
    download = client.get(reverse("mfa_download_recovery_codes"))
    assert download.status_code == 200 and download["Content-Type"].startswith("text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("mfa_generate_recovery_codes")).status_code == 302
    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=caseworker).exists()

    kinds = list(
        SecurityEvent.objects.filter(user=caseworker).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == [
        Kind.LOGIN,
        Kind.MFA_ADDED,  # the app
        Kind.MFA_RECOVERY_CODES_RENEWED,  # the codes that came with it
        Kind.MFA_RECOVERY_CODES_RENEWED,  # new codes asked for
        Kind.MFA_REMOVED,  # the app
        Kind.MFA_REMOVED,  # the codes, useless without it
    ]
    changes = SecurityEvent.objects.filter(user=caseworker).exclude(kind=Kind.LOGIN)
    assert all(event.address == "127.0.0.1" for event in changes)
    deliver_all()
    subjects = [m.subject for m in mail.outbox if caseworker.email in m.to[0]]
    assert sorted(subjects) == [
        "Nya återställningskoder för ditt konto i Samverk",
        "Tvåstegsverifieringen för ditt konto i Samverk har ändrats",
        "Tvåstegsverifieringen för ditt konto i Samverk har ändrats",
    ]
    bodies = "".join(m.body for m in mail.outbox)
    assert "En autentiseringsapp har just lagts till" in bodies
    assert "Autentiseringsappen har just tagits bort" in bodies
    assert secret not in "".join(m.body for m in mail.outbox)


@pytest.mark.django_db
def test_pages_are_swedish_with_one_h1(client, caseworker):
    add_totp(caseworker)
    client.force_login(caseworker)
    confirm_password(client)
    for name in (
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_deactivate_totp",
        "mfa_list_webauthn",
        "mfa_add_webauthn",
    ):
        page = client.get(reverse(name))
        assert page.status_code == 200, name
        content = page.content.decode()
        assert content.count("<h1") == 1, name
        assert 'lang="sv"' in content
        for english in ("Two-Factor", "Security Key", "Recovery Codes", "Authenticator App"):
            assert english not in content, (name, english)
        assert "onclick" not in content and "<script>" not in content, name


@pytest.mark.django_db
def test_a_user_who_asked_for_a_password_reset_can_still_add_an_app(client, caseworker):
    # The reset request leaves allauth an unverified address row (Samverk verifies none).
    client.post(reverse("account_reset_password"), {"email": caseworker.email})
    client.force_login(caseworker)
    confirm_password(client)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert mfa.has_second_factor(caseworker)


@pytest.mark.django_db
def test_the_dashboard_offers_it_when_not_required(client, caseworker, settings):
    settings.MFA_REQUIRED = False
    client.force_login(caseworker)
    hint = "Lägg till tvåstegsverifiering"
    assert hint in client.get(reverse("dashboard")).content.decode()
    add_totp(caseworker)
    assert hint not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.django_db
def test_the_dashboard_does_not_offer_it_to_a_user_without_a_role(client, no_role_user, settings):
    settings.MFA_REQUIRED = False
    client.force_login(no_role_user)
    assert "Lägg till tvåstegsverifiering" not in client.get(reverse("dashboard")).content.decode()


# --- the admin ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_shows_a_users_factors_never_their_secrets(client, caseworker):
    secret = pyotp.random_base32()
    totp = TOTP.activate(caseworker, secret).instance
    codes = RecoveryCodes.activate(caseworker)
    root = UserFactory(username="root", is_caseworker=False, is_staff=True, is_superuser=True)
    client.force_login(root)
    listing = client.get(reverse("admin:mfa_authenticator_changelist"))
    assert listing.status_code == 200 and str(caseworker) in listing.content.decode()
    page = client.get(reverse("admin:mfa_authenticator_change", args=[totp.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert secret not in content and codes.instance.data["seed"] not in content
    assert client.get(reverse("admin:mfa_authenticator_add")).status_code == 403


@pytest.mark.django_db
def test_an_administrator_deletes_a_lost_phones_app_with_its_codes_logged(client, caseworker):
    add_totp(caseworker)
    root = UserFactory(username="root", is_caseworker=False, is_staff=True, is_superuser=True)
    add_totp(root)
    client.force_login(root)
    totp = Authenticator.objects.get(user=caseworker, type=Authenticator.Type.TOTP)
    url = reverse("admin:mfa_authenticator_delete", args=[totp.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Authenticator.objects.filter(user=caseworker).exists()
    removed = SecurityEvent.objects.filter(user=caseworker, kind=Kind.MFA_REMOVED)
    assert removed.count() == 2 and all(e.address == "127.0.0.1" for e in removed)


@pytest.mark.django_db
def test_a_refused_security_key_answer_is_logged_like_a_wrong_code(client, caseworker):
    add_totp(caseworker)
    password_step(client, caseworker)
    client.get(reverse("mfa_authenticate"))  # the page starts the key's challenge
    forged = {
        "id": "AAAA",
        "rawId": "AAAA",
        "type": "public-key",
        "response": {"clientDataJSON": "e30", "authenticatorData": "AAAA", "signature": "AAAA"},
    }
    response = client.post(reverse("mfa_authenticate"), {"credential": json.dumps(forged)})
    assert response.status_code == 200 and "Felaktig kod" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(user=caseworker, kind=Kind.MFA_FAILED).count() == 1
    long = client.post(reverse("mfa_authenticate"), {"credential": "[" + "1," * 20_000 + "1]"})
    assert long.status_code == 200 and "_auth_user_id" not in client.session


def sso_only_user():
    user = UserFactory(is_caseworker=True)
    user.set_unusable_password()
    user.save()
    return user


def record_login(client, user, seconds_ago):
    # What allauth keeps in the session of a login (here: single sign-on's).
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "socialaccount", "at": time.time() - seconds_ago, "provider": "oidc"}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.mark.django_db
def test_a_user_without_password_enrols_right_after_the_sso_login(client, required):
    user = sso_only_user()
    client.force_login(user)
    record_login(client, user, seconds_ago=30)
    assert client.get(reverse("dashboard"))["Location"] == reverse("mfa_index")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200  # nothing to confirm with: the fresh login counts
    secret = page.context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert mfa.has_second_factor(user)


@pytest.mark.django_db
def test_a_user_without_password_long_after_the_login_is_not_let_through(client, required):
    user = sso_only_user()
    client.force_login(user)
    record_login(client, user, seconds_ago=3600)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code in (302, 403)
    assert not mfa.has_second_factor(user)


@pytest.mark.django_db
def test_a_user_with_a_password_still_confirms_it(client, caseworker, required):
    client.force_login(caseworker)
    record_login(client, caseworker, seconds_ago=10)
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["mfa_edit_webauthn", "mfa_remove_webauthn"])
def test_another_users_security_key_is_a_404_and_stays(client, caseworker, name):
    # The key pages take an authenticator's id: only the user's own are found.
    owner = UserFactory(is_caseworker=True)
    key = Authenticator.objects.create(
        user=owner, type=Authenticator.Type.WEBAUTHN, data={"name": "Ägarens nyckel"}
    )
    add_totp(caseworker)
    client.force_login(caseworker)
    confirm_password(client)
    url = reverse(name, kwargs={"pk": key.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Stulen"}).status_code == 404
    key.refresh_from_db()
    assert key.data["name"] == "Ägarens nyckel"
