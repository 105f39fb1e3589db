"""Flytta and ställ in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules
from common.personnummer import refuse_in_free_text

from .fields import MeetingTimeFields


class RescheduleForm(MeetingTimeFields):
    pass


class CancelForm(InputRules, forms.Form):
    reason = forms.CharField(
        label=_("Anledning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Ange varför mötet ställs in.")},
        # The reason goes to every participant in the cancellation.
        validators=[refuse_in_free_text],
    )
