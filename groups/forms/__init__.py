"""The groups' forms: group, member, booking, agenda item, answer, cancel, uppdrag."""

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules, apply_input_rules
from common.personnummer import refuse_in_free_text
from parties.models import Organisation, Unit

from ..enums import GroupAnswer
from ..models import Group, GroupMember

INVALID_CHOICE = _("Välj ett giltigt alternativ; det valda finns inte längre i listan.")
ITEM_ROWS = 5


class GroupForm(InputRules, forms.ModelForm):
    class Meta:
        model = Group
        fields = ["kind", "name", "turnout_rule", "turnout_percent"]

    def clean_turnout_percent(self):
        value = self.cleaned_data["turnout_percent"]
        if value is not None and not 1 <= value <= 100:
            raise forms.ValidationError(_("Ange en andel mellan 1 och 100 procent."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("kind") == "annan" and not (data.get("name") or "").strip():
            self.add_error("name", _("Skriv gruppens namn."))
        return data


class MemberForm(InputRules, forms.ModelForm):
    class Meta:
        model = GroupMember
        fields = [
            "user",
            "contact",
            "name",
            "organisation",
            "unit",
            "role",
            "email",
            "phone",
            "joined_on",
            "left_on",
            "rotation_order",
            "name_public",
        ]
        widgets = {
            "joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "left_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.group = group
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["unit"].queryset = Unit.objects.filter(area=group.area).select_related(
            "organisation"
        )
        from parties.models import ContactPerson, User

        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by(
            "first_name", "last_name"
        )
        self.fields["user"].help_text = _("Med ett konto ser medlemmen gruppen och sina uppdrag.")
        self.fields["contact"].queryset = (
            ContactPerson.objects.filter(area=group.area, is_active=True)
            .select_related("organisation")
            .order_by("name")
        )
        self.fields["name"].required = False
        self.fields["organisation"].required = False
        self.fields["name"].help_text = _("Tomt: namnet från användaren eller kontaktpersonen.")
        for name in ("organisation", "unit", "user", "contact"):
            self.fields[name].error_messages["invalid_choice"] = INVALID_CHOICE
        self.fields["name"].validators.append(refuse_in_free_text)

    def clean(self):
        data = super().clean()
        person = data.get("user") or data.get("contact")
        if person is not None:
            if not (data.get("name") or "").strip():
                data["name"] = (
                    person.get_full_name() or person.username if data.get("user") else person.name
                )
            data["email"] = data.get("email") or person.email
            data["phone"] = data.get("phone") or person.phone
            if not data.get("organisation") and person.organisation_id:
                data["organisation"] = person.organisation
        if not (data.get("name") or "").strip() and "name" not in self.errors:
            self.add_error(
                "name", _("Skriv ett namn, eller välj en användare eller kontaktperson.")
            )
        if not data.get("organisation") and "organisation" not in self.errors:
            self.add_error("organisation", _("Välj medlemmens part."))
        unit, organisation = data.get("unit"), data.get("organisation")
        if unit and organisation and unit.organisation_id != organisation.pk:
            self.add_error("unit", _("Enheten hör inte till den valda parten."))
        joined, left = data.get("joined_on"), data.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", _("Slutdatum kan inte vara före startdatum."))
        return data


class MeetingForm(InputRules, forms.Form):
    date = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Ange datum."), "invalid": _("Ange datum som ÅÅÅÅ-MM-DD.")},
    )
    start_time = forms.TimeField(
        label=_("Starttid"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Ange starttid."), "invalid": _("Ange tid som TT:MM.")},
    )
    length = forms.IntegerField(
        label=_("Längd i minuter"), initial=120, min_value=1, max_value=8 * 60
    )
    place = forms.CharField(
        label=_("Plats"), max_length=200, required=False, validators=[refuse_in_free_text]
    )
    remote_link = forms.URLField(
        label=_("Videolänk"), max_length=500, required=False, assume_scheme="https"
    )
    convener = forms.ModelChoiceField(
        label=_("Sammankallande"),
        queryset=GroupMember.objects.none(),
        required=False,
        empty_label=_("Ingen vald"),
        help_text=_("Föreslås efter gruppens turordning; du kan välja någon annan."),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        from ..services.roster import current_members

        self.fields["convener"].queryset = current_members(group)
        for n in range(1, ITEM_ROWS + 1):
            self.fields[f"item{n}_title"] = forms.CharField(
                label=_("Punkt %(n)s") % {"n": n},
                max_length=200,
                required=False,
                validators=[refuse_in_free_text],
            )
            self.fields[f"item{n}_presenter"] = forms.CharField(
                label=_("Föredragande, punkt %(n)s") % {"n": n},
                max_length=150,
                required=False,
            )
            self.fields[f"item{n}_minutes"] = forms.IntegerField(
                label=_("Minuter, punkt %(n)s") % {"n": n},
                required=False,
                min_value=1,
                max_value=480,
            )
        apply_input_rules({k: f for k, f in self.fields.items() if k.startswith("item")})

    def clean(self):
        data = super().clean()
        if not (data.get("place") or "").strip() and not (data.get("remote_link") or "").strip():
            self.add_error("place", _("Skriv en plats eller en videolänk."))
        return data

    def item_rows(self):
        return [
            (self[f"item{n}_title"], self[f"item{n}_presenter"], self[f"item{n}_minutes"])
            for n in range(1, ITEM_ROWS + 1)
        ]

    def items(self):
        rows = []
        for n in range(1, ITEM_ROWS + 1):
            title = (self.cleaned_data.get(f"item{n}_title") or "").strip()
            if title:
                rows.append(
                    {
                        "title": title,
                        "presenter": self.cleaned_data.get(f"item{n}_presenter") or "",
                        "minutes": self.cleaned_data.get(f"item{n}_minutes"),
                    }
                )
        return rows

    @property
    def starts_at(self):
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["date"], self.cleaned_data["start_time"])
        )

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.cleaned_data["length"])


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Bakgrundsmaterial (PDF)"))


class AnswerForm(InputRules, forms.Form):
    answer = forms.ChoiceField(
        label=_("Ditt svar"),
        widget=forms.RadioSelect,
        choices=[
            (GroupAnswer.ATTENDING, _("Kommer")),
            (GroupAnswer.DECLINED, _("Kommer inte")),
            (GroupAnswer.SUBSTITUTE, _("Skickar ersättare från min part")),
        ],
        error_messages={"required": _("Välj ett svar.")},
    )
    substitute_name = forms.CharField(
        label=_("Ersättarens namn"),
        max_length=150,
        required=False,
        validators=[refuse_in_free_text],
    )
    substitute_email = forms.EmailField(label=_("Ersättarens e-post"), required=False)


class CancelForm(InputRules, forms.Form):
    note = forms.CharField(
        label=_("Kommentar (valfri)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_in_free_text],
    )


class AssignmentForm(InputRules, forms.Form):
    what = forms.CharField(
        label=_("Uppdrag"),
        max_length=2000,
        validators=[refuse_in_free_text],
        error_messages={"required": _("Skriv vad uppdraget är.")},
    )
    owner = forms.ModelChoiceField(
        label=_("Ansvarig"),
        queryset=GroupMember.objects.none(),
        required=False,
        empty_label=_("Välj"),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    due_on = forms.DateField(
        label=_("Klart senast"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Ange datum som ÅÅÅÅ-MM-DD.")},
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        from ..services.roster import current_members

        self.fields["owner"].queryset = current_members(group)

    def clean(self):
        data = super().clean()
        if not data.get("owner"):
            self.add_error("owner", _("Välj vem som har uppdraget."))
        return data
