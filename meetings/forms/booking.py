from collections import Counter
from datetime import datetime, timedelta

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from parties.models import ContactPerson

from . import rows
from .enums import Answer, MeetingKind, ParticipantKind
from .models import Meeting, Room
from .services import Booking, ParticipantSpec

# How many people the add-participant field suggests for what has been typed.
SUGGESTIONS = 50

INVALID_CHOICE = _("Välj ett giltigt alternativ; det valda finns inte längre i listan.")


class ContactChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        unit = f", {obj.unit.name}" if obj.unit_id else ""
        contact = _(" – partens Samverk-kontakt") if obj.is_samverk_contact else ""
        return f"{obj.name} ({obj.organisation.name}{unit}){contact}"


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.organisation.name})" if obj.organisation_id else str(obj)


def aware(day, time):
    """A local (Europe/Stockholm) wall-clock time as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time))


class MeetingTimeFields(forms.Form):
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
        label=_("Längd i minuter"),
        initial=60,
        min_value=1,
        max_value=8 * 60,
        error_messages={
            "required": _("Ange mötets längd."),
            "invalid": _("Ange längden i hela minuter."),
            "min_value": _("Mötet måste sluta efter att det börjar."),
            "max_value": _("Ett möte kan vara högst åtta timmar."),
        },
    )
    room = forms.ModelChoiceField(
        label=_("Mötesrum"),
        queryset=Room.objects.none(),
        required=False,
        empty_label=_("Inget bokningsbart rum"),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    location = forms.CharField(label=_("Plats eller adress"), max_length=200, required=False)
    remote_link = forms.CharField(
        label=_("Telefon- eller videolänk"),
        max_length=300,
        required=False,
        help_text=_("För den som deltar på distans."),
    )
    accepted_warnings = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm_warnings = forms.BooleanField(
        label=_("Jag har läst varningarna och vill ändå boka"), required=False
    )

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(area=area)

    @property
    def starts_at(self):
        return aware(self.cleaned_data["date"], self.cleaned_data["start_time"])

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.cleaned_data["length"])

    def accepted(self) -> set[str]:
        """Warning codes the user has seen and accepted by ticking the box."""
        if not self.cleaned_data.get("confirm_warnings"):
            return set()
        return {code for code in self.cleaned_data.get("accepted_warnings", "").split("\n") if code}

    def show_warnings(self, warnings):
        """Re-render with the warnings' codes carried in the hidden field."""
        data = self.data.copy()
        data["accepted_warnings"] = "\n".join(w.code for w in warnings)
        data.pop("confirm_warnings", None)
        self.data = data


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
        error_messages={"required": _("Ange mötets syfte.")},
    )
    questions = forms.CharField(
        label=_("Frågeställningar"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tydliga frågor som deltagarna kan förbereda sig på."),
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
    support_person = forms.CharField(label=_("Stödperson (namn)"), max_length=150, required=False)
    interpreter = forms.CharField(
        label=_("Tolk (språk och tolkförmedling)"), max_length=150, required=False
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
        self.fields["contacts"].queryset = (
            ContactPerson.objects.filter(area=case.area, is_active=True)
            .select_related("organisation", "unit")
            .order_by("organisation__name", "name")
        )
        self.fields["staff"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, organisation__isnull=False)
            .exclude(pk=user.pk)
            .select_related("organisation")
            .order_by("organisation__name", "last_name", "first_name")
        )
        self.fields["premeeting"].queryset = case.meetings.filter(kind=MeetingKind.PREMEETING)
        if case.interpreter_language and not self.is_bound:
            self.initial.setdefault("interpreter", case.interpreter_language)
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
        """The checkboxes of contact_groups() as markup (meetings/rows.py); empty when the
        area's list is."""
        return rows.contact_choices(self.contact_groups())

    def participant_specs(self, externals) -> list[ParticipantSpec]:
        data = self.cleaned_data
        specs = [
            ParticipantSpec(
                kind=ParticipantKind.STAFF,
                user=self.user,
                organisation=self.user.organisation,
                name=str(self.user),
                email=self.user.email,
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
        if data.get("interpreter"):
            specs.append(
                ParticipantSpec(kind=ParticipantKind.INTERPRETER, name=data["interpreter"])
            )
        return specs

    def to_booking(self, externals) -> Booking:
        data = self.cleaned_data
        return Booking(
            case=self.case,
            kind=data["kind"],
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            convening_organisation=self.user.organisation,
            convened_by=self.user,
            purpose=data["purpose"],
            questions=data["questions"],
            room=data.get("room"),
            location=data.get("location", ""),
            remote_link=data.get("remote_link", ""),
            premeeting=data.get("premeeting"),
            participants=self.participant_specs(externals),
        )


class ExternalParticipantForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=150, required=False)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-post"),
        required=False,
        error_messages={"invalid": _("Ange en giltig e-postadress.")},
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
        )


ExternalParticipantFormSet = forms.formset_factory(
    ExternalParticipantForm, extra=2, max_num=20, validate_max=True
)


class RescheduleForm(MeetingTimeFields):
    pass


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Anledning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Ange varför mötet ställs in.")},
    )


class SendInvitationsForm(forms.Form):
    oral_consent_at_start = forms.BooleanField(
        label=_("Muntligt samtycke inhämtas vid mötets start"),
        required=False,
        help_text=_(
            "Kryssa i om samtycke saknas för någon part och ska tas muntligt när mötet börjar."
        ),
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Ditt svar"),
        choices=[
            (Answer.ATTENDING, _("Jag kommer")),
            (Answer.REMOTE, _("Jag deltar via telefon eller video")),
            (Answer.DECLINED, _("Jag kan inte komma")),
            (Answer.SUBSTITUTE, _("Jag skickar en ersättare")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj ett svar."),
            "invalid_choice": _("Välj ett av svaren."),
        },
    )
    substitute_name = forms.CharField(label=_("Ersättarens namn"), max_length=150, required=False)
    substitute_email = forms.EmailField(
        label=_("Ersättarens e-post"),
        required=False,
        error_messages={"invalid": _("Ange en giltig e-postadress.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == Answer.SUBSTITUTE:
            if not cleaned.get("substitute_name"):
                self.add_error("substitute_name", _("Ange ersättarens namn."))
            if not cleaned.get("substitute_email") and "substitute_email" not in self.errors:
                self.add_error(
                    "substitute_email", _("Ange ersättarens e-post så att hen får kallelsen.")
                )
        return cleaned


class NameCaseworkerForm(forms.Form):
    name = forms.CharField(
        label=_("Handläggarens namn"),
        max_length=150,
        error_messages={"required": _("Ange namnet.")},
    )
    email = forms.EmailField(
        label=_("Handläggarens e-post"),
        error_messages={
            "required": _("Ange e-postadressen."),
            "invalid": _("Ange en giltig e-postadress."),
        },
    )


class AddParticipantForm(forms.Form):
    """Add someone after booking: a contact person from the area's list, or anyone by name.

    The contact is a text field with a <datalist>: an area's list runs to a thousand
    names, which a <select> makes the user scroll through. The datalist is filled as the
    user types, with the people whose label or e-mail address holds every typed word
    (``suggestions``), fetched from the server: the whole list in every page weighed
    more than the rest of the meeting page. Without the list (or without JavaScript)
    the user may type the whole label, the e-mail address, or a name that only one
    person on the list has.
    """

    contact = forms.CharField(
        label=_("Kontaktperson från områdets lista"),
        max_length=500,
        required=False,
        help_text=_("Skriv namn eller e-postadress och välj personen i listan."),
    )
    name = forms.CharField(label=_("Eller: namn"), max_length=150, required=False)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-post"),
        required=False,
        error_messages={"invalid": _("Ange en giltig e-postadress.")},
    )

    def __init__(self, *args, meeting, participants=None, **kwargs):
        """`participants`: the meeting's people if the page has read them already."""
        super().__init__(*args, **kwargs)
        if participants is None:
            taken = meeting.participants.filter(
                removed_at__isnull=True, contact_person__isnull=False
            ).values("contact_person")
        else:
            taken = [
                p.contact_person_id
                for p in participants
                if p.contact_person_id and not p.is_removed
            ]
        # The contacts who can be added: the area's active ones not already on the meeting.
        self.contacts = ContactPerson.objects.filter(
            area_id=meeting.case.area_id, is_active=True
        ).exclude(pk__in=taken)

    @cached_property
    def contact_choices(self) -> dict[str, tuple[int, str, str, str]]:
        """{label: (pk, name, party, e-mail)} in the list's order (party, name), from one
        query of plain values: a model instance per contact costs more than the rest of
        the page, and so does a Python loop per contact (hence the comprehensions).

        A label is "Name (Party)"; people with the same name in the same party are told
        apart by their e-mail address, unique in an area, so every label names one person.
        """
        rows = list(
            self.contacts.order_by("organisation__name", "name").values_list(
                "pk", "name", "organisation__name", "email"
            )
        )
        labels = [f"{name} ({party})" for _pk, name, party, _email in rows]
        twins = {label for label, count in Counter(labels).items() if count > 1}
        if twins:
            labels = [
                f"{label[:-1]}, {row[3]})" if label in twins else label
                for label, row in zip(labels, rows, strict=True)
            ]
        return dict(zip(labels, rows, strict=True))

    def suggestions(self, text: str, *, limit: int = SUGGESTIONS) -> list[str]:
        """Labels of the people whose label or e-mail address contains every word of
        ``text`` (any case), in the list's order; the first ``limit`` of them."""
        words = text.casefold().split()
        found = []
        for label, row in self.contact_choices.items():
            haystack = f"{label} {row[3]}".casefold()
            if all(word in haystack for word in words):
                found.append(label)
                if len(found) == limit:
                    break
        return found

    @staticmethod
    def option_elements(labels) -> str:
        """The <datalist>'s <option> elements for ``labels``."""
        return format_html_join("", '<option value="{}">', ((label,) for label in labels))

    def clean_contact(self):
        """The contact person the typed text names, or None when it is empty."""
        text = " ".join(self.cleaned_data["contact"].split())
        if not text:
            return None
        wanted = text.casefold()
        choices = self.contact_choices
        pks = [row[0] for label, row in choices.items() if label.casefold() == wanted]
        if not pks:  # the e-mail address, unique in an area
            pks = [row[0] for row in choices.values() if row[3].casefold() == wanted]
        if not pks:  # the name alone
            pks = [row[0] for row in choices.values() if row[1].casefold() == wanted]
        if len(pks) > 1:
            raise forms.ValidationError(
                _("Flera på listan heter %(name)s: välj en av dem i listan.") % {"name": text}
            )
        if not pks:
            raise forms.ValidationError(
                _(
                    "Ingen på områdets lista heter så, eller så är personen redan med. Välj i "
                    "listan, eller skriv namn och e-post i fälten nedan."
                )
            )
        return self.contacts.select_related("organisation").get(pk=pks[0])

    def clean(self):
        cleaned = super().clean()
        if "contact" in self.errors:
            return cleaned
        if not cleaned.get("contact") and not cleaned.get("name"):
            raise forms.ValidationError(_("Välj en kontaktperson eller skriv namn och e-post."))
        if cleaned.get("name") and not cleaned.get("contact") and not cleaned.get("email"):
            self.add_error("email", _("Ange e-post så att personen kan få kallelsen."))
        return cleaned

    def participant(self):
        from .models import Participant

        data = self.cleaned_data
        if data.get("contact"):
            person = data["contact"]
            return Participant(
                kind=ParticipantKind.CONTACT,
                contact_person=person,
                organisation=person.organisation,
                name=person.name,
                email=person.email,
            )
        return Participant(
            kind=ParticipantKind.EXTERNAL,
            name=data["name"],
            organisation_name=data.get("organisation_name", ""),
            email=data.get("email", ""),
        )
