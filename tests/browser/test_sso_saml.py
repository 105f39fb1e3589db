"""SAML 2.0 single sign-on in Chromium, through a real IdP (pysaml2's, tests/idp/saml/) on
127.0.0.1: the login page's "Logga in med Sävsjö kommun" button, the IdP's own login page,
its HTTP-POST form back to Samverk's ACS, and Översikt; a second login is the same user.
The refusals are in tests/parties/test_sso_saml.py (the same IdP, Django's test client)."""

import re
import urllib.request

from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from parties.models import SecurityEvent, User
from tests.factories import OrganisationFactory
from tests.idp.saml.fixtures import STRONG, USER, metadata_path, saml_app


def log_in_through_idp(page, idp):
    page.goto("/logga-in/")
    page.get_by_role("button", name="Logga in med Sävsjö kommun").click()
    expect(page).to_have_url(re.compile("^" + re.escape(idp.sso_url)))
    expect(page.get_by_role("heading", level=1)).to_have_text("Test-IdP: logga in")
    page.get_by_label("E-postadress").fill(USER["login"])
    page.get_by_label("Lösenord").fill(USER["password"])
    page.get_by_role("button", name="Logga in hos IdP").click()
    # The IdP's HTTP-POST binding: its form carries the signed response to Samverk's ACS.
    page.get_by_role("button", name="Fortsätt").click()
    expect(page).to_have_title(re.compile("^Översikt"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Anna")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def test_saml_login_lands_on_oversikt_and_a_second_login_is_the_same_user(
    open_page, live_server, saml_idp, screenshot
):
    kommun = OrganisationFactory(name="Sävsjö kommun")
    saml_app(saml_idp, kommun, requested_authn_context=[STRONG])
    # The IdP's administrator loads Samverk's SP metadata from its URL.
    with urllib.request.urlopen(live_server.url + metadata_path(), timeout=10) as response:  # noqa: S310
        saml_idp.trust_sp(response.read().decode())

    page = open_page()
    log_in_through_idp(page, saml_idp)
    screenshot(page, "sso-saml-oversikt")
    user = User.objects.get(email=USER["email"])
    assert user.organisation == kommun
    assert SocialAccount.objects.get(user=user).uid == USER["uid"]

    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("button", name="Logga in med Sävsjö kommun")).to_be_visible()
    log_in_through_idp(page, saml_idp)

    assert User.objects.filter(email=USER["email"]).count() == 1
    assert SocialAccount.objects.count() == 1
    logins = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SSO_LOGIN, user=user)
    assert logins.count() == 2
    assert not saml_idp.errors


def test_a_forged_assertion_shows_the_swedish_refusal_and_logs_nobody_in(
    open_page, live_server, saml_idp, a11y
):
    kommun = OrganisationFactory(name="Sävsjö kommun")
    saml_app(saml_idp, kommun)
    with urllib.request.urlopen(live_server.url + metadata_path(), timeout=10) as response:  # noqa: S310
        saml_idp.trust_sp(response.read().decode())
    saml_idp.fault = "wrong_signature"

    page = open_page()
    page.goto("/logga-in/")
    page.get_by_role("button", name="Logga in med Sävsjö kommun").click()
    page.get_by_label("E-postadress").fill(USER["login"])
    page.get_by_label("Lösenord").fill(USER["password"])
    page.get_by_role("button", name="Logga in hos IdP").click()
    page.get_by_role("button", name="Fortsätt").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggningen misslyckades")
    expect(page.get_by_role("alert").filter(has_text="Du är inte inloggad")).to_be_visible()
    expect(page.get_by_role("button", name="Logga ut")).to_have_count(0)
    a11y.check(page)
    a11y.assert_clean()
    page.get_by_role("link", name="Till inloggningen").click()
    expect(page.get_by_role("button", name="Logga in med Sävsjö kommun")).to_be_visible()
    assert not User.objects.filter(email=USER["email"]).exists()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SSO_REFUSED).count() == 1
