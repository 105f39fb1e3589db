"""The history page's "Vem har läst ärendet" filter: organisation and period (GET)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules

from .reads import reader_organisations


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ReadsFilterForm(InputRules, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        empty_label=_("Alla organisationer"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    start = forms.DateField(
        label=_("Från och med"), required=False, widget=DateInput(attrs={"class": "form-control"})
    )
    end = forms.DateField(
        label=_("Till och med"), required=False, widget=DateInput(attrs={"class": "form-control"})
    )

    def __init__(self, data=None, *, case, **kwargs):
        # Unbound without any of its fields: the page's own ?page= is not a filter.
        if data is not None and not any(data.get(name) for name in self.base_fields):
            data = None
        super().__init__(data, **kwargs)
        self.fields["organisation"].queryset = reader_organisations(case)
        for field in self.errors:
            if field in self.fields:
                widget = self.fields[field].widget
                widget.attrs["class"] += " is-invalid"
                widget.attrs["aria-describedby"] = f"id_{field}_error"

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("Slutdatumet är före startdatumet."))
        return data

    def filters(self) -> dict:
        """The valid choices as keyword arguments of reads.readers; nothing when invalid."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"organisation": data["organisation"], "start": data["start"], "end": data["end"]}
