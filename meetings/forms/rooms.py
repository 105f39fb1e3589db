from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules
from common.personnummer import refuse_in_free_text

from ..models import Room


class RoomForm(InputRules, forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "address"]
        error_messages = {"name": {"required": _("Ange rummets namn.")}}

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.area = area
        self.area = area
        # The room's name and address go into kallelser and calendar files.
        for name in ("name", "address"):
            self.fields[name].validators.append(refuse_in_free_text)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Spara")))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Room.objects.filter(area=self.area, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Området har redan ett rum med det namnet."))
        return name
