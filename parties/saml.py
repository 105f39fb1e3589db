"""SAML 2.0 single sign-on: allauth's SAML provider with what Samverk adds
(settings.SOCIALACCOUNT_PROVIDERS["saml"]["provider_class"] points here).

- The AuthnContextClassRef values of the assertion (how the person authenticated at the IdP:
  password, SITHS card, ...) are kept with the login, under ``AUTHN_CONTEXTS`` in the social
  account's ``extra_data``, so the login can count as strong (parties.services.sso.is_strong).
  allauth keeps only the attributes.
- Of the attributes, only those Samverk reads are kept: the ones in the app's
  ``attribute_mapping`` (uid, email, names) and the role attribute of the organisation's
  IdentityProvider. An IdP may release more (a SITHS IdP the personnummer); it is not stored.
- The AuthnRequest can ask for an authentication context: ``advanced.requested_authn_context``
  (a list of AuthnContextClassRef values) and ``advanced.requested_authn_context_comparison``
  (exact, minimum, better or maximum; default exact). allauth 65 never asks for one.

The IdP itself (entity id, SSO URL, certificate or metadata URL) and the SP's checks
(strict, signed assertions) are allauth's SocialApp settings; README, Sign-in, has an example.

With ``idp.metadata_url``, an IdP whose metadata cannot be read gives the Swedish error page
(`metadata_error`; the SP metadata answers 503 then, `sp_metadata`), and is waited for
SSO_REQUESTS_TIMEOUT seconds.

`finish_acs` refuses a response that no login of this browser waits for (a replay) with
the same Swedish page and security-log line as a response that fails its checks.

`register` gives parties/sso.py (the protocol-agnostic glue) what a SAML login says
(`saml_facts`) and where its login button leads (`saml_origins`).
"""

import base64
import binascii
import logging

from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.saml import views as saml_views
from allauth.socialaccount.providers.saml.provider import SAMLProvider as BaseSAMLProvider
from allauth.socialaccount.providers.saml.utils import (
    build_saml_config,
    fetch_metadata_url_config,
    get_app_or_404,
    prepare_django_request,
)
from cryptography import x509
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from onelogin.saml2.auth import OneLogin_Saml2_Auth

from . import security_log, sso
from .models import SecurityEvent

logger = logging.getLogger(__name__)

# Key in SocialAccount.extra_data: the assertion's AuthnContextClassRef values (a list).
AUTHN_CONTEXTS = "samverk_authn_contexts"
COMPARISONS = ("exact", "minimum", "better", "maximum")


def authn_contexts(extra_data) -> list[str]:
    """The AuthnContextClassRef values a SAML login reported (empty for other logins)."""
    values = (extra_data or {}).get(AUTHN_CONTEXTS) or []
    return [str(value) for value in values]


def build_auth(request, provider) -> OneLogin_Saml2_Auth:
    """allauth's build_auth, with the requested authentication context when configured."""
    config = build_saml_config(request, provider.app.settings, provider.app.client_id)
    advanced = provider.app.settings.get("advanced", {})
    requested = advanced.get("requested_authn_context")
    if requested:
        config["security"]["requestedAuthnContext"] = [str(value) for value in requested]
        config["security"]["requestedAuthnContextComparison"] = advanced.get(
            "requested_authn_context_comparison", "exact"
        )
    return OneLogin_Saml2_Auth(prepare_django_request(request), config)


def metadata_error(app) -> Exception | None:
    """With ``idp.metadata_url``: reads the IdP's metadata (allauth caches it 4 h) and returns
    the error when it cannot be read (IdP down, too slow, not SAML metadata), so the view
    answers with the Swedish error page instead of a 500."""
    idp = (app.settings or {}).get("idp") or {}
    if not idp.get("metadata_url"):
        return None
    try:
        fetch_metadata_url_config(idp)
    except Exception as error:  # noqa: BLE001 -- python3-saml raises bare Exception on bad XML
        logger.warning("SAML metadata of %s could not be read: %s", app.client_id, error)
        return error
    return None


class SAMLProvider(BaseSAMLProvider):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        idp = self.app.settings.get("idp") if self.app is not None else None
        if isinstance(idp, dict):
            # Read with the app, in memory only: a metadata URL waits SSO_REQUESTS_TIMEOUT
            # seconds like every other call to an IdP (allauth's default is 10).
            idp.setdefault("metadata_request_timeout", settings.SOCIALACCOUNT_REQUESTS_TIMEOUT)

    def _kept_attribute_names(self) -> set[str]:
        mapping = self.app.settings.get("attribute_mapping", self.default_attribute_mapping)
        names = set()
        for provider_keys in mapping.values():
            names.update([provider_keys] if isinstance(provider_keys, str) else provider_keys)
        identity_provider = getattr(self.app, "identity_provider", None) if self.app.pk else None
        role_claim = getattr(identity_provider, "role_claim", "")
        if role_claim:
            names.add(role_claim)
        return names

    def extract_extra_data(self, data):
        kept = self._kept_attribute_names()
        extra = {name: values for name, values in data.get_attributes().items() if name in kept}
        extra[AUTHN_CONTEXTS] = list(data.get_last_authn_contexts())
        return extra

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        if (error := metadata_error(self.app)) is not None:
            return render_authentication_error(request, self, exception=error)
        auth = build_auth(request, self)
        # return_to="" as allauth's: no RelayState URL, the state is stashed by request id.
        redirect = auth.login(return_to="")
        self.stash_redirect_state(
            request,
            process,
            next_url,
            data,
            state_id=auth.get_last_request_id(),
            **kwargs,
        )
        return HttpResponseRedirect(redirect)


def saml_facts(sociallogin) -> sso.LoginFacts:
    """A SAML login in the terms of parties.services.sso: the address allauth read through
    ``attribute_mapping`` (verified when the IdP's ``email_verified`` attribute says so, or
    the app's ``verified_email`` setting vouches for the IdP), the attributes by name (the
    role attribute among them) plus the names as ``given_name``/``family_name``, and the
    assertion's AuthnContextClassRef values."""
    extra_data = sociallogin.account.extra_data or {}
    user = sociallogin.user
    email = (user.email if user is not None else "") or ""
    verified = any(
        address.verified and address.email.lower() == email.lower()
        for address in sociallogin.email_addresses
    )
    claims = {name: values for name, values in extra_data.items() if name != AUTHN_CONTEXTS}
    if user is not None:
        claims["given_name"] = user.first_name
        claims["family_name"] = user.last_name
    return sso.LoginFacts(
        email=email,
        email_verified=bool(email) and verified,
        claims=claims,
        authn_values=authn_contexts(extra_data),
    )


def saml_origins(app) -> list[str]:
    """Where the login button's redirect goes (for the login page's CSP form-action): the
    SSO URL's origin, or with a metadata URL its origin and, once allauth has read the
    metadata (cached), the SSO URL's in it."""
    idp = (app.settings or {}).get("idp") or {}
    origins = [sso._origin(idp.get("sso_url", ""))]
    metadata_url = idp.get("metadata_url")
    if metadata_url:
        origins.append(sso._origin(metadata_url))
        # allauth.socialaccount.providers.saml.utils.fetch_metadata_url_config's cache key
        parsed = cache.get(f"saml.metadata.{metadata_url}.{idp.get('entity_id')}") or {}
        service = (parsed.get("idp") or {}).get("singleSignOnService") or {}
        origins.append(sso._origin(service.get("url", "")))
    return [origin for origin in origins if origin]


def register():
    sso.register_protocol(BaseSAMLProvider.id, saml_facts, saml_origins)


def _is_certificate(text) -> bool:
    body = "".join(line for line in str(text).splitlines() if not line.startswith("-----"))
    try:
        x509.load_der_x509_certificate(base64.b64decode("".join(body.split()), validate=True))
    except (binascii.Error, ValueError):
        return False
    return True


def _strings(value) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def settings_errors(app_settings) -> list[str]:
    """What is wrong with a SAML SocialApp's settings, in Swedish for the admin's form
    (allauth would otherwise fail on the first login or metadata request)."""
    errors = []
    idp = app_settings.get("idp")
    if not isinstance(idp, dict):
        return [_("SAML: ange identitetsleverantören under ”idp” (entity_id med mera).")]
    if not str(idp.get("entity_id") or "").strip():
        errors.append(_("SAML: ange identitetsleverantörens entity_id under ”idp”."))
    if not idp.get("metadata_url"):
        if not str(idp.get("sso_url") or "").startswith(("https://", "http://")):
            errors.append(
                _("SAML: ange sso_url (adressen för inloggning) eller metadata_url under ”idp”.")
            )
        if not idp.get("x509cert"):
            errors.append(
                _("SAML: ange identitetsleverantörens certifikat, x509cert, under ”idp”.")
            )
        elif not _is_certificate(idp["x509cert"]):
            errors.append(
                _("SAML: x509cert är inte ett certifikat (base64, med eller utan BEGIN/END-rader).")
            )
    mapping = app_settings.get("attribute_mapping", {})
    if not isinstance(mapping, dict) or not all(_strings(v) for v in mapping.values()):
        errors.append(
            _("SAML: attribute_mapping ska ge ett attributnamn (eller en lista) per fält.")
        )
    advanced = app_settings.get("advanced", {})
    if not isinstance(advanced, dict):
        errors.append(_("SAML: ”advanced” ska vara ett JSON-objekt."))
        return errors
    if advanced.get("strict", True) is not True:
        # Not strict, python3-saml skips the audience, destination and time checks.
        errors.append(_("SAML: ”strict” måste vara true."))
    requested = advanced.get("requested_authn_context")
    if requested is not None and not (
        isinstance(requested, list) and requested and _strings(requested)
    ):
        errors.append(_("SAML: requested_authn_context ska vara en lista med värden."))
    if advanced.get("requested_authn_context_comparison", "exact") not in COMPARISONS:
        errors.append(
            _(
                "SAML: requested_authn_context_comparison ska vara exact, minimum, better "
                "eller maximum."
            )
        )
    return errors


@login_not_required
def finish_acs(request, organization_slug):
    """allauth's acs/finish/. A valid response that answers no AuthnRequest this browser's
    session is waiting for (posted a second time, or into another browser) makes allauth raise
    PermissionDenied: refused here like any other response (401, SSO_REFUSED)."""
    provider = get_app_or_404(request, organization_slug).get_provider(request)
    if (error := metadata_error(provider.app)) is not None:
        return render_authentication_error(request, provider, exception=error)
    try:
        return saml_views.finish_acs(request, organization_slug=organization_slug)
    except PermissionDenied:
        security_log.record(SecurityEvent.Kind.SSO_REFUSED, request)
        return render(
            request, "socialaccount/authentication_error.html", {"saml_replayed": True}, status=401
        )


@login_not_required
def sp_metadata(request, organization_slug):
    """allauth's SP metadata (which builds the whole configuration, the IdP's included): 503
    with a Swedish line while the IdP's metadata URL cannot be read, not a 500."""
    app = get_app_or_404(request, organization_slug)
    if metadata_error(app) is not None:
        message = _("Identitetsleverantörens metadata kan inte läsas just nu. Försök igen senare.")
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    return saml_views.metadata(request, organization_slug=organization_slug)
