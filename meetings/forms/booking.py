"""Boka möte: the booking form and its external participants."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import convener_for
from common.forms import InputRules, parse_id
from common.personnummer import refuse_in_free_text
from parties.models import ContactPerson, Organisation

from ..enums import Answer, MeetingKind, ParticipantKind
from ..models import Meeting, Participant
from ..services.booking import Booking, ParticipantSpec
from .fields import INVALID_CHOICE, MeetingTimeFields

# The booking page's contact checkboxes before a search: besides each party's
# Samverk-kontakt and the ärende's people, the convener's most frequent contacts of the
# last RECENT_CONTACTS_PERIOD.
RECENT_CONTACTS = 15
RECENT_CONTACTS_PERIOD = timedelta(days=365)
# How many people a search of the contact list adds at most.
CONTACT_SEARCH_LIMIT = 30
# The longest search text taken.
CONTACT_SEARCH_MAX_LENGTH = 100
CONTACT_VALUES = ("pk", "name", "organisation__name", "unit__name", "is_samverk_contact", "email")


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

    def selected_contact_ids(self) -> set[int]:
        """The contacts ticked (posted) or prefilled, as ids; anything malformed left out
        (the field's own validation answers for it)."""
        return {pk for pk in map(parse_id, map(str, self["contacts"].value() or [])) if pk}

    def suggested_contacts(self):
        """Who is offered as a checkbox before any search: each party's Samverk-kontakt, the
        people of the ärende's meetings, the convener's most frequent contacts of the last
        year and whoever is ticked. An area's list runs to a thousand people; the rest are
        found with the search (``search_contacts``).

        One query of plain values (a model instance per checkbox costs more than the page).
        """
        recent = (
            Participant.objects.filter(
                meeting__convened_by=self.convener,
                meeting__starts_at__gte=timezone.now() - RECENT_CONTACTS_PERIOD,
                contact_person__isnull=False,
            )
            .values("contact_person")
            .annotate(times=Count("pk"))
            .order_by("-times", "contact_person")
            .values("contact_person")[:RECENT_CONTACTS]
        )
        of_case = Participant.objects.filter(
            meeting__case=self.case, contact_person__isnull=False
        ).values("contact_person")
        wanted = (
            Q(is_samverk_contact=True)
            | Q(pk__in=of_case)
            | Q(pk__in=recent)
            | Q(pk__in=self.selected_contact_ids())
        )
        return self.fields["contacts"].queryset.filter(wanted)

    def contact_groups(self, rows=None):
        """The suggested contacts grouped by party: (party, [person dicts]) pairs."""
        selected = self.selected_contact_ids()
        groups = {}
        if rows is None:
            rows = self.suggested_contacts().values_list(*CONTACT_VALUES)
        for pk, name, party, unit, is_contact, _email in rows:
            groups.setdefault(party, []).append(
                {
                    "pk": pk,
                    "name": name,
                    "party": party,
                    "unit": unit,
                    "is_contact": is_contact,
                    "checked": pk in selected,
                }
            )
        return list(groups.items())

    def search_contacts(self, text: str, *, kept=(), limit: int = CONTACT_SEARCH_LIMIT):
        """The search's checkboxes: the people ``kept`` (ticked among earlier hits, still
        ticked) and then the first ``limit`` others whose name, unit, party or e-mail
        address holds every word of ``text`` (any case), leaving out those already offered
        (``suggested_contacts``). Matched in Python, as the meeting page's suggestions are:
        SQLite's LIKE ignores the case of ASCII letters only (Å, Ä, Ö)."""
        offered = set(self.suggested_contacts().values_list("pk", flat=True))
        kept = {pk for pk in kept if pk not in offered}
        words = text.casefold().split()
        hits = []
        if not words and not kept:
            return hits, False
        more = False
        rows = self.fields["contacts"].queryset.values_list(*CONTACT_VALUES)
        for row in rows:
            pk, name, party, unit, is_contact, email = row
            if pk in offered:
                continue
            if pk in kept:
                hits.append(row)
                continue
            if not words:
                continue
            haystack = f"{name} {party} {unit or ''} {email}".casefold()
            if all(word in haystack for word in words):
                if len(hits) - len(kept) >= limit:
                    more = True
                    continue
                hits.append(row)
        people = [
            {
                "pk": pk,
                "name": name,
                "party": party,
                "unit": unit,
                "is_contact": is_contact,
                "checked": pk in kept,
            }
            for pk, name, party, unit, is_contact, _email in hits
        ]
        people.sort(key=lambda person: not person["checked"])
        return people, more

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
