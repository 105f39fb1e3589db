from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules
from common.personnummer import refuse_in_free_text
from parties.models import Organisation, SamverkArea

from ..enums import DeviationCategory, DeviationStatus
from ..models import DEVIATION_TEXT_MAX
from ..services.deviations import activities_of, agenda_items_of, possible_names

TEXTS = ("what_happened", "consequence")
NAMES_WARNING = _(
    "Texten ser ut att innehålla ett namn (%(names)s). Skriv inte den enskildes namn: "
    "beskriv händelsen med allmänna ord. Om det inte är ett namn på den enskilde, kryssa i "
    "rutan nedan och skicka igen."
)


class DeviationForm(InputRules, forms.Form):
    """Any staff member's report. Refuses a personnummer; a name asks for a confirmation
    (``names_checked``) before it is saved."""

    area = forms.ModelChoiceField(
        label=_("Samverk-område"),
        queryset=SamverkArea.objects.order_by("name"),
        error_messages={"required": _("Välj området där det hände.")},
    )
    occurred_on = forms.DateField(
        label=_("När hände det?"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Ange när det hände.")},
    )
    category = forms.ChoiceField(
        label=_("Vad gick fel?"),
        choices=[("", "—"), *DeviationCategory.choices],
        error_messages={"required": _("Välj vad som gick fel.")},
    )
    parties = forms.ModelMultipleChoiceField(
        label=_("Berörda parter"),
        queryset=Organisation.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en part.")},
    )
    what_happened = forms.CharField(
        label=_("Vad hände?"),
        max_length=DEVIATION_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Utan den enskildes namn eller personnummer."),
        error_messages={"required": _("Beskriv vad som hände.")},
    )
    consequence = forms.CharField(
        label=_("Vad ledde det till för den enskilde?"),
        max_length=DEVIATION_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Med allmänna ord, till exempel ”hamnade mellan stolarna”."),
        error_messages={"required": _("Beskriv vad det ledde till.")},
    )
    names_checked = forms.BooleanField(
        label=_("Jag har kontrollerat: texten namnger inte den enskilde."),
        required=False,
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.names_found = []
        for name in TEXTS:
            self.fields[name].validators.append(refuse_in_free_text)
        if case is not None:
            # From an ärende: the area is the ärende's.
            del self.fields["area"]

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Datumet ligger i framtiden."))
        return value

    def clean(self):
        data = super().clean()
        known = ()
        if self.case is not None:
            known = (self.case.first_name, self.case.last_name)
        for name in TEXTS:
            if data.get(name):
                self.names_found += possible_names(data[name], known=known)
        if self.names_found and not data.get("names_checked"):
            self.add_error(
                "names_checked",
                NAMES_WARNING % {"names": ", ".join(sorted(set(self.names_found)))},
            )
        return data


class HandleForm(InputRules, forms.Form):
    """The coordinator's status, notes, measures and links."""

    status = forms.ChoiceField(label=_("Status"), choices=DeviationStatus.choices)
    notes = forms.CharField(
        label=_("Anteckningar"),
        required=False,
        max_length=DEVIATION_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    measures = forms.CharField(
        label=_("Åtgärder"),
        required=False,
        max_length=DEVIATION_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    activity = forms.ModelChoiceField(
        label=_("Aktivitet i områdets handlingsplan"), queryset=None, required=False
    )
    agenda_item = forms.ModelChoiceField(
        label=_("Punkt på ett gruppmötes dagordning"), queryset=None, required=False
    )

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("notes", "measures"):
            self.fields[name].validators.append(refuse_in_free_text)
        activity = self.fields["activity"]
        activity.queryset = activities_of(area)
        activity.label_from_instance = lambda a: (
            f"{a.goal.plan.year} {a.goal.position}{a.letter}. {a.text[:80]}"
        )
        item = self.fields["agenda_item"]
        item.queryset = agenda_items_of(area)
        item.label_from_instance = lambda i: (
            f"{i.meeting.group.label} {i.meeting.starts_at:%Y-%m-%d}: {i.title}"
        )


class SummaryForm(InputRules, forms.Form):
    """The coordinator's summary of the period's avvikelser for the styrgrupp."""

    text = forms.CharField(
        label=_("Sammanfattning för styrgruppen"),
        required=False,
        max_length=DEVIATION_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Med allmänna ord, utan namn eller personnummer. Styrgruppen ser texten först när "
            "den är publicerad. Töm rutan och spara för att ta bort den."
        ),
    )
    publish = forms.BooleanField(label=_("Publicera för styrgruppen"), required=False)
    names_checked = forms.BooleanField(
        label=_("Jag har kontrollerat: texten namnger ingen enskild."), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].validators.append(refuse_in_free_text)

    def clean(self):
        data = super().clean()
        names = possible_names(data.get("text") or "")
        if names and not data.get("names_checked"):
            self.add_error(
                "names_checked", NAMES_WARNING % {"names": ", ".join(sorted(set(names)))}
            )
        return data
