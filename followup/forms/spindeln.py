"""Spindeln's forms: the coordinator's new round, and a member's answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules, apply_input_rules
from groups.models import Group, GroupMember

from ..models import SURVEY_COMMENT_MAX
from ..services import spindeln


class MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}, {obj.organisation} ({obj.group.label})"


class GroupChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class RoundForm(InputRules, forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=150)
    closes_on = forms.DateField(
        label=_("Sista svarsdag"), widget=forms.DateInput(attrs={"type": "date"})
    )
    groups = GroupChoice(
        label=_("Grupper (alla medlemmar med e-postadress)"),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    members = MemberChoice(
        label=_("Eller utvalda medlemmar"),
        queryset=GroupMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    local_factor_1 = forms.CharField(
        label=_("Lokal faktor 1 (valfri)"), max_length=150, required=False
    )
    local_factor_2 = forms.CharField(
        label=_("Lokal faktor 2 (valfri)"), max_length=150, required=False
    )

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = spindeln.groups_of(area)
        self.fields["members"].queryset = spindeln.candidate_members(area)


class AnswerForm(InputRules, forms.Form):
    """A choice and an optional comment per factor of the round."""

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.factors = survey.factors()
        for key, label in self.factors:
            self.fields[key] = forms.TypedChoiceField(
                label=label,
                choices=spindeln.scale(),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Välj ett svar.")},
            )
            self.fields[f"{key}_comment"] = forms.CharField(
                label=_("Kommentar till ”%(factor)s” (valfri)") % {"factor": label},
                required=False,
                max_length=SURVEY_COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        apply_input_rules(self.fields)

    def rows(self):
        return [(self[key], self[f"{key}_comment"]) for key, _label in self.factors]

    def answer(self):
        data = self.cleaned_data
        values = {key: data[key] for key, _label in self.factors}
        comments = {key: data.get(f"{key}_comment", "") for key, _label in self.factors}
        return values, comments
