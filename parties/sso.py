"""Single sign-on through django-allauth's socialaccount (OpenID Connect, SAML 2.0): the glue
between allauth's login flow and the rules in parties/services/sso.py.

- `SocialAccountAdapter` (SOCIALACCOUNT_ADAPTER): before allauth logs anybody in, the login
  is turned into `LoginFacts` by its protocol (`PROTOCOLS`; the SAML glue registers its own
  with `register_protocol`) and placed in the provider's organisation, or refused with a
  Swedish page and a SSO_REFUSED line in the security log. Nobody signs up through a form:
  a placed login is signed up automatically.
- `AuthenticateStage`: allauth's second-factor step, skipped when the identity provider said
  the login was strong (an acr/AuthnContextClassRef value the administrator listed).
- `_logged_in`: sets ``request.session["samverk_sso_strong"]`` for a strong SSO login (and
  removes it for any other login), and writes SSO_LOGIN.
"""

import logging
from dataclasses import dataclass, field
from functools import wraps
from urllib.parse import urlsplit

from allauth.account import signals as account_signals
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal.datakit import parse_bool_safely
from allauth.mfa.stages import AuthenticateStage as BaseAuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, get_adapter
from allauth.socialaccount.providers.base.constants import AuthError
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from requests import RequestException

from . import security_log
from .models import IdentityProvider, SecurityEvent
from .services import sso

Kind = SecurityEvent.Kind
logger = logging.getLogger(__name__)

# Kept in SocialLogin.state (serialized with the login between the stages' requests).
STATE_STRONG = "samverk_strong"
STATE_PLACED = "samverk_placed"
STATE_AREAS = "samverk_areas"


@dataclass
class LoginFacts:
    """What a protocol's login says, in the terms of parties.services.sso."""

    email: str
    email_verified: bool
    claims: dict = field(default_factory=dict)
    # OIDC "acr", SAML AuthnContextClassRef: what the provider says of how strong it was.
    authn_values: list = field(default_factory=list)


def oidc_facts(sociallogin) -> LoginFacts:
    """OpenID Connect: the ID token's and the userinfo's claims (userinfo wins, as in
    allauth's provider); the address is verified when ``email_verified`` is true, or when
    the administrator vouched for its domain (the app's ``verified_email`` setting, a list
    of domains: for an IdP that sends no such claim, as Entra ID); the ``acr`` comes from the
    ID token."""
    data = sociallogin.account.extra_data or {}
    id_token = data.get("id_token") or {}
    userinfo = data.get("userinfo") or {}
    claims = {**id_token, **userinfo}
    email = str(claims.get("email") or "")
    verified = parse_bool_safely(claims.get("email_verified")) or (
        bool(email) and get_adapter().is_email_verified(sociallogin.provider, email)
    )
    return LoginFacts(
        email=email,
        email_verified=verified,
        claims=claims,
        authn_values=[id_token.get("acr")] if id_token.get("acr") else [],
    )


def oidc_origins(app) -> list[str]:
    """Where the login page's button sends the browser (the issuer's origin), for the
    Content-Security-Policy's form-action."""
    return [_origin(app.settings.get("server_url", ""))]


# allauth's provider id -> (facts of a login, origins the login form posts or redirects to)
PROTOCOLS = {"openid_connect": (oidc_facts, oidc_origins)}


def register_protocol(provider_id, facts, origins):
    PROTOCOLS[provider_id] = (facts, origins)


def _origin(url):
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def active_providers():
    return list(
        IdentityProvider.objects.filter(is_active=True, app__provider__in=list(PROTOCOLS))
        .select_related("app", "organisation")
        .order_by("organisation__name", "label")
    )


def login_origins(providers=None) -> list[str]:
    origins = []
    for provider in active_providers() if providers is None else providers:
        for origin in PROTOCOLS[provider.app.provider][1](provider.app):
            if origin and origin not in origins:
                origins.append(origin)
    return origins


def identity_provider_of(sociallogin) -> IdentityProvider | None:
    app = getattr(sociallogin.provider, "app", None)
    if app is None or app.pk is None:
        return None  # an app from settings has no organisation: nobody is placed by it
    return (
        IdentityProvider.objects.select_related("organisation", "coordinator_area")
        .filter(app_id=app.pk, is_active=True)
        .first()
    )


def is_strong_login(sociallogin) -> bool:
    return bool(sociallogin is not None and sociallogin.state.get(STATE_STRONG))


def refuse(request, refusal, login=""):
    security_log.record(Kind.SSO_REFUSED, request, refusal.user, login)
    response = render(request, "account/sso_refused.html", {"message": refusal.message}, status=403)
    raise ImmediateHttpResponse(response)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request, sociallogin):
        provider = identity_provider_of(sociallogin)
        protocol = PROTOCOLS.get(getattr(sociallogin.provider, "id", ""))
        if provider is None or protocol is None:
            refuse(
                request,
                sso.SSORefused(_("Den här inloggningen är inte kopplad till någon organisation.")),
            )
        facts = protocol[0](sociallogin)
        sociallogin.state[STATE_STRONG] = sso.is_strong(provider, facts.authn_values)
        try:
            if sociallogin.is_existing:
                sso.check_returning_user(provider, sociallogin.user)
                sso.apply_roles(provider, sociallogin.user, facts.claims)
                return
            placement = sso.place_user(provider, facts.email, facts.email_verified, facts.claims)
        except sso.SSORefused as refusal:
            refuse(request, refusal, facts.email)
        if placement.linked:
            sociallogin.connect(request, placement.user)
            security_log.record(
                Kind.SSO_LINKED, request, placement.user, placement.user.get_username()
            )
            return
        sociallogin.user = placement.user
        sociallogin.email_addresses = [
            address
            for address in sociallogin.email_addresses
            if address.email.lower() == facts.email.lower()
        ]
        sociallogin.state[STATE_PLACED] = True
        sociallogin.state[STATE_AREAS] = [area.pk for area in placement.areas]

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        # The provider's answer was not accepted (a SAML response with a wrong signature,
        # audience or validity time, an OIDC error): nobody is logged in, and the refusal is
        # in the security log. A login the person cancelled at the provider is not one.
        if error != AuthError.CANCELLED:
            security_log.record(Kind.SSO_REFUSED, request)
        return super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )

    def is_open_for_signup(self, request, sociallogin):
        # Only a login pre_social_login placed in its organisation; the password side stays
        # closed (parties.accounts.AccountAdapter).
        return bool(sociallogin.state.get(STATE_PLACED))

    def is_auto_signup_allowed(self, request, sociallogin):
        return bool(sociallogin.state.get(STATE_PLACED))

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        if areas := sociallogin.state.get(STATE_AREAS):
            user.coordinated_areas.add(*areas)
        security_log.record(Kind.SSO_LINKED, request, user, user.get_username())
        return user

    def send_notification_mail(self, *args, **kwargs):
        # allauth's "account connected" notice: a link is made only for the address the
        # user's own organisation verified, and it is in the security log (SSO_LINKED).
        return None


class AuthenticateStage(BaseAuthenticateStage):
    """allauth's second-factor step, except after a login the identity provider called
    strong."""

    def _should_handle(self, request):
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if is_strong_login(sociallogin):
            return False
        return super()._should_handle(request)


def _logged_in(sender, request, user, **kwargs):
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is None:
        request.session.pop(sso.STRONG_SESSION_KEY, None)
        return
    if is_strong_login(sociallogin):
        request.session[sso.STRONG_SESSION_KEY] = True
    else:
        request.session.pop(sso.STRONG_SESSION_KEY, None)
    security_log.record(Kind.SSO_LOGIN, request, user, user.get_username())


def connect():
    account_signals.user_logged_in.connect(_logged_in, dispatch_uid="sso.logged_in")


def allow_sso_form_action(view):
    """The view's answer lets its forms go to the identity providers (CSP form-action):
    the login page's buttons post to Samverk, which redirects to the provider, and a
    browser checks that redirect against the form-action of the page the form was on."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        origins = login_origins()
        if origins:
            response._csp_update = {"form-action": origins}
        return response

    return wrapped


@allow_sso_form_action
def oidc_login(request, provider_id):
    """allauth's OIDC login (the button's POST: to the provider's authorization endpoint),
    with a provider that cannot be reached answered by the Swedish error page (502), not a
    500: allauth reads the provider's discovery document here and lets its error through."""
    try:
        return oidc_views.login(request, provider_id)
    except (RequestException, ValueError, KeyError) as error:
        logger.warning("OIDC provider %s unreachable at login: %s", provider_id, type(error))
        return render(request, "socialaccount/authentication_error.html", status=502)


oidc_login.login_required = False
