"""System checks of the machine Samverk runs on (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils.translation import gettext as _


def pdf_fonts_subset_in_c() -> bool:
    """Does WeasyPrint subset fonts with HarfBuzz (C)? Without the library it falls back to
    fontTools (Python): the same PDF, but a kallelse takes ~4 times as long."""
    from weasyprint.text import ffi

    return ffi.harfbuzz_subset is not None


# Deploy only: it imports WeasyPrint, which every other manage.py command would wait for.
@register(Tags.compatibility, deploy=True)
def check_pdf_libraries(app_configs, **kwargs):
    if pdf_fonts_subset_in_c():
        return []
    return [
        Warning(
            _(
                "HarfBuzz-Subset saknas: PDF:er (kallelser, handlingsplaner, kontaktlistor) "
                "skapas, men flera gånger långsammare."
            ),
            hint=_(
                "Installera libharfbuzz-subset0 (Debian/Ubuntu) eller kör "
                "bin/ensure-pdf-libraries som root."
            ),
            id="samverk.W001",
        )
    ]


@register(Tags.security, deploy=True)
def check_webhook_secret(app_configs, **kwargs):
    """The delivery webhook is served only with a secret (outbox/webhooks.py): say so before
    the provider's reports start bouncing off a 404."""
    from outbox.webhooks import tracking_provider, webhook_secret

    provider = tracking_provider()
    if settings.DEBUG or not provider or webhook_secret():
        return []
    return [
        Error(
            _(
                "Leveransrapporterna från %(provider)s tas inte emot: ANYMAIL saknar "
                "WEBHOOK_SECRET, och utan den svarar /anymail/%(provider)s/tracking/ 404."
            )
            % {"provider": provider},
            hint=_(
                'Sätt t.ex. ANYMAIL=\'{"WEBHOOK_SECRET": "användare:långt-slumpat-lösenord", '
                "…}' och ge leverantören adressen "
                "https://användare:långt-slumpat-lösenord@<värd>/anymail/%(provider)s/tracking/."
            )
            % {"provider": provider},
            id="samverk.E001",
        )
    ]


@register(Tags.security, deploy=True)
def check_second_factor(app_configs, **kwargs):
    """Production requires a second factor (MFA_REQUIRED, on when DEBUG=0; parties.mfa). With
    it turned off, password logins alone reach individuals' data: the deploy check fails
    unless the operator says, with ALLOW_NO_MFA=1, that this is meant."""
    if settings.DEBUG or settings.MFA_REQUIRED or settings.ALLOW_NO_MFA:
        return []
    return [
        Error(
            _(
                "MFA_REQUIRED är av: handläggare, koordinatorer och administratörer kan logga "
                "in med bara lösenord i produktion."
            ),
            hint=_(
                "Ta bort MFA_REQUIRED=0 (tvåstegsverifiering krävs då), eller sätt "
                "ALLOW_NO_MFA=1 om det är ett medvetet beslut (README: Inloggning)."
            ),
            id="samverk.E002",
        )
    ]
