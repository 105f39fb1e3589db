from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules
from parties.models import Organisation

from . import services
from .models import Consent, ConsentForm

DATE_ERRORS = {"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2025-03-14.")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # The browser's date picker sends and expects ISO dates whatever the language.
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ConsentRecordForm(InputRules, forms.ModelForm):
    class Meta:
        model = Consent
        fields = [
            "form",
            "organisations",
            "covers_premeeting",
            "given_on",
            "valid_until",
            "restrictions",
            "document",
        ]
        labels = {
            "form": _("Samtyckets form"),
            "organisations": _("Parter som får dela information med varandra"),
            "covers_premeeting": _("Samtycket gäller även förmöte utan den enskilde"),
            "given_on": _("Lämnat den"),
            "valid_until": _("Gäller till och med"),
            "restrictions": _("Det här vill den enskilde inte att vi delar"),
            "document": _("Inskannat samtycke"),
        }
        help_texts = {
            "valid_until": _("Lämna tomt om samtycket gäller tills vidare."),
            "restrictions": _("Frivilligt. Skriv vad som inte får delas och med vem."),
            "document": _("Frivilligt. PDF, JPEG eller PNG, högst 10 MB."),
        }
        widgets = {
            "form": forms.RadioSelect,
            "organisations": forms.CheckboxSelectMultiple,
            "given_on": DateInput,
            "valid_until": DateInput,
            "restrictions": forms.Textarea(attrs={"rows": 4}),
            "document": forms.FileInput(
                attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
            ),
        }
        error_messages = {
            "form": {
                "required": _("Välj om samtycket är skriftligt eller muntligt."),
                "invalid_choice": _("Välj skriftligt eller muntligt."),
            },
            "organisations": {
                "required": _("Välj minst en part som samtycket gäller."),
                "invalid_choice": _("Välj parter i listan."),
                "invalid_pk_value": _("Välj parter i listan."),
                "invalid_list": _("Välj parter i listan."),
            },
            "given_on": {"required": _("Ange datum då samtycket lämnades."), **DATE_ERRORS},
            "valid_until": DATE_ERRORS,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # Radio buttons: no empty "---------" choice.
        self.fields["form"].choices = ConsentForm.choices
        self.fields["organisations"].queryset = Organisation.objects.order_by("name")
        self.fields["given_on"].widget.attrs["max"] = today.isoformat()
        if not self.is_bound:
            self.initial.setdefault("given_on", today)
        # The stored name is made from ids only, so the uploaded name's length does not matter.
        self.fields["document"].max_length = None
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Spara samtycket")))

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        try:
            services.check_given_on(given_on)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return given_on

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not upload:
            return upload
        try:
            extension, _content_type = services.check_document(upload)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        # Name the file by what it is, not by what the browser called it.
        upload.name = f"samtycke.{extension}"
        return upload

    def clean(self):
        cleaned = super().clean()
        given_on, valid_until = cleaned.get("given_on"), cleaned.get("valid_until")
        if given_on and valid_until and valid_until < given_on:
            self.add_error(
                "valid_until",
                _("Slutdatum kan inte vara före datumet då samtycket lämnades."),
            )
        return cleaned


class ConsentRevokeForm(InputRules, forms.Form):
    reason = forms.CharField(
        label=_("Varför återkallas samtycket?"),
        help_text=_('T.ex. "Den enskilde ringde och tog tillbaka sitt samtycke."'),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Ange varför samtycket återkallas.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("revoke", _("Återkalla samtycket"), css_class="btn-danger"))


def add_service_errors(form, error: ValidationError):
    """Put a service's ValidationError beside the field it names, else on top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
