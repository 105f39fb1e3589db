from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules
from common.personnummer import refuse_in_free_text

from ..models import Organisation, SamverkArea, Unit


class UnitForm(InputRules, forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "way_in", "phone", "email"]
        widgets = {"way_in": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "name": {"required": _("Ange enhetens namn.")},
            "email": {"invalid": _("Ange en giltig e-postadress.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Printed in the contact list PDF.
        for name in ("name", "way_in"):
            self.fields[name].validators.append(refuse_in_free_text)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Spara")))


class NewUnitForm(UnitForm):
    """A new unit of the area: its party is chosen once (a unit does not change party)."""

    class Meta(UnitForm.Meta):
        fields = ["organisation", *UnitForm.Meta.fields]
        error_messages = {
            **UnitForm.Meta.error_messages,
            "organisation": {"required": _("Välj vilken part enheten hör till.")},
        }

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.area = area
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")


class AreaSettingsForm(InputRules, forms.ModelForm):
    """What the area's coordinator sets for the area (name and address slug stay the
    administrator's: they are in every link)."""

    class Meta:
        model = SamverkArea
        fields = ["municipality", "target_age_min", "target_age_max", "extract_names_staff"]
        error_messages = {
            "municipality": {"required": _("Ange kommunen.")},
            "target_age_min": {"required": _("Ange lägsta ålder i målgruppen.")},
            "target_age_max": {"required": _("Ange högsta ålder i målgruppen.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Spara inställningarna")))

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("target_age_min"), cleaned.get("target_age_max")
        if low is not None and high is not None and low > high:
            self.add_error("target_age_max", _("Högsta ålder kan inte vara lägre än lägsta ålder."))
        return cleaned
