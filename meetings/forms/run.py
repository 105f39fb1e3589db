"""Forms of the page the mötesledare runs the meeting from ("Genomför mötet")."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules
from common.personnummer import refuse_in_free_text
from parties.models import Organisation

from ..enums import AgendaItem, Attendance
from ..models import Meeting
from .fields import INVALID_CHOICE


class AttendanceForm(InputRules, forms.Form):
    attendance = forms.ChoiceField(
        label=_("Närvaro"),
        choices=Attendance.choices,
        error_messages={"required": _("Välj närvaro."), "invalid_choice": INVALID_CHOICE},
    )


class ParticipantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.party_name})" if obj.party_name else obj.name


class RolesForm(InputRules, forms.Form):
    """Any active participant of this meeting validates here; the service refuses the absent."""

    chair = ParticipantChoiceField(label=_("Ordförande"), queryset=None, required=False)
    secretary = ParticipantChoiceField(label=_("Sekreterare"), queryset=None, required=False)
    coordinator = ParticipantChoiceField(
        label=_("Samordnare"),
        queryset=None,
        required=False,
        help_text=_("Håller i fortsatta kontakter och uppföljning."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        people = meeting.participants.filter(removed_at__isnull=True).select_related("organisation")
        for field in self.fields.values():
            field.queryset = people
            field.empty_label = _("– Ingen vald –")
            field.error_messages["invalid_choice"] = INVALID_CHOICE


class AgendaForm(InputRules, forms.Form):
    """The whole checklist (without JavaScript), or one point of it (``item``, from htmx)."""

    done = forms.MultipleChoiceField(
        label=_("Avbockade punkter"), choices=AgendaItem.choices, required=False
    )
    item = forms.ChoiceField(
        choices=AgendaItem.choices,
        required=False,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )


class WalkInForm(InputRules, forms.Form):
    # Walk-ins are named in the plan's PDF.
    name = forms.CharField(
        label=_("Namn"),
        max_length=150,
        error_messages={"required": _("Ange namn.")},
        validators=[refuse_in_free_text],
    )
    organisation = forms.ModelChoiceField(
        label=_("Part"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("– Ingen av parterna –"),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    organisation_name = forms.CharField(
        label=_("Annan organisation"),
        max_length=150,
        required=False,
        help_text=_("Om personen inte kommer från någon av parterna."),
        validators=[refuse_in_free_text],
    )
    role = forms.CharField(
        label=_("Roll i ärendet"),
        max_length=200,
        required=False,
        help_text=_("Till exempel stödperson, arbetsterapeut eller god man."),
        validators=[refuse_in_free_text],
    )

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not data.get("organisation_name", "").strip():
            self.add_error("organisation", _("Ange part eller organisation."))
        return data


class OralConsentForm(InputRules, forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Parter som samtycket gäller"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Välj minst en part som samtycket gäller."),
            "invalid_choice": INVALID_CHOICE,
            "invalid_pk_value": INVALID_CHOICE,
        },
    )
    restrictions = forms.CharField(
        label=_("Det här vill den enskilde inte att vi delar"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, parties, uncovered=(), **kwargs):
        kwargs.setdefault("initial", {"organisations": [o.pk for o in uncovered]})
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in parties]
        ).order_by("name")
