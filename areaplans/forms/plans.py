from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules
from common.personnummer import refuse_in_free_text
from groups.enums import GroupKind, GroupMeetingStatus
from groups.models import Assignment, GroupMeeting

from ..enums import VersionKind
from ..models import AreaPlan, PlanActivity, PlanGoal


def _free_text(form, names):
    # Printed in the PDF and shown on the public page: no personnummer.
    for name in names:
        form.fields[name].validators.append(refuse_in_free_text)


def _helper(label):
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


class GoalForm(InputRules, forms.ModelForm):
    class Meta:
        model = PlanGoal
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": _("Skriv målet.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _free_text(self, ["text"])
        self.helper = _helper(_("Spara målet"))


class AssignmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        due = f", {obj.due_on:%Y-%m-%d}" if obj.due_on else ""
        return f"{obj.what[:80]} ({obj.meeting.group.label} {obj.meeting.starts_at:%Y-%m-%d}{due})"


def area_assignments(area):
    """Uppdrag given at the area's group meetings, the newest meetings first."""
    return (
        Assignment.objects.filter(meeting__group__area=area)
        .select_related("meeting__group")
        .order_by("-meeting__starts_at", "pk")
    )


class ActivityForm(InputRules, forms.ModelForm):
    class Meta:
        model = PlanActivity
        fields = ["text", "how", "responsible", "when", "follow_up", "is_done", "assignments"]
        field_classes = {"assignments": AssignmentChoiceField}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "how": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 4}),
            "assignments": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "text": {"required": _("Skriv aktiviteten.")},
            "assignments": {"invalid_choice": _("Välj uppdrag från områdets gruppmöten.")},
        }

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        _free_text(self, ["text", "how", "responsible", "when", "follow_up"])
        self.fields["assignments"].queryset = area_assignments(area)

        self.helper = _helper(_("Spara aktiviteten"))


class CommentForm(InputRules, forms.ModelForm):
    class Meta:
        model = AreaPlan
        fields = ["comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 8})}
        labels = {"comment": _("Kommentar till hela planen")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _free_text(self, ["comment"])
        self.helper = _helper(_("Spara kommentaren"))


class NewPlanForm(InputRules, forms.Form):
    year = forms.IntegerField(
        label=_("År"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Ange vilket år planen gäller."),
            "invalid": _("Ange året med fyra siffror, t.ex. 2027."),
            "min_value": _("Ange ett år från 2000."),
            "max_value": _("Ange ett år till och med 2100."),
        },
    )

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area

    def clean_year(self):
        year = self.cleaned_data["year"]
        if AreaPlan.objects.filter(area=self.area, year=year).exists():
            raise forms.ValidationError(
                _("Området har redan en handlingsplan för %(year)s."), params={"year": year}
            )
        return year


class VersionForm(InputRules, forms.Form):
    kind = forms.ChoiceField(
        label=_("Vad gäller versionen"),
        choices=VersionKind.choices,
        initial=VersionKind.ESTABLISHED,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj fastställd eller revidering.")},
    )
    decided_on = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Ange datumet då planen fastställdes eller reviderades."),
            "invalid": _("Ange datumet som ÅÅÅÅ-MM-DD."),
        },
    )

    meeting = forms.ModelChoiceField(
        label=_("Styrgruppens möte"),
        queryset=GroupMeeting.objects.none(),
        required=False,
        empty_label=_("Inget möte i Samverk"),
        help_text=_("Mötet där styrgruppen fastställde eller reviderade planen."),
        error_messages={"invalid_choice": _("Välj ett av styrgruppens möten i området.")},
    )

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()
        self.fields["meeting"].queryset = (
            GroupMeeting.objects.filter(group__area=area, group__kind=GroupKind.STEERING)
            .exclude(status=GroupMeetingStatus.CANCELLED)
            .select_related("group")
            .order_by("-starts_at")
        )
