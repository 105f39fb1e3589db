"""The meeting page and its actions: skicka kallelse, add and remove participants."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from cases.access import may_book

from ..access import can_change_meeting, can_manage_booking
from ..enums import MeetingAction, MeetingKind
from ..forms.meeting import AddParticipantForm, InterpreterForm, SendInvitationsForm
from ..services import invitations
from .mixins import MeetingManageMixin, MeetingMixin


def detail_response(request, meeting, *, add_form=None, send_errors=(), status=200):
    """The meeting page; also re-rendered with errors by the actions on it. Either way a
    read of the meeting, logged."""
    meeting.case.log(request.user, MeetingAction.VIEWED, meeting=meeting.pk)
    # One query for the people and their kallelse's delivery state; the declines, consent
    # and add-participant parts below work on this list instead of reading it again.
    participants = invitations.participants_for_page(meeting)
    follow_ups = meeting.follow_ups.all() if meeting.kind == MeetingKind.PREMEETING else []
    can_change = can_change_meeting(request.user, meeting)
    can_manage = can_change or can_manage_booking(request.user, meeting)
    if can_manage:
        # Each row's "Ta bort" address from one reverse(), not one per row: the
        # participant's pk is the last number in the path.
        marker = "999999999"
        address = reverse("meetings:remove_participant", args=[meeting.pk, marker])
        head, tail = address.rsplit(marker, 1)
        for participant in participants:
            participant.remove_url = f"{head}{participant.pk}{tail}"
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "case": meeting.case,
            "participants": participants,
            "follow_ups": follow_ups,
            "can_change": can_change,
            "can_manage": can_manage,
            "can_book": may_book(request.user, meeting.case),
            "key_declines": invitations.key_person_declines(meeting, participants),
            "consent_gaps": invitations.consent_gaps(meeting, participants),
            "send_form": SendInvitationsForm(),
            "interpreter_form": InterpreterForm(
                initial={
                    "interpreter_language": meeting.interpreter_language
                    or meeting.case.interpreter_language,
                    "interpreter_booked": meeting.interpreter_booked,
                }
            ),
            "send_errors": send_errors,
            "add_form": add_form or add_participant_form(meeting, participants, can_manage),
            "nav": "cases",
        },
        status=status,
    )


def add_participant_form(meeting, participants, can_manage):
    if not can_manage:
        return None
    return AddParticipantForm(meeting=meeting, participants=participants)


class MeetingDetailView(MeetingMixin, View):
    def get(self, request, *args, **kwargs):
        return detail_response(request, self.meeting)


class SendInvitationsView(MeetingManageMixin, View):
    """ "Skicka kallelse": queues one message per participant not yet sent the kallelse for
    the meeting as it is; with a participant, "Skicka igen till <namn>" to that one. The
    worker renders and sends."""

    def post(self, request, *args, **kwargs):
        form = SendInvitationsForm(request.POST)
        if not form.is_valid():
            errors = [e for field in form.errors.values() for e in field]
            return detail_response(request, self.meeting, send_errors=errors, status=400)
        if form.cleaned_data.get("participant"):
            return self.send_again(form.cleaned_data["participant"])
        try:
            count = invitations.send_invitations(
                meeting=self.meeting,
                user=request.user,
                oral_consent_at_start=form.cleaned_data.get("oral_consent_at_start", False),
            )
        except ValidationError as error:
            return detail_response(request, self.meeting, send_errors=error.messages, status=400)
        if count:
            messages.success(
                request,
                ngettext(
                    "Kallelsen är köad till %(count)d deltagare och skickas strax.",
                    "Kallelsen är köad till %(count)d deltagare och skickas strax.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(
                request,
                _(
                    "Alla deltagare har redan fått kallelsen till mötets tid och plats. "
                    "Använd Skicka igen vid en deltagare för att skicka till just den."
                ),
            )
        return HttpResponseRedirect(self.meeting.get_absolute_url())

    def send_again(self, participant_pk):
        participant = get_object_or_404(self.meeting.participants, pk=participant_pk)
        try:
            invitations.resend_invitation(participant=participant, user=self.request.user)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
        else:
            messages.success(
                self.request,
                _("Kallelsen skickas igen till %(name)s.") % {"name": participant.name},
            )
        return HttpResponseRedirect(self.meeting.get_absolute_url())


class AddParticipantView(MeetingManageMixin, View):
    def post(self, request, *args, **kwargs):
        form = AddParticipantForm(request.POST, meeting=self.meeting)
        if not form.is_valid():
            return detail_response(request, self.meeting, add_form=form, status=400)
        try:
            participant = invitations.add_participant(
                meeting=self.meeting, user=request.user, participant=form.participant()
            )
        except ValidationError as error:
            # A refusal of the meeting as a whole (it is cancelled), not of what was typed:
            # shown like RemoveParticipantView's, above the page.
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s är tillagd.") % {"name": participant.name})
        return HttpResponseRedirect(self.meeting.get_absolute_url())


class ContactSuggestionsView(MeetingManageMixin, View):
    """The add-participant field's <datalist> options for what the user has typed."""

    def get(self, request, *args, **kwargs):
        text = request.GET.get("contact", "")
        if len(text) > AddParticipantForm.base_fields["contact"].max_length:
            return HttpResponseBadRequest(_("Texten är för lång."))
        form = AddParticipantForm(meeting=self.meeting)
        return HttpResponse(form.option_elements(form.suggestions(text)))


class RemoveParticipantView(MeetingManageMixin, View):
    def post(self, request, *args, **kwargs):
        participant = get_object_or_404(self.meeting.participants, pk=kwargs["participant_pk"])
        try:
            invitations.remove_participant(participant=participant, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(name)s är borttagen från mötet.") % {"name": participant.name}
            )
        return HttpResponseRedirect(self.meeting.get_absolute_url())


class RemindView(MeetingManageMixin, View):
    """ "Påminn": a reminder now to one person who has not answered (double-click safe in
    the service)."""

    def post(self, request, *args, **kwargs):
        participant = get_object_or_404(self.meeting.participants, pk=kwargs["participant_pk"])
        try:
            invitations.remind(participant=participant, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("En påminnelse skickas till %(name)s.") % {"name": participant.name}
            )
        return HttpResponseRedirect(self.meeting.get_absolute_url())


class InterpreterView(MeetingManageMixin, View):
    """The meeting's tolk: the need (language) and whether it is booked."""

    def post(self, request, *args, **kwargs):
        form = InterpreterForm(request.POST)
        if not form.is_valid():
            errors = [e for field in form.errors.values() for e in field]
            return detail_response(request, self.meeting, send_errors=errors, status=400)
        try:
            invitations.set_interpreter(
                meeting=self.meeting,
                user=request.user,
                language=form.cleaned_data["interpreter_language"],
                booked=form.cleaned_data["interpreter_booked"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Uppgifterna om tolk är sparade."))
        return HttpResponseRedirect(self.meeting.get_absolute_url())
