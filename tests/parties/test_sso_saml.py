"""SAML 2.0 single sign-on against a real IdP (pysaml2's, tests/idp/saml/) over HTTP on
127.0.0.1, with Django's test client on Samverk's side: the AuthnRequest goes to the IdP,
the IdP's signed assertion is posted to the ACS as its page would post it.

Each refused assertion is made by the IdP itself (``saml_idp.fault``): signed by another
key, for another audience, expired, unsigned. A refusal logs nobody in, creates nothing,
shows a Swedish page and writes SSO_REFUSED."""

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from parties.models import SecurityEvent
from parties.saml import AUTHN_CONTEXTS
from parties.services.sso import STRONG_SESSION_KEY
from tests.factories import OrganisationFactory, UserFactory
from tests.idp.saml.fixtures import STRONG, USER, SamlBrowser, metadata_path, saml_app
from tests.idp.saml.server import PASSWORD_PROTECTED

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
