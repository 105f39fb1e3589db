"""allauth's security-key forms with a failed answer in the security log.

allauth signals a wrong code (``authentication_failed``, logged as MFA_FAILED by
parties.security_log), but not a security key's answer it refuses (an unknown key, a forged
or replayed signature): these forms send the same signal for it. Named in MFA_FORMS."""

from allauth.core import context
from allauth.mfa import signals
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn import forms as webauthn_forms
from django import forms
from django.core.exceptions import ValidationError

from common.forms import InputRules

# A key's answer as JSON (id, client data, authenticator data, signature): about 1,000
# characters; room for larger keys' answers, not for anything much bigger.
CREDENTIAL_MAX = 16_000


def credential_field():
    return forms.JSONField(required=True, widget=forms.HiddenInput, max_length=CREDENTIAL_MAX)


class _LoggedFailure:
    def clean_credential(self):
        try:
            return super().clean_credential()
        except ValidationError:
            signals.authentication_failed.send(
                sender=Authenticator,
                request=context.request,
                user=self.user,
                authenticator=None,
                reauthentication=self.reauthenticated,
            )
            raise


class AuthenticateWebAuthnForm(InputRules, _LoggedFailure, webauthn_forms.AuthenticateWebAuthnForm):
    """The login's second step with a security key."""

    credential = credential_field()


class ReauthenticateWebAuthnForm(
    InputRules, _LoggedFailure, webauthn_forms.ReauthenticateWebAuthnForm
):
    """Confirming with a security key before a change to the factors."""

    credential = credential_field()
