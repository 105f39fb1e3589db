""" "Föreslå tider": the proposal (the booking form without its one time, 2–6 times instead),
the answer page's form, the pick and the cancellation."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules
from common.personnummer import refuse_in_free_text

from ..enums import PollChoice
from ..services.booking import Booking
from ..services.polls import MAX_TIMES, MIN_TIMES, ProposedTime
from .booking import BookingForm
from .fields import MeetingTimeFields

# The booking form's fields of its one time, which the proposal has per row instead.
ONE_TIME = ("date", "start_time", "length", "room", "accepted_warnings", "confirm_warnings")


class ProposeTimesForm(BookingForm):
    """What the booking holds but the time, the last day to answer, and whether the
    individual is asked too."""

    answer_by = forms.DateField(
        label=_("Svara senast"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Ange sista svarsdag."),
            "invalid": _("Ange datum som ÅÅÅÅ-MM-DD."),
        },
    )
    ask_individual = forms.BooleanField(
        label=_("Fråga även den enskilde (med e-post)"),
        required=False,
        help_text=_("Den enskilde får samma länk som de andra, utan namn eller personnummer."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ONE_TIME:
            self.fields.pop(name, None)
        if not self.is_bound:
            self.initial.setdefault("answer_by", timezone.localdate() + timedelta(days=7))

    def to_template(self, externals) -> Booking:
        """The booking as every time would have it; the times come per row."""
        data = self.cleaned_data
        now = timezone.now()
        return Booking(
            case=self.case,
            kind=data["kind"],
            starts_at=now,
            ends_at=now,
            convening_organisation=self.convener.organisation,
            convened_by=self.convener,
            booked_by=self.user,
            purpose=data["purpose"],
            questions=data["questions"],
            location=data.get("location", ""),
            remote_link=data.get("remote_link", ""),
            premeeting=data.get("premeeting"),
            participants=self.participant_specs(externals),
        )


class ProposedTimeForm(MeetingTimeFields):
    """One proposed time: date, start, length, room; its own warnings to confirm."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("location", "remote_link"):
            self.fields.pop(name)
        # Rows left empty are not proposed.
        for name in ("date", "start_time", "length"):
            self.fields[name].required = False
        self.fields["confirm_warnings"].label = _(
            "Jag har läst varningarna och vill ändå föreslå tiden"
        )

    def clean(self):
        cleaned = super().clean()
        if self.is_empty():
            return cleaned
        for name, message in (
            ("date", _("Ange datum.")),
            ("start_time", _("Ange starttid.")),
            ("length", _("Ange mötets längd.")),
        ):
            if cleaned.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def show_warnings(self, warnings):
        """Re-render with the row's warning codes in its hidden field (prefixed)."""
        data = self.data.copy()
        data[self.add_prefix("accepted_warnings")] = "\n".join(w.code for w in warnings)
        data.pop(self.add_prefix("confirm_warnings"), None)
        self.data = data

    def is_empty(self) -> bool:
        return not any(self.data.get(self.add_prefix(n)) for n in ("date", "start_time"))

    def proposed(self) -> ProposedTime:
        return ProposedTime(
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            room=self.cleaned_data.get("room"),
            accepted=self.accepted(),
        )


class BaseProposedTimeFormSet(forms.BaseFormSet):
    def __init__(self, *args, area, **kwargs):
        self.area = area
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "area": self.area}

    def filled(self) -> list[ProposedTimeForm]:
        return [form for form in self.forms if not form.is_empty()]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        count = len(self.filled())
        if not MIN_TIMES <= count <= MAX_TIMES:
            raise forms.ValidationError(
                _("Föreslå minst %(min)s och högst %(max)s tider.")
                % {"min": MIN_TIMES, "max": MAX_TIMES}
            )


ProposedTimeFormSet = forms.formset_factory(
    ProposedTimeForm,
    formset=BaseProposedTimeFormSet,
    extra=MAX_TIMES,
    max_num=MAX_TIMES,
    validate_max=True,
)


class PollAnswerForm(InputRules, forms.Form):
    """Per time "Passar" / "Passar om det behövs" / "Passar inte", and a comment."""

    comment = forms.CharField(
        label=_("Kommentar (frivilligt)"),
        help_text=_("Till den som frågade. Skriv inga personnummer eller känsliga uppgifter."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_in_free_text],
    )

    def __init__(self, *args, times, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.times = list(times)
        for time, label in zip(self.times, labels, strict=True):
            self.fields[f"time_{time.pk}"] = forms.ChoiceField(
                label=label,
                choices=PollChoice.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Svara för den här tiden."),
                    "invalid_choice": _("Välj Passar, Passar om det behövs eller Passar inte."),
                },
            )
        self.order_fields([f"time_{t.pk}" for t in self.times] + ["comment"])

    def time_fields(self):
        return [self[f"time_{t.pk}"] for t in self.times]

    def choices(self) -> dict[int, str]:
        return {t.pk: self.cleaned_data[f"time_{t.pk}"] for t in self.times}


class PickTimeForm(InputRules, forms.Form):
    time = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Välj en tid."), "invalid": _("Välj en tid.")},
    )
    accepted_warnings = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm_warnings = forms.BooleanField(
        label=_("Jag har läst varningarna och vill ändå boka"), required=False
    )
    oral_consent_at_start = forms.BooleanField(
        label=_("Muntligt samtycke inhämtas vid mötets start"), required=False
    )

    def accepted(self) -> set[str]:
        if not self.cleaned_data.get("confirm_warnings"):
            return set()
        lines = self.cleaned_data.get("accepted_warnings", "").splitlines()
        return {code.strip() for code in lines if code.strip()}


class CancelPollForm(InputRules, forms.Form):
    reason = forms.CharField(
        label=_("Meddelande till de tillfrågade (frivilligt)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        # The reason goes to everyone asked.
        validators=[refuse_in_free_text],
    )
