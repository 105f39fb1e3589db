"""SAML 2.0 single sign-on against a real IdP (pysaml2's, tests/idp/saml/) over HTTP on
127.0.0.1, with Django's test client on Samverk's side: the AuthnRequest goes to the IdP,
the IdP's signed assertion is posted to the ACS as its page would post it.

Each refused assertion is made by the IdP itself (``saml_idp.fault``): signed by another
key, for another audience, expired, unsigned. A refusal logs nobody in, creates nothing,
shows a Swedish page and writes SSO_REFUSED."""

import json
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth import get_user_model
from django.urls import reverse

from parties.models import IdentityProvider, SecurityEvent
from parties.saml import AUTHN_CONTEXTS, settings_errors
from parties.services.sso import STRONG_SESSION_KEY
from tests.factories import OrganisationFactory, UserFactory
from tests.idp.saml.fixtures import (
    STRONG,
    USER,
    SamlBrowser,
    metadata_path,
    saml_app,
    saml_settings,
)
from tests.idp.saml.server import PASSWORD_PROTECTED
from tests.live import free_port

pytestmark = pytest.mark.django_db
Kind = SecurityEvent.Kind
PERSONNUMMER_ATTRIBUTE = "urn:oid:1.2.752.29.4.13"  # SITHS/Swedish eID personalIdentityNumber


@pytest.fixture
def kommun(db):
    return OrganisationFactory(name="Sävsjö kommun")


@pytest.fixture
def browser(client, saml_idp, kommun):
    saml_app(saml_idp, kommun)
    browser = SamlBrowser(client, saml_idp)
    browser.trust()
    return browser


def logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def assert_lands_on_oversikt(response):
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/"
    page = response.content.decode()
    assert "<title>Översikt" in page
    assert re.search(r"<h1[^>]*>\s*Välkommen, ", page)


def test_sp_metadata_is_served_for_the_idp(client, saml_idp, kommun):
    saml_app(saml_idp, kommun)
    client.defaults["HTTP_HOST"] = "localhost"
    response = client.get(metadata_path())
    assert response.status_code == 200
    xml = response.content.decode()
    assert 'entityID="http://localhost/konto/sso/saml/kommun/metadata/"' in xml
    assert 'WantAssertionsSigned="true"' in xml
    assert re.search(
        r'AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"\s+'
        r'Location="http://localhost/konto/sso/saml/kommun/acs/"',
        xml,
    )


def test_first_login_makes_the_user_in_the_organisation_and_the_second_is_the_same(
    client, browser, kommun
):
    response = browser.log_in()

    assert_lands_on_oversikt(response)
    user = logged_in_user(client)
    assert user.email == USER["email"]
    assert user.organisation == kommun
    assert (user.first_name, user.last_name) == ("Anna", "Svensson")
    account = SocialAccount.objects.get(user=user)
    assert account.uid == USER["uid"]
    kinds = list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert Kind.SSO_LINKED in kinds and Kind.SSO_LOGIN in kinds

    client.post("/logga-ut/")
    assert logged_in_user(client) is None
    response = browser.log_in()

    assert_lands_on_oversikt(response)
    assert logged_in_user(client) == user
    assert get_user_model().objects.filter(email=USER["email"]).count() == 1
    assert SocialAccount.objects.count() == 1


def test_an_existing_user_of_the_organisation_is_linked_by_verified_email(client, browser, kommun):
    existing = UserFactory(username="anna", email=USER["email"], organisation=kommun)

    assert_lands_on_oversikt(browser.log_in())

    assert logged_in_user(client) == existing
    assert SocialAccount.objects.get().user == existing


def test_requested_authn_context_listed_as_strong_makes_a_strong_login(client, saml_idp, kommun):
    saml_app(saml_idp, kommun, requested_authn_context=[STRONG])
    browser = SamlBrowser(client, saml_idp)
    browser.trust()

    assert_lands_on_oversikt(browser.log_in())

    requested = saml_idp.authn_requests[-1].requested_authn_context
    assert [ref.text for ref in requested.authn_context_class_ref] == [STRONG]
    assert client.session.get(STRONG_SESSION_KEY) is True
    assert SocialAccount.objects.get().extra_data[AUTHN_CONTEXTS] == [STRONG]


def test_a_password_login_at_the_idp_is_not_strong(client, browser, saml_idp):
    saml_idp.authn_class = PASSWORD_PROTECTED

    assert_lands_on_oversikt(browser.log_in())

    assert saml_idp.authn_requests[-1].requested_authn_context is None
    assert STRONG_SESSION_KEY not in client.session
    assert SocialAccount.objects.get().extra_data[AUTHN_CONTEXTS] == [PASSWORD_PROTECTED]


def test_only_the_attributes_samverk_reads_are_stored(client, saml_idp, kommun):
    saml_idp.users.clear()
    saml_idp.add_user(
        USER["login"],
        USER["password"],
        uid=USER["uid"],
        email=USER["email"],
        extra={PERSONNUMMER_ATTRIBUTE: ["191212121212"]},
    )
    saml_app(saml_idp, kommun)
    browser = SamlBrowser(client, saml_idp)
    browser.trust()

    assert_lands_on_oversikt(browser.log_in())

    extra_data = SocialAccount.objects.get().extra_data
    assert PERSONNUMMER_ATTRIBUTE not in extra_data
    assert "191212121212" not in str(extra_data)
    assert extra_data["urn:oid:0.9.2342.19200300.100.1.3"] == [USER["email"]]


# -- refused assertions ---------------------------------------------------------------


def assert_refused(client, response, caplog, reason):
    # python3-saml's reason, as allauth logs it: refused for this fault and no other.
    assert any(reason in record.getMessage() for record in caplog.records), caplog.text
    assert response.status_code == 401
    page = response.content.decode()
    assert "Inloggningen misslyckades" in page
    assert "Samverk godkände inte svaret från din organisations inloggning" in page
    assert "Du är inte inloggad" in page
    assert logged_in_user(client) is None
    assert not get_user_model().objects.filter(email=USER["email"]).exists()
    assert not SocialAccount.objects.exists()
    assert SecurityEvent.objects.filter(kind=Kind.SSO_REFUSED).count() == 1
    assert not SecurityEvent.objects.filter(kind__in=[Kind.SSO_LOGIN, Kind.LOGIN]).exists()


def test_an_assertion_signed_by_another_key_is_refused(client, browser, saml_idp, caplog):
    saml_idp.fault = "wrong_signature"
    assert_refused(client, browser.log_in(), caplog, "Signature validation failed")


def test_an_assertion_for_another_audience_is_refused(client, browser, saml_idp, caplog):
    saml_idp.fault = "wrong_audience"
    assert_refused(client, browser.log_in(), caplog, "is not a valid audience")


def test_an_expired_assertion_is_refused(client, browser, saml_idp, caplog):
    saml_idp.fault = "expired"
    assert_refused(client, browser.log_in(), caplog, "Could not validate timestamp: expired")


def test_an_unsigned_assertion_is_refused(client, browser, saml_idp, caplog):
    saml_idp.fault = "unsigned"
    assert_refused(client, browser.log_in(), caplog, "The Assertion of the Response is not signed")


def test_a_replayed_response_is_refused(client, browser):
    acs_path, fields = browser.at_idp()
    assert_lands_on_oversikt(browser.post_to_acs(acs_path, fields))
    client.post("/logga-ut/")

    # The same signed, unexpired response posted again (say, from the browser's history).
    response = browser.post_to_acs(acs_path, fields)

    assert response.status_code == 401
    page = response.content.decode()
    assert "hör inte till någon pågående inloggning" in page and "Du är inte inloggad" in page
    assert logged_in_user(client) is None
    assert SecurityEvent.objects.filter(kind=Kind.SSO_REFUSED).count() == 1
    assert SecurityEvent.objects.filter(kind=Kind.SSO_LOGIN).count() == 1


def test_an_unsolicited_response_is_refused(client, browser, saml_idp, caplog):
    saml_idp.fault = "unsolicited"
    response = browser.log_in()

    assert "IdP initiated SSO rejected" in caplog.text
    assert response.status_code == 401
    assert "Inloggningen misslyckades" in response.content.decode()
    assert logged_in_user(client) is None
    assert not SocialAccount.objects.exists()
    assert SecurityEvent.objects.filter(kind=Kind.SSO_REFUSED).count() == 1


# -- the login page, verified addresses, the second factor --------------------------------


def test_the_login_page_offers_the_organisation_and_lets_its_form_go_to_the_idp(
    client, saml_idp, kommun
):
    saml_app(saml_idp, kommun)
    response = client.get(reverse("login"))
    page = response.content.decode()
    assert "Logga in med Sävsjö kommun" in page
    assert f'action="{reverse("saml_login", args=["kommun"])}"' in page
    form_action = re.search(r"form-action ([^;]+)", response["Content-Security-Policy"])[1]
    assert saml_idp.base_url in form_action.split()


def test_an_address_in_a_domain_the_admin_vouches_for_is_verified(client, saml_idp, kommun):
    saml_idp.users.clear()
    saml_idp.add_user(USER["login"], USER["password"], uid=USER["uid"], email=USER["email"],
                      verified=False)  # fmt: skip
    provider = saml_app(saml_idp, kommun)
    provider.app.settings["verified_email"] = ["kommun.test"]
    provider.app.save()
    browser = SamlBrowser(client, saml_idp)
    browser.trust()

    assert_lands_on_oversikt(browser.log_in())
    assert logged_in_user(client).organisation == kommun


def test_an_unverified_address_is_refused(client, saml_idp, kommun):
    saml_idp.users.clear()
    saml_idp.add_user(USER["login"], USER["password"], uid=USER["uid"], email=USER["email"],
                      verified=False)  # fmt: skip
    saml_app(saml_idp, kommun)
    browser = SamlBrowser(client, saml_idp)
    browser.trust()

    response = browser.log_in()

    assert response.status_code == 403
    assert "har inte bekräftat din e-postadress" in response.content.decode()
    assert logged_in_user(client) is None
    assert not get_user_model().objects.filter(email=USER["email"]).exists()
    assert SecurityEvent.objects.filter(kind=Kind.SSO_REFUSED).count() == 1


def test_a_password_login_at_the_idp_asks_a_user_with_an_authenticator_for_it(
    client, browser, kommun
):
    anna = UserFactory(username="anna", email=USER["email"], organisation=kommun)
    TOTP.activate(anna, "JBSWY3DPEHPK3PXP")

    response = browser.log_in()

    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")
    assert logged_in_user(client) is None


def test_a_strong_login_at_the_idp_skips_samverks_second_factor(client, saml_idp, kommun):
    anna = UserFactory(username="anna", email=USER["email"], organisation=kommun)
    TOTP.activate(anna, "JBSWY3DPEHPK3PXP")
    saml_idp.authn_class = STRONG
    saml_app(saml_idp, kommun)
    browser = SamlBrowser(client, saml_idp)
    browser.trust()

    assert_lands_on_oversikt(browser.log_in())
    assert logged_in_user(client) == anna
    assert client.session[STRONG_SESSION_KEY] is True


# -- the admin ---------------------------------------------------------------------------


def admin_form(kommun, settings, **fields):
    return {
        "organisation": kommun.pk,
        "label": "",
        "is_active": "on",
        "protocol": "saml",
        "provider_id": "saml-kommun",
        "server_url": "",
        "client_id": "kommun",
        "secret": "",
        "extra_settings": json.dumps(settings),
        "strong_values": STRONG,
        **fields,
    }


def test_the_admin_connects_a_saml_idp_and_its_users_log_in(admin_client, client, saml_idp, kommun):
    response = admin_client.post(
        reverse("admin:parties_identityprovider_add"), admin_form(kommun, saml_settings(saml_idp))
    )
    assert response.status_code == 302, response.content.decode()
    provider = IdentityProvider.objects.get()
    assert (provider.app.provider, provider.app.client_id) == ("saml", "kommun")
    assert provider.app.settings == saml_settings(saml_idp)

    browser = SamlBrowser(client, saml_idp)
    browser.trust()
    assert_lands_on_oversikt(browser.log_in())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("idp"), "ange identitetsleverantören"),
        (lambda s: s["idp"].pop("x509cert"), "ange identitetsleverantörens certifikat"),
        (lambda s: s["idp"].update(x509cert="MIIBroken"), "x509cert är inte ett certifikat"),
        (lambda s: s["idp"].pop("sso_url"), "ange sso_url"),
        (lambda s: s["advanced"].update(strict=False), "”strict” måste vara true"),
    ],
)
def test_the_admin_refuses_saml_settings_that_cannot_work(
    admin_client, saml_idp, kommun, change, message
):
    settings = saml_settings(saml_idp)
    change(settings)
    response = admin_client.post(
        reverse("admin:parties_identityprovider_add"), admin_form(kommun, settings)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SocialApp.objects.exists() and not IdentityProvider.objects.exists()


def test_saml_settings_from_a_metadata_url_need_no_certificate():
    settings = {
        "idp": {"entity_id": "https://idp.example/", "metadata_url": "https://idp.example/m"}
    }
    assert settings_errors(settings) == []


# -- an IdP configured by its metadata URL -----------------------------------------------


def by_metadata_url(provider, metadata_url):
    provider.app.settings["idp"] = {
        "entity_id": provider.app.settings["idp"]["entity_id"],
        "metadata_url": metadata_url,
    }
    provider.app.save()


def test_an_idp_configured_by_its_metadata_url(client, saml_idp, kommun):
    by_metadata_url(saml_app(saml_idp, kommun), f"{saml_idp.base_url}/metadata")
    browser = SamlBrowser(client, saml_idp)
    browser.trust()

    assert_lands_on_oversikt(browser.log_in())
    assert logged_in_user(client).email == USER["email"]


def test_an_unreachable_metadata_url_gives_the_swedish_error_page(client, saml_idp, kommun):
    closed = free_port()  # nothing listens there
    by_metadata_url(saml_app(saml_idp, kommun), f"http://127.0.0.1:{closed}/metadata")
    client.defaults["HTTP_HOST"] = "localhost"

    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("saml_login", args=["kommun"]))

    assert response.status_code == 401
    page = response.content.decode()
    assert "Inloggningen misslyckades" in page and "Något gick fel" in page
    assert logged_in_user(client) is None


def test_the_sp_metadata_answers_503_while_the_idps_metadata_url_is_down(client, saml_idp, kommun):
    by_metadata_url(saml_app(saml_idp, kommun), f"http://127.0.0.1:{free_port()}/metadata")
    client.defaults["HTTP_HOST"] = "localhost"

    response = client.get(metadata_path())

    assert response.status_code == 503
    assert "metadata kan inte läsas just nu" in response.content.decode()


# -- later logins and roles ----------------------------------------------------------------

ROLE = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"


def test_a_later_login_finds_the_user_by_the_idps_uid_not_the_address(client, browser, saml_idp):
    assert_lands_on_oversikt(browser.log_in())
    user = logged_in_user(client)
    client.post("/logga-ut/")
    # The IdP's address for the same person changed (a new name, a merged kommun).
    saml_idp.users[USER["login"]]["identity"]["urn:oid:0.9.2342.19200300.100.1.3"] = [
        "anna.berg@kommun.test"
    ]

    assert_lands_on_oversikt(browser.log_in())
    assert logged_in_user(client) == user


def test_a_mapped_role_attribute_gives_the_role(client, saml_idp, kommun):
    saml_idp.users.clear()
    saml_idp.add_user(
        USER["login"],
        USER["password"],
        uid=USER["uid"],
        email=USER["email"],
        extra={ROLE: ["anstalld", "samverk-handlaggare"]},
    )
    provider = saml_app(saml_idp, kommun)
    provider.role_claim = ROLE
    provider.caseworker_value = "samverk-handlaggare"
    provider.save()
    browser = SamlBrowser(client, saml_idp)
    browser.trust()

    browser.log_in()

    user = get_user_model().objects.get(email=USER["email"])
    assert user.is_caseworker
    assert SocialAccount.objects.get().extra_data[ROLE] == ["anstalld", "samverk-handlaggare"]


def test_without_a_mapping_the_role_attribute_gives_nothing_and_is_not_stored(
    client, saml_idp, kommun
):
    saml_idp.users.clear()
    saml_idp.add_user(
        USER["login"],
        USER["password"],
        uid=USER["uid"],
        email=USER["email"],
        extra={ROLE: ["samverk-handlaggare"]},
    )
    saml_app(saml_idp, kommun)
    browser = SamlBrowser(client, saml_idp)
    browser.trust()

    assert_lands_on_oversikt(browser.log_in())

    assert not get_user_model().objects.get(email=USER["email"]).is_caseworker
    assert ROLE not in SocialAccount.objects.get().extra_data
