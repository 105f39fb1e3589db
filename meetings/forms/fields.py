"""What the meeting forms share: the time and place fields, the stale-choice message."""

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules
from common.personnummer import refuse_in_free_text

from ..models import Room

INVALID_CHOICE = _("Välj ett giltigt alternativ; det valda finns inte längre i listan.")


def aware(day, time):
    """A local (Europe/Stockholm) wall-clock time as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time))


class MeetingTimeFields(InputRules, forms.Form):
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
    location = forms.CharField(
        label=_("Plats eller adress"),
        max_length=200,
        required=False,
        validators=[refuse_in_free_text],
    )
    remote_link = forms.CharField(
        label=_("Telefon- eller videolänk"),
        max_length=300,
        required=False,
        help_text=_("För den som deltar på distans."),
        validators=[refuse_in_free_text],
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
        # One code a line. Browsers send a form's line breaks as CRLF (HTML's form
        # encoding), so the lines are split on any break and stripped.
        lines = self.cleaned_data.get("accepted_warnings", "").splitlines()
        return {code.strip() for code in lines if code.strip()}

    def show_warnings(self, warnings):
        """Re-render with the warnings' codes carried in the hidden field."""
        data = self.data.copy()
        data["accepted_warnings"] = "\n".join(w.code for w in warnings)
        data.pop("confirm_warnings", None)
        self.data = data
