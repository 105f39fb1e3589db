"""The security log (SecurityEvent): written from Django's and allauth's signals, so every
way in (the login form, the admin's, later SSO) is logged the same."""

from datetime import timedelta

from allauth.account import signals as account_signals
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


def _logged_in(sender, request, user, **kwargs):
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
