"""The security log (SecurityEvent): written from Django's and allauth's signals, so every
way in (the login form, the admin's, single sign-on) is logged the same."""

from datetime import timedelta

from allauth.account import signals as account_signals
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import signals as auth_signals
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.utils import timezone

from .models import SecurityEvent

Kind = SecurityEvent.Kind


def client_address(request):
    """REMOTE_ADDR, as the server saw it (behind a proxy, the proxy must set it)."""
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


def record(kind, request=None, user=None, login=""):
    return SecurityEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        login=str(login)[:254],
        address=client_address(request),
    )


def purge(days=None, now=None):
    """Delete the events older than the retention time; returns how many went."""
    days = settings.CASE_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = SecurityEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


def _by_sso(request):
    """Whether the login now made was through an organisation's identity provider: the last
    way of authenticating allauth recorded in the session, the second factor aside."""
    session = getattr(request, "session", None)
    records = session.get(AUTHENTICATION_METHODS_SESSION_KEY, []) if session is not None else []
    methods = [r.get("method") for r in records if r.get("method") != "mfa"]
    return bool(methods) and methods[-1] == "socialaccount"


def _logged_in(sender, request, user, **kwargs):
    # A single sign-on is logged as SSO_LOGIN instead (parties.sso, from allauth's signal).
    if _by_sso(request):
        return
    record(Kind.LOGIN, request, user, user.get_username())


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(Kind.LOGOUT, request, user, user.get_username())


def _login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in ``credentials``; only the name is kept.
    login = credentials.get("username") or credentials.get("email") or ""
    record(Kind.LOGIN_FAILED, request, None, login)


def _password_changed(sender, request, user, **kwargs):
    record(Kind.PASSWORD_CHANGED, request, user, user.get_username())


def _password_reset(sender, request, user, **kwargs):
    record(Kind.PASSWORD_RESET, request, user, user.get_username())


def _factor_added(sender, request, user, authenticator, **kwargs):
    # Recovery codes come with the first app or key (allauth makes them then).
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        kind = Kind.MFA_RECOVERY_CODES_RENEWED
    else:
        kind = Kind.MFA_ADDED
    record(kind, request, user, user.get_username())


def _factor_removed(sender, request, user, authenticator, **kwargs):
    record(Kind.MFA_REMOVED, request, user, user.get_username())


def _recovery_codes_renewed(sender, request, user, authenticator, **kwargs):
    record(Kind.MFA_RECOVERY_CODES_RENEWED, request, user, user.get_username())


def _factor_failed(sender, request, user, **kwargs):
    # A wrong code (app or recovery code) at login, or when confirming before a change.
    record(Kind.MFA_FAILED, request, user, user.get_username())


def connect():
    auth_signals.user_logged_in.connect(_logged_in, dispatch_uid="security_log.login")
    auth_signals.user_logged_out.connect(_logged_out, dispatch_uid="security_log.logout")
    auth_signals.user_login_failed.connect(_login_failed, dispatch_uid="security_log.failed")
    account_signals.password_changed.connect(
        _password_changed, dispatch_uid="security_log.password_changed"
    )
    account_signals.password_reset.connect(
        _password_reset, dispatch_uid="security_log.password_reset"
    )
    mfa_signals.authenticator_added.connect(_factor_added, dispatch_uid="security_log.mfa_added")
    mfa_signals.authenticator_removed.connect(
        _factor_removed, dispatch_uid="security_log.mfa_removed"
    )
    mfa_signals.authenticator_reset.connect(
        _recovery_codes_renewed, dispatch_uid="security_log.mfa_reset"
    )
    mfa_signals.authentication_failed.connect(
        _factor_failed, dispatch_uid="security_log.mfa_failed"
    )
