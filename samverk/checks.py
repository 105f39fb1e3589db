"""System checks of the machine Samverk runs on (``manage.py check --deploy``)."""

from django.core.checks import Tags, Warning, register
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
