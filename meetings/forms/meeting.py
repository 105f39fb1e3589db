"""The meeting page's forms: skicka kallelse, add a participant."""

from collections import Counter

from django import forms
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules
from common.personnummer import refuse_in_free_text
from parties.models import ContactPerson

from ..enums import ParticipantKind

# How many people the add-participant field suggests for what has been typed.
SUGGESTIONS = 50


class SendInvitationsForm(InputRules, forms.Form):
    oral_consent_at_start = forms.BooleanField(
        label=_("Muntligt samtycke inhämtas vid mötets start"),
        required=False,
        help_text=_(
            "Kryssa i om samtycke saknas för någon part och ska tas muntligt när mötet börjar."
        ),
    )
    # "Skicka igen till <namn>": one participant, by pk (bounded: the databases' integer).
    participant = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Välj en deltagare.")},
    )


class AddParticipantForm(InputRules, forms.Form):
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
    name = forms.CharField(
        label=_("Eller: namn"), max_length=150, required=False, validators=[refuse_in_free_text]
    )
    organisation_name = forms.CharField(
        label=_("Organisation"), max_length=150, required=False, validators=[refuse_in_free_text]
    )
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
        from ..models import Participant

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


class InterpreterForm(InputRules, forms.Form):
    """The meeting's tolk: needed in which language, and whether it is booked."""

    interpreter_language = forms.CharField(
        label=_("Tolk behövs (språk)"),
        help_text=_("Lämna tomt om tolk inte behövs."),
        max_length=100,
        required=False,
        validators=[refuse_in_free_text],
    )
    interpreter_booked = forms.BooleanField(label=_("Tolken är bokad"), required=False)
