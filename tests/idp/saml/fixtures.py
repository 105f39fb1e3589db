"""Fixtures and helpers for the SAML tests (a plugin of tests/conftest.py).

``saml_idp``: the real IdP (tests/idp/saml/server.py) on 127.0.0.1 with its key and
certificate made in the test's tmp_path, one test user (``USER``), stopped after the test.
``saml_app(idp)``: the organisation's SocialApp as an administrator would enter it.
``SamlBrowser``: the journey with Django's test client on Samverk's side and plain HTTP to
the IdP (the browser test, tests/browser/test_sso_saml.py, does it in Chromium).
"""

import re
import urllib.parse
import urllib.request
from html import unescape

import pytest
from allauth.socialaccount.models import SocialApp
from django.urls import reverse

from parties.models import IdentityProvider

from .server import MAIL, UID, SamlIdp

SLUG = "kommun"
USER = {
    "login": "anna.svensson@kommun.test",
    "password": "idp-lösenord-för-test",
    "uid": "a7c1f0e2-anna",
    "email": "anna.svensson@kommun.test",
    "given_name": "Anna",
    "surname": "Svensson",
}
STRONG = "http://id.elegnamnden.se/loa/1.0/loa3"


@pytest.fixture
def saml_idp(tmp_path):
    idp = SamlIdp(tmp_path / "saml-idp")
    idp.add_user(
        USER["login"],
        USER["password"],
        uid=USER["uid"],
        email=USER["email"],
        given_name=USER["given_name"],
        surname=USER["surname"],
    )
    idp.start()
    yield idp
    idp.stop()


def saml_settings(idp, **advanced):
    """SocialApp.settings for the IdP: what README, Sign-in, tells an administrator."""
    return {
        "idp": {
            "entity_id": idp.entity_id,
            "sso_url": idp.sso_url,
            "x509cert": idp.cert_base64,
        },
        "attribute_mapping": {
            "uid": UID,
            "email": MAIL,
            "email_verified": "email_verified",
            "first_name": "urn:oid:2.5.4.42",
            "last_name": "urn:oid:2.5.4.4",
        },
        "advanced": {
            "strict": True,
            "want_assertion_signed": True,
            "reject_idp_initiated_sso": True,
            **advanced,
        },
    }


def saml_app(idp, organisation, slug=SLUG, strong_values=STRONG, label="", **advanced):
    """The organisation's IdP connected as an administrator would: allauth's SocialApp
    (client id = the slug in Samverk's SAML URLs) and Samverk's IdentityProvider."""
    app = SocialApp.objects.create(
        provider="saml",
        provider_id=f"saml-{slug}",
        name=label or organisation.name,
        client_id=slug,
        settings=saml_settings(idp, **advanced),
    )
    return IdentityProvider.objects.create(
        organisation=organisation, app=app, label=label, strong_values=strong_values
    )


def metadata_path(slug=SLUG):
    return reverse("saml_metadata", args=[slug])


def _form(page):
    """The first form of an HTML page: (action, {name: value}) of its hidden inputs."""
    action = unescape(re.search(r"<form[^>]*action='([^']*)'", page).group(1))
    fields = {
        unescape(name): unescape(value)
        for name, value in re.findall(r"<input type='hidden' name='([^']*)' value='([^']*)'", page)
    }
    return action, fields


def _http(url, data=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(url, data=body, timeout=10) as response:  # noqa: S310
        return response.read().decode()


class SamlBrowser:
    """Logs in through the IdP with Django's test client on Samverk's side."""

    def __init__(self, client, idp, slug=SLUG):
        # python3-saml refuses an SP URL on a one-label host other than localhost
        # ("testserver"), as a real deployment would never have one.
        client.defaults["HTTP_HOST"] = "localhost"
        self.client = client
        self.idp = idp
        self.slug = slug

    def trust(self):
        """Gives the IdP Samverk's SP metadata, as an IdP administrator would load it."""
        response = self.client.get(metadata_path(self.slug))
        assert response.status_code == 200, response.content
        self.idp.trust_sp(response.content.decode())

    def to_idp(self):
        """Samverk's "Logga in med ..." (a POST to the provider's login URL): the redirect
        to the IdP with the AuthnRequest; returns the IdP's login page."""
        response = self.client.post(reverse("saml_login", args=[self.slug]))
        assert response.status_code == 302, response.content
        location = response["Location"]
        assert location.startswith(self.idp.sso_url), location
        return _http(location)

    def at_idp(self, login=USER["login"], password=USER["password"]):
        """Logs in at the IdP; returns the ACS path and the form's fields (SAMLResponse)."""
        action, fields = _form(self.to_idp())
        page = _http(
            urllib.parse.urljoin(self.idp.base_url, action),
            {**fields, "login": login, "password": password},
        )
        acs, fields = _form(page)
        assert "SAMLResponse" in fields, page
        return urllib.parse.urlparse(acs).path, fields

    def post_to_acs(self, acs_path, fields):
        """The IdP's form posted to the ACS (a cross-site POST: no session cookie, which is
        why allauth redirects to acs/finish/), followed to the page the user lands on."""
        response = self.client.post(acs_path, fields)
        assert response.status_code == 302, response.content
        return self.client.get(response["Location"], follow=True)

    def log_in(self, **kwargs):
        return self.post_to_acs(*self.at_idp(**kwargs))
