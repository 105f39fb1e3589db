"""Sign-in through django-allauth: the project's account adapter.

Accounts are made by administrators (and by SSO later), so nobody signs up; the mail allauth
sends (password reset) leaves through the outbox like every other message, from the
template triple templates/emails/account-<name>-subject.txt/-body.txt/-body.html.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm as BaseLoginForm
from allauth.core import context
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules
from outbox.services import queue_templated

from . import mfa

# allauth's prefix -> our kind; a message allauth may send that is not here is refused
# rather than sent past the outbox.
MAIL_KINDS = {
    "account/email/password_reset_key": "account-password-reset",
    "account/email/password_changed": "account-password-changed",
    "account/email/password_reset": "account-password-changed",
    # The second factor (allauth.mfa): the owner hears of every factor added or removed
    # and of new recovery codes, as of a changed password.
    "mfa/email/totp_activated": "account-second-factor",
    "mfa/email/totp_deactivated": "account-second-factor",
    "mfa/email/webauthn_added": "account-second-factor",
    "mfa/email/webauthn_removed": "account-second-factor",
    "mfa/email/recovery_codes_generated": "account-second-factor",
}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # One message whether the username or the password was wrong, as Django's had.
        "username_password_mismatch": _(
            "Ange ett korrekt användarnamn och lösenord. Observera att båda fälten kan vara "
            "skiftlägeskänsliga."
        ),
        "email_password_mismatch": _(
            "Ange ett korrekt användarnamn och lösenord. Observera att båda fälten kan vara "
            "skiftlägeskänsliga."
        ),
        "too_many_login_attempts": _(
            "För många misslyckade inloggningsförsök. Vänta en stund och försök igen."
        ),
        "invalid_password_reset": _(
            "Länken för att återställa lösenordet är ogiltig eller har gått ut."
        ),
        "enter_current_password": _("Ange ditt nuvarande lösenord."),
        "incorrect_password": _("Fel lösenord."),
    }

    def is_open_for_signup(self, request):
        return False

    def is_reauthentication_required(self, *, app, **kwargs):
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and context.request is not None:
            return not mfa.confirmed_by_recent_login(context.request)
        return required

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # allauth gives the notices (password changed, a second factor added) no user.
        super().send_notification_mail(
            template_prefix, user, {**(context or {}), "user": user}, email
        )

    def send_mail(self, template_prefix, email, context):
        kind = MAIL_KINDS.get(template_prefix)
        if kind is None:
            raise ValueError(f"No outbox kind for allauth's {template_prefix}")
        user = context.get("user")
        mail_context = {
            "name": user.get_full_name() if user else "",
            "username": user.get_username() if user else "",
            "password_reset_url": context.get("password_reset_url", ""),
            # Which change to the second factor (account-second-factor): totp_activated, ...
            "change": template_prefix.rpartition("/")[2],
        }
        with transaction.atomic():
            queue_templated(
                kind,
                context=mail_context,
                to_email=email,
                to_name=mail_context["name"],
            )

    def get_login_stages(self):
        # allauth's second-factor step, skipped after a login that the organisation's
        # identity provider called strong (parties.sso.AuthenticateStage).
        return [
            "parties.sso.AuthenticateStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]


class LoginForm(InputRules, BaseLoginForm):
    """allauth's login form with the labels the page has always had."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Användarnamn eller e-postadress")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].label = _("Lösenord")
        self.fields["password"].widget.attrs.pop("placeholder", None)
