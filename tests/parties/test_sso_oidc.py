"""Single sign-on through a real OpenID Connect provider (node-oidc-provider on 127.0.0.1,
tests/idp/oidc/): Samverk's side with Django's test client, the provider's pages over HTTP.
The browser journey is tests/browser/test_sso_oidc.py."""

import re

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.core.cache import cache
from django.urls import reverse

from parties.models import IdentityProvider, SecurityEvent, User
from parties.services.sso import STRONG_SESSION_KEY
from tests.factories import (
    ContactPersonFactory,
    OrganisationFactory,
    SamverkAreaFactory,
    UserFactory,
)
from tests.idp.oidc.fixtures import (  # noqa: F401 - oidc_idp is a fixture
    ACCOUNTS,
    CLIENT_ID,
    CLIENT_SECRET,
    PROVIDER_ID,
    STRONG,
    OidcJourney,
    callback_path,
    oidc_idp,
    oidc_provider,
)

Kind = SecurityEvent.Kind
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def eksjo():
    return OrganisationFactory(name="Eksjö kommun")


@pytest.fixture
def provider(oidc_idp, eksjo):  # noqa: F811
    return oidc_provider(oidc_idp, eksjo, label="Eksjö kommun")


@pytest.fixture
def journey(client, oidc_idp, provider):  # noqa: F811
    return OidcJourney(client, oidc_idp)


def logged_in_user(client):
    response = client.get(reverse("dashboard"))
    if response.status_code != 200:
        return None
    return response.wsgi_request.user


def kinds():
    return list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))


def test_first_login_makes_the_user_in_the_organisation_and_the_second_finds_them(
    journey, client, eksjo
):
    response = journey.log_in("karin")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    user = logged_in_user(client)
    assert user.email == "karin.kontakt@eksjo.test" and user.organisation == eksjo
    assert (user.first_name, user.last_name) == ("Karin", "K")
    assert not user.has_usable_password()
    assert SocialAccount.objects.get(user=user).uid == "karin"
    assert kinds() == [Kind.SSO_LINKED, Kind.SSO_LOGIN]

    client.post(reverse("logout"))
    journey.log_in("karin")
    assert logged_in_user(client) == user
    assert User.objects.filter(email__iexact="karin.kontakt@eksjo.test").count() == 1
    assert SocialAccount.objects.filter(uid="karin").count() == 1
    assert kinds() == [Kind.SSO_LINKED, Kind.SSO_LOGIN, Kind.LOGOUT, Kind.SSO_LOGIN]


def test_verified_email_links_the_existing_user(journey, client, eksjo):
    anna = UserFactory(username="anna", email="Anna.Berg@eksjo.test", organisation=eksjo)
    journey.log_in("anna")
    assert logged_in_user(client) == anna
    assert SocialAccount.objects.get(uid="anna").user == anna
    linked = SecurityEvent.objects.get(kind=Kind.SSO_LINKED)
    assert linked.user == anna and linked.address == "127.0.0.1"


def test_the_organisations_contact_person_becomes_a_user_with_their_details(journey, client, eksjo):
    ContactPersonFactory(
        organisation=eksjo, name="Karin Kontaktsson", title="Biståndshandläggare",
        email="karin.kontakt@eksjo.test",
    )  # fmt: skip
    journey.log_in("karin")
    user = logged_in_user(client)
    assert user.title == "Biståndshandläggare" and user.organisation == eksjo


def test_user_of_another_organisation_is_refused_with_a_swedish_page(journey, client):
    bo = UserFactory(username="bo", email="bo.lind@annan.test", organisation=OrganisationFactory())
    response = journey.log_in("bo")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Inloggningen nekades" in page and "annan organisation" in page
    assert logged_in_user(client) is None
    assert not SocialAccount.objects.exists()
    refused = SecurityEvent.objects.get(kind=Kind.SSO_REFUSED)
    assert refused.user == bo and refused.address == "127.0.0.1"
    assert refused.login == "bo.lind@annan.test"


def test_unverified_email_is_refused_and_makes_no_user(journey, client):
    users = User.objects.count()
    response = journey.log_in("okand")
    assert response.status_code == 403
    assert "inte bekräftat" in response.content.decode()
    assert User.objects.count() == users and logged_in_user(client) is None
    assert kinds() == [Kind.SSO_REFUSED]


def test_a_domain_the_administrator_vouched_for_counts_as_verified(journey, client, provider):
    # For an IdP that sends no email_verified (Entra ID): the app's verified_email domains.
    provider.app.settings = {**provider.app.settings, "verified_email": ["eksjo.test"]}
    provider.app.save()
    journey.log_in("okand")
    user = logged_in_user(client)
    assert user.email == "okand@eksjo.test" and user.organisation == provider.organisation


def test_a_returning_user_moved_to_another_organisation_is_refused(journey, client):
    journey.log_in("karin")
    user = logged_in_user(client)
    client.post(reverse("logout"))
    user.organisation = OrganisationFactory(name="Region Jönköpings län")
    user.save()
    assert journey.log_in("karin").status_code == 403
    assert logged_in_user(client) is None


def test_roles_are_not_taken_from_the_provider_unless_mapped(journey, client):
    journey.log_in("kim")
    user = logged_in_user(client)
    assert not user.is_caseworker and not user.coordinated_areas.exists()


def test_mapped_roles_come_from_the_providers_claim(journey, client, provider):
    area = SamverkAreaFactory(name="Samverk Eksjö")
    provider.role_claim = "groups"
    provider.caseworker_value = "samverk-handlaggare"
    provider.coordinator_value = "samverk-koordinator"
    provider.coordinator_area = area
    provider.save()
    journey.log_in("kim")
    kim = logged_in_user(client)
    assert list(kim.coordinated_areas.all()) == [area] and not kim.is_caseworker


def test_strong_acr_sets_the_session_key(journey, client):
    journey.log_in("anna-stark")
    assert logged_in_user(client) is not None
    assert client.session.get(STRONG_SESSION_KEY) is True


def test_weak_acr_does_not(journey, client):
    journey.log_in("anna")
    assert logged_in_user(client) is not None
    assert STRONG_SESSION_KEY not in client.session


def test_a_weak_login_of_a_user_with_an_authenticator_asks_for_the_second_factor(
    journey, client, eksjo
):
    anna = UserFactory(username="anna", email="anna.berg@eksjo.test", organisation=eksjo)
    TOTP.activate(anna, "JBSWY3DPEHPK3PXP")
    response = journey.log_in("anna")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert logged_in_user(client) is None


def test_after_the_second_factor_a_weak_sso_login_is_logged_in_and_not_strong(
    journey, client, eksjo
):
    anna = UserFactory(username="anna", email="anna.berg@eksjo.test", organisation=eksjo)
    secret = pyotp.random_base32()
    TOTP.activate(anna, secret)
    journey.log_in("anna")
    # The current window's code, the middle of the accepted ones: a window that turns
    # while the page is posted still accepts it (the oldest one, used before, did not).
    code = pyotp.TOTP(secret).now()
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302, response.content.decode()
    assert logged_in_user(client) == anna
    assert STRONG_SESSION_KEY not in client.session
    assert kinds()[-1] == Kind.SSO_LOGIN and Kind.LOGIN not in kinds()


def test_a_strong_login_of_a_user_with_an_authenticator_skips_it(journey, client, eksjo):
    anna = UserFactory(username="anna", email="anna.stark@eksjo.test", organisation=eksjo)
    TOTP.activate(anna, "JBSWY3DPEHPK3PXP")
    response = journey.log_in("anna-stark")
    assert response["Location"] == reverse("dashboard")
    assert logged_in_user(client) == anna
    assert client.session[STRONG_SESSION_KEY] is True


def test_a_password_login_after_a_strong_one_is_not_strong(journey, client, eksjo):
    anna = UserFactory(username="anna", email="anna.stark@eksjo.test", organisation=eksjo)
    journey.log_in("anna-stark")
    client.post(reverse("logout"))
    client.post(reverse("login"), {"login": "anna", "password": "lösenord-för-test"})
    assert logged_in_user(client) == anna
    assert STRONG_SESSION_KEY not in client.session
    assert kinds()[-1] == Kind.LOGIN


def test_a_get_of_the_login_address_asks_before_leaving(
    client,
    provider,
    oidc_idp,  # noqa: F811
):
    response = client.get(reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID}))
    page = response.content.decode()
    assert response.status_code == 200 and "<h1" in page and "Logga in med Eksjö kommun" in page
    assert 'name="csrfmiddlewaretoken"' in page and "Fortsätt" in page
    assert oidc_idp.issuer in response["Content-Security-Policy"]


def test_an_unreachable_provider_gets_the_swedish_error_page_not_a_500(
    client,
    provider,
    oidc_idp,  # noqa: F811
):
    oidc_idp.stop()
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID}))
    assert response.status_code == 502
    assert "Inloggningen misslyckades" in response.content.decode()
    assert logged_in_user(client) is None


def test_the_login_page_offers_the_organisations_button_and_allows_its_form_action(
    client,
    provider,
    oidc_idp,  # noqa: F811
):
    response = client.get(reverse("login"))
    page = response.content.decode()
    login_url = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>\s*<input[^>]+csrf', page)
    assert form and form[1] == login_url
    assert "Logga in med Eksjö kommun" in page
    assert page.index("Logga in med Eksjö kommun") < page.index('name="password"')
    policy = response["Content-Security-Policy"]
    form_action = re.search(r"form-action ([^;]+)", policy)[1].split()
    assert "'self'" in form_action and oidc_idp.issuer in form_action


def test_an_inactive_provider_has_no_button_and_logs_nobody_in(journey, client, provider):
    provider.is_active = False
    provider.save()
    assert "Logga in med" not in client.get(reverse("login")).content.decode()
    assert journey.log_in("karin").status_code == 403
    assert logged_in_user(client) is None and not User.objects.filter(email__contains="karin")


def test_the_admin_connects_a_provider(admin_client, eksjo, oidc_idp):  # noqa: F811
    response = admin_client.post(
        reverse("admin:parties_identityprovider_add"),
        {
            "organisation": eksjo.pk,
            "label": "Eksjö kommun",
            "is_active": "on",
            "protocol": "openid_connect",
            "provider_id": PROVIDER_ID,
            "server_url": oidc_idp.issuer,
            "client_id": CLIENT_ID,
            "secret": CLIENT_SECRET,
            "extra_settings": "",
            "strong_values": STRONG,
            "role_claim": "",
            "caseworker_value": "",
            "coordinator_value": "",
            "coordinator_area": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    provider = IdentityProvider.objects.get()
    app = provider.app
    assert (app.provider, app.provider_id, app.client_id) == (
        "openid_connect",
        PROVIDER_ID,
        CLIENT_ID,
    )
    assert app.secret == CLIENT_SECRET and app.settings == {"server_url": oidc_idp.issuer}
    # Changed without typing the secret again: the saved one stays.
    url = reverse("admin:parties_identityprovider_change", args=[provider.pk])
    page = admin_client.get(url).content.decode()
    assert CLIENT_SECRET not in page and "klienthemlighet" in page.lower()
    response = admin_client.post(
        url,
        {
            "organisation": eksjo.pk,
            "label": "Eksjö",
            "is_active": "on",
            "protocol": "openid_connect",
            "provider_id": PROVIDER_ID,
            "server_url": oidc_idp.issuer,
            "client_id": CLIENT_ID,
            "secret": "",
            "extra_settings": "",
            "strong_values": STRONG,
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert SocialApp.objects.get().secret == CLIENT_SECRET


def test_deleting_a_login_in_the_admin_deletes_its_app(admin_client, provider):
    url = reverse("admin:parties_identityprovider_delete", args=[provider.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not IdentityProvider.objects.exists() and not SocialApp.objects.exists()


def test_the_admin_refuses_an_oidc_provider_without_issuer_or_secret(admin_client, eksjo):
    response = admin_client.post(
        reverse("admin:parties_identityprovider_add"),
        {"organisation": eksjo.pk, "protocol": "openid_connect", "provider_id": "x",
         "client_id": "c", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ange utfärdarens adress." in page and "Ange klienthemligheten." in page
    assert not SocialApp.objects.exists() and not IdentityProvider.objects.exists()


def test_the_callback_path_is_the_documented_redirect_uri():
    assert callback_path() == f"/konto/sso/oidc/{PROVIDER_ID}/login/callback/"
    assert "anna" in ACCOUNTS
