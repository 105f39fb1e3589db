"""Forms for changing a booked group meeting: its time (move), its agenda items, and an
uppdrag after the meeting."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules
from common.personnummer import refuse_in_free_text

from . import AssignmentForm, MeetingForm


class MoveForm(MeetingForm):
    """The booking form's time, place and convener, without the agenda rows."""

    def __init__(self, *args, meeting, **kwargs):
        if not args or args[0] is None:
            start = timezone.localtime(meeting.starts_at)
            kwargs["initial"] = {
                "date": start.date(),
                "start_time": start.time().replace(second=0, microsecond=0),
                "length": int((meeting.ends_at - meeting.starts_at) / timedelta(minutes=1)),
                "place": meeting.place,
                "remote_link": meeting.remote_link,
                "convener": meeting.convener_id,
            }
        super().__init__(*args, group=meeting.group, **kwargs)
        for name in [n for n in self.fields if n.startswith("item")]:
            del self.fields[name]


class ItemForm(InputRules, forms.Form):
    title = forms.CharField(
        label=_("Punkt"),
        max_length=200,
        validators=[refuse_in_free_text],
        error_messages={"required": _("Skriv punktens rubrik.")},
    )
    presenter = forms.CharField(
        label=_("Föredragande"), max_length=150, required=False, validators=[refuse_in_free_text]
    )
    minutes = forms.IntegerField(label=_("Minuter"), required=False, min_value=1, max_value=480)


class AssignmentEditForm(AssignmentForm):
    """An uppdrag's what, who and by when, with the version the form was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
