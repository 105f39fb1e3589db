from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules
from common.personnummer import refuse_in_free_text

from ..models import Unit


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
