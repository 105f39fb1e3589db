from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from parties.models import SamverkArea

from . import personnummer
from .models import Case


class CaseForm(forms.ModelForm):
    personnummer = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        required=False,
        help_text=_("Frivilligt. ÅÅÅÅMMDD-NNNN. Visas maskerat och skickas aldrig med e-post."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    class Meta:
        model = Case
        fields = [
            "area",
            "first_name",
            "last_name",
            "personnummer",
            "address",
            "phone",
            "email",
            "contact_preference",
            "interpreter_language",
            "needs_support_person",
            "needs_cognitive_support",
            "wishes",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "wishes": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "first_name": {"required": _("Ange den enskildes förnamn.")},
            "last_name": {"required": _("Ange den enskildes efternamn.")},
            "area": {
                "required": _("Välj Samverk-område."),
                "invalid_choice": _("Välj ett område i listan."),
            },
            "email": {"invalid": _("Ange en giltig e-postadress.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = SamverkArea.objects.all()
        if self.instance.pk:
            # Never echo the stored number back into the page: leave empty to keep it.
            self.initial["personnummer"] = ""
            self.fields["personnummer"].help_text = _(
                "Lämna tomt för att behålla det sparade numret (%(masked)s)."
            ) % {"masked": self.instance.masked_personnummer or _("inget")}
            self.fields["remove_personnummer"] = forms.BooleanField(
                label=_("Ta bort sparat personnummer"), required=False
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Ärende"), "area"),
            Fieldset(
                _("Den enskilde"),
                "first_name",
                "last_name",
                "personnummer",
                *(["remove_personnummer"] if self.instance.pk else []),
                "address",
                "phone",
                "email",
                "contact_preference",
            ),
            Fieldset(
                _("Behov och önskemål"),
                "interpreter_language",
                "needs_support_person",
                "needs_cognitive_support",
                "wishes",
            ),
        )
        self.helper.add_input(Submit("save", _("Spara")))

    def clean_personnummer(self):
        value = self.cleaned_data.get("personnummer", "").strip()
        if not value:
            return ""
        return personnummer.normalise(value)

    def clean(self):
        cleaned = super().clean()
        # The personnummer field is not echoed on edit:
        # empty means "keep", unless removal is ticked.
        if self.instance.pk and not cleaned.get("personnummer"):
            if cleaned.get("remove_personnummer"):
                cleaned["personnummer"] = ""
            else:
                cleaned["personnummer"] = self.instance.personnummer
        return cleaned


class CloseCaseForm(forms.Form):
    reason = forms.CharField(
        label=_("Anledning till avslut"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Ange varför ärendet avslutas.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("close", _("Avsluta ärendet"), css_class="btn-danger"))
