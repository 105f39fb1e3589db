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


@register(Tags.security, deploy=True)
def check_site_identity(app_configs, **kwargs):
    """SITE_URL and CALENDAR_UID_DOMAIN name this installation: with the local defaults the
    answer links point at 127.0.0.1, and two installations make the same calendar UIDs (a
    person invited by both would see one meeting overwrite the other in their calendar)."""
    if settings.DEBUG:
        return []
    missing = [
        name
        for name, local in (
            ("SITE_URL", settings.LOCAL_SITE_URL),
            ("CALENDAR_UID_DOMAIN", settings.LOCAL_CALENDAR_UID_DOMAIN),
        )
        if not getattr(settings, name) or getattr(settings, name) == local
    ]
    if not missing:
        return []
    return [
        Error(
            _("%(names)s måste sättas när DEBUG=0 (standardvärdet gäller bara lokalt).")
            % {"names": ", ".join(missing)},
            hint=_(
                "T.ex. SITE_URL=https://samverk.hoglandet.se och "
                "CALENDAR_UID_DOMAIN=samverk.hoglandet.se; domänen ändras inte när kallelser "
                "har skickats."
            ),
            id="samverk.E003",
        )
    ]


def _inside(path, folder) -> bool:
    from pathlib import Path

    path, folder = Path(path).resolve(), Path(folder).resolve()
    return path == folder or folder in path.parents


@register(Tags.security, deploy=True)
def check_uploads_outside_static_root(app_configs, **kwargs):
    """Uploads (scanned consents) are served only through their views, with the access
    check: inside STATIC_ROOT, WhiteNoise or the reverse proxy would serve them to anyone."""
    media, static = settings.MEDIA_ROOT, settings.STATIC_ROOT
    if not media or not static or not (_inside(media, static) or _inside(static, media)):
        return []
    return [
        Error(
            _("MEDIA_ROOT och STATIC_ROOT överlappar: uppladdade filer kan visas utan inloggning."),
            hint=_("Lägg MEDIA_ROOT utanför STATIC_ROOT (t.ex. /var/lib/samverk/media)."),
            id="samverk.E004",
        )
    ]


@register(Tags.compatibility, deploy=True)
def check_sentry_sdk(app_configs, **kwargs):
    """SENTRY_DSN asks for error reports; without the SDK nothing would be sent."""
    if not getattr(settings, "SENTRY_DSN", ""):
        return []
    try:
        import sentry_sdk  # noqa: F401
    except ImportError:
        return [
            Error(
                _(
                    "SENTRY_DSN är satt men sentry-sdk är inte installerat: inga felrapporter "
                    "skickas."
                ),
                hint=_("Installera med: pip install -e '.[sentry]'"),
                id="samverk.E005",
            )
        ]
    return []
