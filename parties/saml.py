"""SAML 2.0 single sign-on: allauth's SAML provider with the two things Samverk adds
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

`register` gives parties/sso.py (the protocol-agnostic glue) what a SAML login says
(`saml_facts`) and where its login button leads (`saml_origins`).
"""

from allauth.socialaccount.providers.saml.provider import SAMLProvider as BaseSAMLProvider
from allauth.socialaccount.providers.saml.utils import build_saml_config, prepare_django_request
from django.core.cache import cache
from django.http import HttpResponseRedirect
from onelogin.saml2.auth import OneLogin_Saml2_Auth

from . import sso

# Key in SocialAccount.extra_data: the assertion's AuthnContextClassRef values (a list).
AUTHN_CONTEXTS = "samverk_authn_contexts"


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


class SAMLProvider(BaseSAMLProvider):
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
