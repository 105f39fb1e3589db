"""Fixtures and helpers for the OpenID Connect tests (import them into the test module).

``start_oidc_idp(folder, redirect_uris)``: the real provider (tests/idp/oidc/server.mjs,
node-oidc-provider) on 127.0.0.1 with the accounts below and one client, Samverk; skips when
node or its packages are missing. ``oidc_idp``: started for Django's test client (redirect
URI on http://localhost), stopped after the test.
``oidc_provider(idp, organisation, ...)``: the organisation's login as an administrator
enters it (allauth's SocialApp and Samverk's IdentityProvider).
``OidcJourney``: Samverk's side with Django's test client, the provider's pages over plain
HTTP with their cookies (the browser test, tests/browser/test_sso_oidc.py, uses Chromium).
"""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from html import unescape

import pytest
from allauth.socialaccount.models import SocialApp
from django.urls import reverse

from parties.models import IdentityProvider

from . import OidcIdp, why_unavailable

PROVIDER_ID = "eksjo-kommun"
CLIENT_ID = "samverk-test"
CLIENT_SECRET = "test-klienthemlighet-som-bara-testerna-har"  # noqa: S105
STRONG = "urn:samverk:test:loa3"
WEAK = "urn:samverk:test:loa1"
PASSWORD = "idp-lösenord-för-test"  # noqa: S105


def account(sub, email, *, verified=True, acr=WEAK, groups=(), given="Anna", family="Berg"):
    return {
        "sub": sub,
        "password": PASSWORD,
        "email": email,
        "email_verified": verified,
        "given_name": given,
        "family_name": family,
        "acr": acr,
        "groups": list(groups),
    }


ACCOUNTS = {
    # A caseworker of the organisation, signing in with a password at the IdP (weak).
    "anna": account("anna", "anna.berg@eksjo.test", groups=["samverk-handlaggare"]),
    # The same person's strong login (SITHS card or Freja eID at a real IdP).
    "anna-stark": account("anna-stark", "anna.stark@eksjo.test", acr=STRONG),
    # An address the IdP has not verified.
    "okand": account("okand", "okand@eksjo.test", verified=False, given="Olle", family="Ok"),
    # An address that belongs to a user of another organisation in Samverk.
    "bo": account("bo", "bo.lind@annan.test", given="Bo", family="Lind"),
    # The organisation's contact person (not yet a user).
    "karin": account("karin", "karin.kontakt@eksjo.test", given="Karin", family="K"),
    # A coordinator by the IdP's group.
    "kim": account("kim", "kim.koordinator@eksjo.test", groups=["samverk-koordinator"]),
}


def callback_path(provider_id=PROVIDER_ID):
    return reverse("openid_connect_callback", kwargs={"provider_id": provider_id})


def start_oidc_idp(folder, redirect_uris):
    reason = why_unavailable()
    if reason:
        pytest.skip(f"OIDC tests skipped: {reason}")
    clients = [
        {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": list(redirect_uris),
        }
    ]
    return OidcIdp(folder, clients, list(ACCOUNTS.values())).start()


@pytest.fixture
def oidc_idp(tmp_path):
    idp = start_oidc_idp(tmp_path / "oidc-idp", [f"http://localhost{callback_path()}"])
    yield idp
    idp.stop()


def oidc_provider(idp, organisation, strong_values=STRONG, label="", **fields):
    """The organisation's provider connected as README, Sign-in, tells an administrator."""
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=PROVIDER_ID,
        name=(label or organisation.name)[:40],
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={"server_url": idp.issuer},
    )
    return IdentityProvider.objects.create(
        organisation=organisation, app=app, label=label, strong_values=strong_values, **fields
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class OidcJourney:
    """One person's login: Samverk through Django's test client, the IdP through urllib
    with a cookie jar (its session and interaction cookies), following its redirects until
    it sends the browser back to Samverk's callback."""

    def __init__(self, client, idp, provider_id=PROVIDER_ID):
        client.defaults["HTTP_HOST"] = "localhost"
        self.client = client
        self.idp = idp
        self.provider_id = provider_id
        self.idp_http = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def _idp(self, url, data=None):
        """(status, Location, body) of one request to the IdP, redirects not followed."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.idp_http.open(url, data=body, timeout=10) as response:
                return response.status, response.headers.get("Location"), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location"), error.read().decode()

    def log_in(self, username, password=PASSWORD, next_url=None):
        """The whole login; returns Samverk's answer to the callback."""
        login_url = reverse("openid_connect_login", kwargs={"provider_id": self.provider_id})
        if next_url:
            login_url += "?" + urllib.parse.urlencode({"next": next_url})
        response = self.client.post(login_url)
        assert response.status_code == 302, response.content
        url = response["Location"]
        assert url.startswith(self.idp.issuer + "/"), url
        for _hop in range(10):
            if url.startswith("http://localhost/"):
                return self.client.get(url.removeprefix("http://localhost"))
            status, location, page = self._idp(url)
            if status == 200 and "<form" in page:
                action = unescape(re.search(r'<form method="post" action="([^"]*)"', page)[1])
                status, location, page = self._idp(
                    urllib.parse.urljoin(url, action),
                    {"username": username, "password": password},
                )
            assert location, (status, page)
            url = urllib.parse.urljoin(url, location)
        raise AssertionError("The IdP never sent the browser back to Samverk")
