"""Boka möte: the booking page."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View

from cases.access import get_case_for_user, may_book
from consent.services import covered_organisation_ids
from parties.models import Organisation

from ..enums import MeetingKind, ParticipantKind
from ..forms.booking import BookingForm, ExternalParticipantFormSet
from ..services.booking import NeedsConfirmation, book_meeting
from .mixins import add_errors


class BookMeetingView(View):
    template_name = "meetings/book.html"

    @cached_property
    def case(self):
        return get_case_for_user(self.request.user, self.kwargs["case_pk"])

    def dispatch(self, request, *args, **kwargs):
        case = self.case  # 404 before 403 for the uninvolved
        if not may_book(request.user):  # the role, and an organisation to convene for
            raise PermissionDenied
        if not may_book(request.user, case):  # what is left: the ärende is closed
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
            meeting = book_meeting(booking, accepted=form.accepted())
        except ValidationError as error:
            add_errors(form, error)
            return self.render(form, formset, status=400)
        except NeedsConfirmation as pending:
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
