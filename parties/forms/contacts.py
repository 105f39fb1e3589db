from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules
from common.personnummer import refuse_in_free_text

from ..models import ContactPerson, Unit


def units_for_area(area):
    """Units that work in the area, or in every area."""
    return Unit.objects.filter(Q(area=area) | Q(area__isnull=True)).select_related("organisation")


class UnitSelect(forms.Select):
    """Each unit's option names its party (data-organisation), so the Enhet list can follow
    the chosen Part (static/js/unit_filter.js); the form checks the pair anyway."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-organisation"] = str(instance.organisation_id)
        return option


class UnitChoiceField(forms.ModelChoiceField):
    widget = UnitSelect

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.organisation.name})"


class ContactPersonForm(InputRules, forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["organisation", "unit", "name", "title", "email", "phone", "is_samverk_contact"]
        field_classes = {"unit": UnitChoiceField}
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }
        error_messages = {
            "name": {"required": _("Ange kontaktpersonens namn.")},
            "email": {
                "required": _("Ange en e-postadress; kallelser skickas dit."),
                "invalid": _("Ange en giltig e-postadress, t.ex. namn@kommun.se."),
            },
            "organisation": {"required": _("Välj vilken part personen representerar.")},
        }

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        self.instance.area = area
        self.fields["unit"].queryset = units_for_area(area)
        self.fields["unit"].widget.attrs["data-follows"] = "id_organisation"
        # Name and title go into kallelser and the contact list PDF. (A validator on the
        # form's fields, not the model's: that would be a migration.)
        for name in ("name", "title"):
            self.fields[name].validators.append(refuse_in_free_text)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Spara")))

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        duplicates = ContactPerson.objects.filter(area=self.area, email__iexact=email)
        if self.instance.pk:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(
                _("Det finns redan en kontaktperson med den e-postadressen i %(area)s."),
                params={"area": self.area},
            )
        return email

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Ange kontaktpersonens namn."))
        return name
