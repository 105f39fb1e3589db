"""Single sign-on in Chromium through a real OpenID Connect provider (node-oidc-provider on
127.0.0.1, tests/idp/oidc/): "Logga in med Eksjö kommun" on the login page, the provider's
own sign-in page, Översikt; logged out and in again, the same user. Every page is watched
for Content-Security-Policy violations (open_page), the login page is checked with axe."""

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from parties.models import SecurityEvent, User
from tests.factories import OrganisationFactory, UserFactory
from tests.idp.oidc.fixtures import PASSWORD, callback_path, oidc_provider, start_oidc_idp

Kind = SecurityEvent.Kind


@pytest.fixture
def browser_idp(live_server, tmp_path):
    idp = start_oidc_idp(tmp_path / "oidc-idp", [live_server.url + callback_path()])
    yield idp
    idp.stop()


def test_sso_login_lands_on_the_overview_and_comes_back_to_the_same_user(
    transactional_db, browser_idp, open_page, a11y
):
    eksjo = OrganisationFactory(name="Eksjö kommun")
    oidc_provider(browser_idp, eksjo)
    # A caseworker whose login at the IdP is strong (the IdP's acr is listed).
    anna = UserFactory(
        username="anna", first_name="Anna", email="anna.stark@eksjo.test", organisation=eksjo
    )

    page = open_page()
    page.goto("/logga-in/")
    button = page.get_by_role("button", name="Logga in med Eksjö kommun")
    expect(button).to_be_visible()
    expect(page.get_by_label("Lösenord")).to_be_visible()  # the password form stays
    a11y.check(page)
    button.click()

    expect(page.get_by_role("heading", name="Test IdP sign-in")).to_be_visible()
    assert page.url.startswith(browser_idp.issuer + "/interaction/")
    page.get_by_label("Username").fill("anna-stark")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Välkommen, Anna")).to_be_visible()
    expect(page).to_have_title(re.compile("Översikt"))
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("button", name="Logga in med Eksjö kommun")).to_be_visible()

    # Again: the IdP still knows the browser, so it sends it straight back.
    page.get_by_role("button", name="Logga in med Eksjö kommun").click()
    expect(page.get_by_role("heading", name="Välkommen, Anna")).to_be_visible()

    assert User.objects.filter(email__iexact="anna.stark@eksjo.test").count() == 1
    assert list(SocialAccount.objects.values_list("user_id", "uid")) == [(anna.pk, "anna-stark")]
    logins = SecurityEvent.objects.filter(kind=Kind.SSO_LOGIN).order_by("pk")
    assert [event.user_id for event in logins] == [anna.pk, anna.pk]
    a11y.assert_clean()
