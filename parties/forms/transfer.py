from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules

from ..services.transfer import COLUMNS, MAX_ROWS, read_table

ALLOWED_EXTENSIONS = ["csv", "xlsx", "txt"]


class ContactImportForm(InputRules, forms.Form):
    """One CSV or XLSX file; a valid form has the file's rows in ``self.rows``."""

    file = forms.FileField(
        label=_("Fil (CSV eller Excel)"),
        help_text=format_lazy(
            _(
                "Första raden ska innehålla rubrikerna {columns}. Part, Namn och E-post måste "
                "finnas; saknas någon annan kolumn behålls de nuvarande uppgifterna. "
                "Ja/nej-kolumner skrivs ja eller nej, datum som ÅÅÅÅ-MM-DD. Från Excel läses "
                "det första bladet. Högst {size} MB och {rows} rader."
            ),
            columns=", ".join(COLUMNS),
            size=settings.MAX_UPLOAD_SIZE // (1024 * 1024),
            rows=f"{MAX_ROWS:,}".replace(",", "\u00a0"),
        ),
        validators=[
            FileExtensionValidator(
                ALLOWED_EXTENSIONS,
                message=_(
                    "Filen måste vara en CSV-fil (.csv, .txt) eller en Excel-arbetsbok (.xlsx)."
                ),
            )
        ],
        error_messages={
            "required": _("Välj en fil att ladda upp."),
            "invalid": _("Ingen fil skickades. Välj en fil och försök igen."),
            "missing": _("Ingen fil skickades. Välj en fil och försök igen."),
            "empty": _("Filen är tom."),
        },
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.MAX_UPLOAD_SIZE:
            raise forms.ValidationError(
                _("Filen är för stor (högst %(size)s MB)."),
                code="too_large",
                params={"size": settings.MAX_UPLOAD_SIZE // (1024 * 1024)},
            )
        self.rows = read_table(uploaded)
        return uploaded

    @property
    def filename(self) -> str:
        return PurePath(self.cleaned_data["file"].name).name[:200]
