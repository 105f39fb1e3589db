"""Flytta and ställ in a booked meeting."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from ..enums import MeetingAction
from ..forms.changes import CancelForm, RescheduleForm
from ..services.booking import NeedsConfirmation, cancel_meeting, reschedule_meeting
from .mixins import MeetingManageMixin, MeetingMixin, add_errors


def log_viewed(request, meeting, page):
    """Both forms show the meeting and the individual's name: on GET, with errors, with
    warnings to confirm. A read each time; what is changed, the service logs."""
    meeting.case.log(request.user, MeetingAction.VIEWED, meeting=meeting.pk, page=page)


class RescheduleView(MeetingMixin, View):
    template_name = "meetings/reschedule.html"

    def dispatch(self, request, *args, **kwargs):
        self.require_manage()
        if self.meeting.is_cancelled:
            messages.error(request, _("Mötet är inställt och kan inte flyttas."))
            return HttpResponseRedirect(self.meeting.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        m = self.meeting
        local = timezone.localtime(m.starts_at)
        form = RescheduleForm(
            area=m.case.area,
            initial={
                "date": local.date(),
                "start_time": local.time(),
                "length": m.length_minutes,
                "room": m.room_id,
                "location": m.location,
                "remote_link": m.remote_link,
            },
        )
        return self.render(form)

    def post(self, request, *args, **kwargs):
        form = RescheduleForm(request.POST, area=self.meeting.case.area)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        try:
            reschedule_meeting(
                meeting=self.meeting,
                user=request.user,
                starts_at=form.starts_at,
                ends_at=form.ends_at,
                room=data.get("room"),
                location=data.get("location", ""),
                remote_link=data.get("remote_link", ""),
                accepted=form.accepted(),
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.render(form, status=400)
        except NeedsConfirmation as pending:
            form.show_warnings(pending.warnings)
            return self.render(form, warnings=pending.warnings)
        messages.success(request, _("Mötet är flyttat."))
        return HttpResponseRedirect(self.meeting.get_absolute_url())

    def render(self, form, *, warnings=(), status=200):
        log_viewed(self.request, self.meeting, "reschedule")
        return render(
            self.request,
            self.template_name,
            {
                "meeting": self.meeting,
                "case": self.meeting.case,
                "form": form,
                "warnings": warnings,
                "nav": "cases",
            },
            status=status,
        )


class CancelView(MeetingManageMixin, View):
    template_name = "meetings/cancel.html"

    def get(self, request, *args, **kwargs):
        return self.render(CancelForm())

    def post(self, request, *args, **kwargs):
        form = CancelForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            cancel_meeting(
                meeting=self.meeting, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Mötet är inställt."))
        return HttpResponseRedirect(self.meeting.get_absolute_url())

    def render(self, form, status=200):
        log_viewed(self.request, self.meeting, "cancel")
        return render(
            self.request,
            self.template_name,
            {"meeting": self.meeting, "case": self.meeting.case, "form": form, "nav": "cases"},
            status=status,
        )
