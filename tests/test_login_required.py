"""Every page but the login page needs a logged-in user."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import ContactPersonFactory, UnitFactory

SAMPLE_KWARGS = {
    "area_slug": "savsjo",
    "pk": 1,
    "case_pk": 1,
    "meeting_pk": 1,
    "number": 1,
    "participant_pk": 1,
    "grant_pk": 1,
    # groups/urls.py
    "member_pk": 1,
    "item_pk": 1,
    "attachment_pk": 1,
    "assignment_pk": 1,
    "file_format": "csv",
    "token": "abc",
    "provider_id": "okand",
    # areaplans/urls.py, followup/urls.py (Årsrapport)
    "year": 2026,
    "goal_pk": 1,
}
# Reached from links in e-mail: the signed token is the authentication (test_answers.py).
# The sign-in pages (allauth's, samverk/account_urls.py) are for those not logged in.
PUBLIC = {
    "login",
    "account_login",
    "account_signup",
    "account_inactive",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "meetings:answer",
    "meetings:delegate",
    # The time poll's answer page (tests/meetings/test_polls.py).
    "meetings:poll_answer",
    # A group meeting's kallelse answer link (tests/groups/test_access.py).
    "groups:answer",
    # A member's Spindeln link (tests/followup/test_spindeln.py).
    "followup:spindeln_answer",
    # The area's public page: its current handlingsplan, parties and "vägen in", no personal
    # data (tests/areaplans/test_views.py).
    "areaplans:public",
    # The load balancer's probes: no personal data (tests/ops/test_health.py).
    "healthz",
    "readyz",
}
# Single sign-on's addresses (samverk/sso_urls.py) are for those not logged in as well; for
# a provider that does not exist they answer 404 (the SAML ACS sends a GET on to its finish).
SSO_PUBLIC = {
    "openid_connect_login",
    "openid_connect_callback",
    "saml_login",
    "saml_acs",
    "saml_finish_acs",
    "saml_sls",
    "saml_metadata",
    "socialaccount_login_cancelled",
    "socialaccount_signup",
}
# A user's calendar feed: the secret token is the authentication, an unknown one a 404,
# never the login page (a calendar client cannot log in; tests/meetings/test_calendar_feed.py).
TOKEN_FEEDS = {"meetings:feed"}
# URLs by regular expression, without converters to read the parameters from.
REGEX_KWARGS = {
    "account_reset_password_from_key": {"uidb36": "1", "key": "abc"},
    **{
        name: {"organization_slug": "okand"}
        for name in ("saml_login", "saml_acs", "saml_finish_acs", "saml_sls", "saml_metadata")
    },
}


def app_url_names(patterns=None, namespace="", params=()):
    """Every named URL outside the Django admin, with its namespace and parameters."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            # The admin has its own login; provider webhooks authenticate by signature
            # (tests/outbox/test_webhook.py).
            if entry.app_name == "admin" or entry.namespace == "anymail":
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from app_url_names(entry.url_patterns, ns, (*params, *entry.pattern.converters))
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", [*params, *entry.pattern.converters]


@pytest.fixture
def some_data(area):
    person = ContactPersonFactory(area=area, pk=1)
    UnitFactory(organisation=person.organisation, area=area, pk=1)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "params"), list(app_url_names()))
def test_anonymous_user_is_sent_to_login(client, some_data, name, params):
    kwargs = REGEX_KWARGS.get(name) or {p: SAMPLE_KWARGS[p] for p in params}
    url = reverse(name, kwargs=kwargs)
    if name in PUBLIC:
        assert client.get(url).status_code in (200, 400)  # 400: the sample token is not valid
        return
    if name in TOKEN_FEEDS:
        response = client.get(url)
        assert response.status_code == 404, name
        assert "Location" not in response, name
        return
    if name in SSO_PUBLIC:
        response = client.get(url)
        assert response.status_code in (200, 302, 404, 405), name
        assert not response.get("Location", "").startswith(reverse("login")), name
        return
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, (name, response.status_code)
        assert response["Location"].startswith(reverse("login"))


def test_login_page_is_swedish_and_logs_in(client, caseworker):
    page = client.get(reverse("login"))
    content = page.content.decode()
    assert 'lang="sv"' in content
    assert "Logga in" in content and "Användarnamn" in content and "Lösenord" in content
    response = client.post(
        reverse("login"), {"login": "handlaggare", "password": "lösenord-för-test"}
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_wrong_password_gives_a_swedish_message(client, caseworker):
    response = client.post(reverse("login"), {"login": "handlaggare", "password": "fel"})
    assert response.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()


def test_logout_needs_post_and_ends_the_session(client_for, caseworker):
    client = client_for(caseworker)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_htmx_request_without_a_session_gets_401_not_the_login_page(client):
    """Live pages keep the typed text when the session has expired (Indico's lesson)."""
    response = client.post(reverse("meetings:run_agenda", kwargs={"pk": 1}), HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert "Du har loggats ut" in response.content.decode()
