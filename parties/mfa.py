"""The second factor (allauth.mfa): who must have one, and the middleware that holds them to it.

With ``settings.MFA_REQUIRED`` every user who can open ärenden (handläggare,
samverkanskoordinator) and every administrator (Samverk's, Django's staff and superusers)
must have an authenticator app (TOTP) or a security key (WebAuthn). Until they have added
one, every page but the enrolment pages, logout, the keep-alive and static files sends them
to "Tvåstegsverifiering" with a message saying why. A login that single sign-on marked
strong (the identity provider did the second factor: ``SSO_STRONG_SESSION_KEY`` in the
session) is exempt. A user who has one is asked for it at every password login (allauth's
login stage), the admin's included: the admin signs in through the same login.
"""

import time

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import get_reauthentication_flows
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from common.htmx import is_htmx

# Set to True by single sign-on on a login its identity provider calls strong (issue 14).
SSO_STRONG_SESSION_KEY = "samverk_sso_strong"

# The factors that count: recovery codes only stand in for one of these.
FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

# The pages a user who must enrol still reaches (URL names): enrolment and what it needs
# (reauthentication, the recovery codes it creates), the login and its second-factor step,
# logout, and the open pages' keep-alive.
EXEMPT_URL_NAMES = frozenset(
    {
        "login",
        "account_login",
        "logout",
        "account_logout",
        "keepalive",
        "account_reauthenticate",
        "mfa_index",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "mfa_reauthenticate_webauthn",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
    }
)

ENROLMENT_URL_NAME = "mfa_index"


def must_have_second_factor(user) -> bool:
    """Can this user open ärenden, or administer Samverk? Then a password is not enough."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_staff or user.is_superuser or user.is_administrator or user.is_caseworker:
        return True
    return user.coordinated_areas.exists()


def has_second_factor(user) -> bool:
    """An authenticator app or a security key (recovery codes alone do not count)."""
    return Authenticator.objects.filter(user_id=user.pk, type__in=FACTOR_TYPES).exists()


def strong_sso_login(session) -> bool:
    return bool(session.get(SSO_STRONG_SESSION_KEY))


def must_enrol(request) -> bool:
    """MFA_REQUIRED, and this user must have a second factor, has none, and did not log in
    through single sign-on that counts as strong."""
    user = request.user
    return (
        settings.MFA_REQUIRED
        and not strong_sso_login(request.session)
        and must_have_second_factor(user)
        and not has_second_factor(user)
    )


def offer_second_factor(user) -> bool:
    """Not required (MFA_REQUIRED off, e.g. DEBUG=1), but this user would need one: the
    dashboard suggests it."""
    return (
        not settings.MFA_REQUIRED and must_have_second_factor(user) and not has_second_factor(user)
    )


def confirmed_by_recent_login(request) -> bool:
    """allauth asks for the password (or a factor) again before a change to the factors. A
    user who has neither (made by single sign-on: no password, no factor yet) could never
    confirm and so never enrol; for them a login within ACCOUNT_REAUTHENTICATION_TIMEOUT
    (5 minutes) counts as the confirmation."""
    user = request.user
    if not user.is_authenticated or get_reauthentication_flows(user):
        return False
    records = get_authentication_records(request, user)
    limit = account_settings.REAUTHENTICATION_TIMEOUT
    return any(time.time() - record.get("at", 0) < limit for record in records)


def is_exempt(path: str, view_name: str | None) -> bool:
    """Pages a user who must enrol still reaches (``view_name``: namespace:name)."""
    if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return True
    return view_name in EXEMPT_URL_NAMES


def enrolment_message() -> str:
    return _(
        "Ditt konto måste skyddas med tvåstegsverifiering: du kan öppna uppgifter om "
        "enskilda, och då räcker inte bara ett lösenord. Lägg till en autentiseringsapp "
        "eller en säkerhetsnyckel för att fortsätta."
    )


class SecondFactorMiddleware:
    """Sends a user who must enrol a second factor to "Tvåstegsverifiering" (see above).

    In ``process_view``, after LoginRequiredMiddleware: an anonymous user is sent to the
    login first, and the URL name of the page is known. An htmx request gets HX-Redirect.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.MFA_REQUIRED or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if is_exempt(request.path, match.view_name if match else None):
            return None
        if not must_enrol(request):
            return None
        url = reverse(ENROLMENT_URL_NAME)
        if is_htmx(request):
            # htmx follows HX-Redirect; the text is what a page that swaps it in shows.
            response = HttpResponse(
                f'<span class="text-danger" role="alert">{escape(enrolment_message())}</span>',
                status=403,
            )
            response["HX-Redirect"] = url
            return response
        messages.warning(request, enrolment_message())
        return redirect(url)
