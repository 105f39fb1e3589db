"""Boka möte: the booking form and its external participants."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cases.access import convener_for
from common.forms import InputRules
from common.personnummer import refuse_in_free_text
from parties.models import ContactPerson, Organisation

from .. import markup
from ..enums import Answer, MeetingKind, ParticipantKind
from ..models import Meeting
from ..services.booking import Booking, ParticipantSpec
from .fields import INVALID_CHOICE, MeetingTimeFields


class ContactChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        unit = f", {obj.unit.name}" if obj.unit_id else ""
        contact = _(" – partens Samverk-kontakt") if obj.is_samverk_contact else ""
        return f"{obj.name} ({obj.organisation.name}{unit}){contact}"


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.organisation.name})" if obj.organisation_id else str(obj)


class BookingForm(MeetingTimeFields):
    field_order = [
        "kind",
        "date",
        "start_time",
        "length",
        "room",
        "location",
        "remote_link",
        "purpose",
        "questions",
    ]

    kind = forms.ChoiceField(
        label=_("Mötestyp"),
        choices=MeetingKind.choices,
        initial=MeetingKind.COLLABORATION,
        error_messages={
            "required": _("Välj mötestyp."),
            "invalid_choice": _("Välj en mötestyp i listan."),
        },
    )
    purpose = forms.CharField(
        label=_("Syfte"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad ska mötet leda till? Var specifik."),
        validators=[refuse_in_free_text],
        error_messages={"required": _("Ange mötets syfte.")},
    )
    questions = forms.CharField(
        label=_("Frågeställningar"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tydliga frågor som deltagarna kan förbereda sig på."),
        validators=[refuse_in_free_text],
        error_messages={"required": _("Ange frågeställningar.")},
    )
    contacts = ContactChoiceField(
        label=_("Kontaktpersoner från områdets lista"),
        queryset=ContactPerson.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Välj partens Samverk-kontakt när du inte vet vilken handläggare som är aktuell."
        ),
        error_messages={"invalid_choice": INVALID_CHOICE, "invalid_pk_value": INVALID_CHOICE},
    )
    staff = StaffChoiceField(
        label=_("Personal med inloggning"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"invalid_choice": INVALID_CHOICE, "invalid_pk_value": INVALID_CHOICE},
    )
    individual_attends = forms.BooleanField(
        label=_("Den enskilde deltar"), required=False, initial=True
    )
    support_person = forms.CharField(
        label=_("Stödperson (namn)"),
        max_length=150,
        required=False,
        validators=[refuse_in_free_text],
    )
    # A tolk is the meeting's need and whether it is booked, not a participant (issue 16).
    interpreter_language = forms.CharField(
        label=_("Tolk behövs (språk)"),
        help_text=_("Lämna tomt om tolk inte behövs."),
        max_length=100,
        required=False,
        validators=[refuse_in_free_text],
    )
    interpreter_booked = forms.BooleanField(
        label=_("Tolken är bokad"),
        help_text=_("Brevet till den enskilde säger att tolk är bokad först när det är gjort."),
        required=False,
    )
    premeeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Förmötet hör inte till det här ärendet.")},
    )

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, area=case.area, **kwargs)
        self.case, self.user = case, user
        # The one who convenes: the user, or the ärende's handläggare when the area's
        # coordinator books for them.
        self.convener = convener_for(user, case)
        self.fields["contacts"].queryset = (
            ContactPerson.objects.filter(area=case.area, is_active=True)
            .select_related("organisation", "unit")
            .order_by("organisation__name", "name")
        )
        self.fields["staff"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, organisation__isnull=False)
            .exclude(pk=self.convener.pk)
            .select_related("organisation")
            .order_by("organisation__name", "last_name", "first_name")
        )
        self.fields["premeeting"].queryset = case.meetings.filter(kind=MeetingKind.PREMEETING)
        if case.interpreter_language and not self.is_bound:
            self.initial.setdefault("interpreter_language", case.interpreter_language)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def contact_groups(self):
        """The area's contacts grouped by party, for a light hand-written checkbox list.

        One query of plain values: an area's list can run to a thousand names and a
        widget per checkbox makes the page slow (see the bench).
        """
        selected = {str(value) for value in (self["contacts"].value() or [])}
        groups = {}
        rows = self.fields["contacts"].queryset.values_list(
            "pk", "name", "organisation__name", "unit__name", "is_samverk_contact"
        )
        for pk, name, party, unit, is_contact in rows:
            groups.setdefault(party, []).append(
                {
                    "pk": pk,
                    "name": name,
                    "unit": unit,
                    "is_contact": is_contact,
                    "checked": str(pk) in selected,
                }
            )
        return list(groups.items())

    def contact_choices(self):
        """The checkboxes of contact_groups() as markup (meetings/markup.py); empty when the
        area's list is."""
        return markup.contact_choices(self.contact_groups())

    def participant_specs(self, externals) -> list[ParticipantSpec]:
        data = self.cleaned_data
        specs = [
            ParticipantSpec(
                kind=ParticipantKind.STAFF,
                user=self.convener,
                organisation=self.convener.organisation,
                name=str(self.convener),
                email=self.convener.email,
                note=str(_("Sammankallande")),
                # The convener is coming: only the others' answers are awaited.
                answer=Answer.ATTENDING,
            )
        ]
        specs += [
            ParticipantSpec(
                kind=ParticipantKind.CONTACT,
                contact_person=person,
                organisation=person.organisation,
                name=person.name,
                email=person.email,
            )
            for person in data.get("contacts", [])
        ]
        specs += [
            ParticipantSpec(
                kind=ParticipantKind.STAFF,
                user=member,
                organisation=member.organisation,
                name=str(member),
                email=member.email,
            )
            for member in data.get("staff", [])
        ]
        specs += externals
        if data.get("individual_attends"):
            specs.append(
                ParticipantSpec(
                    kind=ParticipantKind.INDIVIDUAL,
                    name=self.case.individual_name,
                    email=self.case.email,
                )
            )
        if data.get("support_person"):
            specs.append(
                ParticipantSpec(kind=ParticipantKind.SUPPORT_PERSON, name=data["support_person"])
            )
        return specs

    def to_booking(self, externals) -> Booking:
        data = self.cleaned_data
        return Booking(
            case=self.case,
            kind=data["kind"],
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            convening_organisation=self.convener.organisation,
            convened_by=self.convener,
            booked_by=self.user,
            purpose=data["purpose"],
            questions=data["questions"],
            room=data.get("room"),
            location=data.get("location", ""),
            remote_link=data.get("remote_link", ""),
            premeeting=data.get("premeeting"),
            participants=self.participant_specs(externals),
            interpreter_language=data.get("interpreter_language", ""),
            interpreter_booked=bool(
                data.get("interpreter_language") and data.get("interpreter_booked")
            ),
        )


class ExternalParticipantForm(InputRules, forms.Form):
    name = forms.CharField(
        label=_("Namn"), max_length=150, required=False, validators=[refuse_in_free_text]
    )
    organisation_name = forms.CharField(
        label=_("Organisation"), max_length=150, required=False, validators=[refuse_in_free_text]
    )
    email = forms.EmailField(
        label=_("E-post"),
        required=False,
        error_messages={"invalid": _("Ange en giltig e-postadress.")},
    )
    # The party of someone invited before (a substitute, a handläggare a contact person
    # named), carried into a follow-up ("Boka uppföljning"): not typed, so hidden.
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Organisationen finns inte längre. Ladda om sidan.")},
    )

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("organisation_name") or cleaned.get("email")) and not cleaned.get("name"):
            self.add_error("name", _("Ange personens namn."))
        if cleaned.get("name") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Ange e-post så att personen kan få kallelsen."))
        return cleaned

    def spec(self):
        data = self.cleaned_data
        if not data.get("name"):
            return None
        return ParticipantSpec(
            kind=ParticipantKind.EXTERNAL,
            name=data["name"],
            email=data["email"],
            organisation_name=data.get("organisation_name", ""),
            organisation=data.get("organisation"),
        )


ExternalParticipantFormSet = forms.formset_factory(
    ExternalParticipantForm, extra=2, max_num=20, validate_max=True
)
