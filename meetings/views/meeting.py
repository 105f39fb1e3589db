import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from cases.access import can_create_case, get_case_for_user
from cases.enums import CaseAction
from consent.services import covered_organisation_ids
from parties.models import Organisation

from . import invitations, services
from .access import can_change_meeting, get_meeting_for_user
from .enums import MeetingKind, ParticipantKind
from .forms import (
    AddParticipantForm,
    BookingForm,
    CancelForm,
    ExternalParticipantFormSet,
    RescheduleForm,
    SendInvitationsForm,
)


def add_errors(form, error: ValidationError):
    """Put a service's ValidationError beside the field it names, else on top of the form."""
    for item in error.error_list if not hasattr(error, "error_dict") else [error]:
        if hasattr(item, "error_dict"):
            for field, errors in item.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, item)


class BookMeetingView(View):
    template_name = "meetings/book.html"

    @cached_property
    def case(self):
        return get_case_for_user(self.request.user, self.kwargs["case_pk"])

    def dispatch(self, request, *args, **kwargs):
        case = self.case  # 404 before 403 for the uninvolved
        if not can_create_case(request.user) or request.user.organisation_id is None:
            raise PermissionDenied
        if not case.is_open:
            messages.error(request, _("Ärendet är avslutat; öppna det igen för att boka."))
            return HttpResponseRedirect(case.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def same_participants(self, earlier):
        """The earlier meeting's people (not removed) as the booking form's initial data."""
        people = list(earlier.participants.filter(removed_at__isnull=True))
        initial = {
            "contacts": [p.contact_person_id for p in people if p.contact_person_id],
            "staff": [p.user_id for p in people if p.user_id and p.user_id != self.request.user.pk],
            "individual_attends": True,
        }
        support = [p.name for p in people if p.kind == ParticipantKind.SUPPORT_PERSON]
        if support:
            initial["support_person"] = support[0]
        externals = [
            {"name": p.name, "organisation_name": p.organisation_name, "email": p.email}
            for p in people
            if p.kind == ParticipantKind.EXTERNAL
        ]
        return initial, externals

    def prefill(self):
        """ "Boka samverkansmöte" from a förmöte, or "Boka uppföljning" from a held meeting:
        the same participants; a follow-up also takes the agreed day, time and place
        from the link (?datum=ÅÅÅÅ-MM-DD&tid=TT:MM&plats=…), which the plan page builds."""
        params = self.request.GET
        pre_id, earlier_id = params.get("formote", ""), params.get("uppfoljning", "")
        if pre_id.isdigit():
            pre = self.case.meetings.filter(pk=pre_id, kind=MeetingKind.PREMEETING).first()
            if pre is not None:
                initial, externals = self.same_participants(pre)
                initial.update(
                    kind=MeetingKind.COLLABORATION,
                    premeeting=pre.pk,
                    purpose=pre.purpose,
                    questions=pre.questions,
                )
                return initial, externals
        if earlier_id.isdigit():
            earlier = self.case.meetings.filter(pk=earlier_id).first()
            if earlier is not None:
                initial, externals = self.same_participants(earlier)
                day = formats.date_format(timezone.localtime(earlier.starts_at), "j F Y")
                initial.update(
                    kind=MeetingKind.CHECKPOINT,
                    purpose=_("Uppföljning av handlingsplanen från %(day)s") % {"day": day},
                    questions=_("Hur har det gått med det vi bestämde? Behöver planen ändras?"),
                )
                # Only well-formed values are taken; anything else is left for the user.
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", params.get("datum", "")):
                    initial["date"] = params["datum"]
                if re.fullmatch(r"\d{2}:\d{2}", params.get("tid", "")):
                    initial["start_time"] = params["tid"]
                if params.get("plats"):
                    initial["location"] = params["plats"][:200]
                return initial, externals
        return {}, []

    def get(self, request, *args, **kwargs):
        initial, externals = self.prefill()
        form = BookingForm(case=self.case, user=request.user, initial=initial)
        formset = ExternalParticipantFormSet(prefix="extern", initial=externals or None)
        return self.render(form, formset)

    def post(self, request, *args, **kwargs):
        form = BookingForm(request.POST, case=self.case, user=request.user)
        formset = ExternalParticipantFormSet(request.POST, prefix="extern")
        if not (form.is_valid() and formset.is_valid()):
            return self.render(form, formset, status=400)
        externals = [spec for spec in (f.spec() for f in formset.forms) if spec]
        booking = form.to_booking(externals)
        try:
            meeting = services.book_meeting(booking, accepted=form.accepted())
        except ValidationError as error:
            add_errors(form, error)
            return self.render(form, formset, status=400)
        except services.NeedsConfirmation as pending:
            form.show_warnings(pending.warnings)
            return self.render(form, formset, warnings=pending.warnings)
        messages.success(
            request, _("%(meeting)s är bokat.") % {"meeting": meeting.get_kind_display()}
        )
        return HttpResponseRedirect(meeting.get_absolute_url())

    def render(self, form, formset, *, warnings=(), status=200):
        covered = covered_organisation_ids(self.case, on=timezone.localdate())
        covered_names = list(
            Organisation.objects.filter(pk__in=covered).values_list("name", flat=True)
        )
        return render(
            self.request,
            self.template_name,
            {
                "case": self.case,
                "form": form,
                "formset": formset,
                "warnings": warnings,
                "covered_names": covered_names,
                "nav": "cases",
            },
            status=status,
        )


class MeetingMixin:
    @cached_property
    def meeting(self):
        return get_meeting_for_user(self.request.user, self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        self.meeting  # noqa: B018 - 404 for the uninvolved, whatever the method
        return super().dispatch(request, *args, **kwargs)

    def require_change(self):
        if not can_change_meeting(self.request.user, self.meeting):
            raise PermissionDenied


class MeetingChangeMixin(MeetingMixin):
    """Views that change the meeting: 404 for the uninvolved (from self.meeting), then 403
    for those who may open it but not change it, whatever the method."""

    def dispatch(self, request, *args, **kwargs):
        self.require_change()
        return super().dispatch(request, *args, **kwargs)


def detail_response(request, meeting, *, add_form=None, send_errors=(), status=200):
    """The meeting page; also re-rendered with errors by the actions on it."""
    # One query for the people and their kallelse's delivery state; the declines, consent
    # and add-participant parts below work on this list instead of reading it again.
    participants = invitations.participants_for_page(meeting)
    follow_ups = meeting.follow_ups.all() if meeting.kind == MeetingKind.PREMEETING else []
    can_change = can_change_meeting(request.user, meeting)
    if can_change:
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
            "can_book": meeting.case.is_open and can_create_case(request.user),
            "key_declines": invitations.key_person_declines(meeting, participants),
            "consent_gaps": invitations.consent_gaps(meeting, participants),
            "send_form": SendInvitationsForm(),
            "send_errors": send_errors,
            "add_form": add_form or add_participant_form(meeting, participants, can_change),
            "nav": "cases",
        },
        status=status,
    )


def add_participant_form(meeting, participants, can_change):
    if not can_change:
        return None
    return AddParticipantForm(meeting=meeting, participants=participants)


class MeetingDetailView(MeetingMixin, View):
    def get(self, request, *args, **kwargs):
        self.meeting.case.log(request.user, CaseAction.MEETING_VIEWED, meeting=self.meeting.pk)
        return detail_response(request, self.meeting)


class RescheduleView(MeetingMixin, View):
    template_name = "meetings/reschedule.html"

    def dispatch(self, request, *args, **kwargs):
        self.require_change()
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
            services.reschedule_meeting(
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
        except services.NeedsConfirmation as pending:
            form.show_warnings(pending.warnings)
            return self.render(form, warnings=pending.warnings)
        messages.success(request, _("Mötet är flyttat."))
        return HttpResponseRedirect(self.meeting.get_absolute_url())

    def render(self, form, *, warnings=(), status=200):
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


class CancelView(MeetingChangeMixin, View):
    template_name = "meetings/cancel.html"

    def get(self, request, *args, **kwargs):
        return self.render(CancelForm())

    def post(self, request, *args, **kwargs):
        form = CancelForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            services.cancel_meeting(
                meeting=self.meeting, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Mötet är inställt."))
        return HttpResponseRedirect(self.meeting.get_absolute_url())

    def render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"meeting": self.meeting, "case": self.meeting.case, "form": form, "nav": "cases"},
            status=status,
        )


class SendInvitationsView(MeetingChangeMixin, View):
    """ "Skicka kallelse": queues one message per participant; the worker renders and sends."""

    def post(self, request, *args, **kwargs):
        form = SendInvitationsForm(request.POST)
        form.is_valid()  # a single optional checkbox: always valid
        try:
            count = invitations.send_invitations(
                meeting=self.meeting,
                user=request.user,
                oral_consent_at_start=form.cleaned_data.get("oral_consent_at_start", False),
            )
        except ValidationError as error:
            return detail_response(request, self.meeting, send_errors=error.messages, status=400)
        messages.success(
            request,
            ngettext(
                "Kallelsen är köad till %(count)d deltagare och skickas strax.",
                "Kallelsen är köad till %(count)d deltagare och skickas strax.",
                count,
            )
            % {"count": count},
        )
        return HttpResponseRedirect(self.meeting.get_absolute_url())


class AddParticipantView(MeetingChangeMixin, View):
    def post(self, request, *args, **kwargs):
        form = AddParticipantForm(request.POST, meeting=self.meeting)
        if not form.is_valid():
            return detail_response(request, self.meeting, add_form=form, status=400)
        participant = invitations.add_participant(
            meeting=self.meeting, user=request.user, participant=form.participant()
        )
        messages.success(request, _("%(name)s är tillagd.") % {"name": participant.name})
        return HttpResponseRedirect(self.meeting.get_absolute_url())


class ContactSuggestionsView(MeetingChangeMixin, View):
    """The add-participant field's <datalist> options for what the user has typed."""

    def get(self, request, *args, **kwargs):
        text = request.GET.get("contact", "")
        if len(text) > AddParticipantForm.base_fields["contact"].max_length:
            return HttpResponseBadRequest(_("Texten är för lång."))
        form = AddParticipantForm(meeting=self.meeting)
        return HttpResponse(form.option_elements(form.suggestions(text)))


class RemoveParticipantView(MeetingChangeMixin, View):
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
