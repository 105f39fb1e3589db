"""Boka möte: the booking page."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View

from cases.access import get_case_for_user, may_book, may_book_when_open
from cases.enums import CaseAction
from common.forms import parse_id, unchecked
from consent.services import covered_organisation_ids
from parties.models import Organisation

from ..enums import MeetingKind
from ..forms.booking import (
    CONTACT_SEARCH_LIMIT,
    CONTACT_SEARCH_MAX_LENGTH,
    BookingForm,
    ExternalParticipantFormSet,
)
from ..services.booking import (
    NeedsConfirmation,
    book_meeting,
    collaboration_initial,
    follow_up_initial,
)
from .mixins import add_errors


class ContactSearchMixin:
    """The booking and "Föreslå tider" pages' search of the area's contact list
    (templates/meetings/_participant_contacts.html): ``?kontakt_sok=`` from htmx gets the
    hits alone; the no-JS "Sök" button posts the whole form, which comes back as typed,
    unchecked, with the hits."""

    def search_text(self, source) -> str:
        return " ".join(source.get("kontakt_sok", "").split())

    def contact_search(self, form, source, *, kept=()) -> dict:
        text = self.search_text(source)[:CONTACT_SEARCH_MAX_LENGTH]
        hits, more = form.search_contacts(text, kept=kept) if text or kept else ([], False)
        return {
            "text": text,
            "hits": hits,
            "more": more,
            "searched": bool(text),
            "matched": sum(not person["checked"] for person in hits),
            "limit": CONTACT_SEARCH_LIMIT,
        }

    def search_fragment(self, request):
        """The hits for htmx: the people ticked among the earlier hits (``contacts``) stay."""
        if len(self.search_text(request.GET)) > CONTACT_SEARCH_MAX_LENGTH:
            return HttpResponseBadRequest(_("Sökningen är för lång."))
        form = BookingForm(case=self.case, user=request.user)
        kept = {pk for pk in map(parse_id, request.GET.getlist("contacts")) if pk}
        search = self.contact_search(form, request.GET, kept=kept)
        return render(
            request,
            "meetings/_contact_search_results.html",
            {
                "hits": search["hits"],
                "more": search["more"],
                "searched": search["searched"],
                "matched": search["matched"],
                "limit": search["limit"],
            },
        )

    @staticmethod
    def wants_fragment(request) -> bool:
        return "kontakt_sok" in request.GET and request.headers.get("HX-Request") == "true"

    @staticmethod
    def wants_search(request) -> bool:
        """The no-JS "Sök" button was pressed (not "Boka mötet")."""
        return "sok" in request.POST


class BookMeetingView(ContactSearchMixin, View):
    template_name = "meetings/book.html"

    @cached_property
    def case(self):
        return get_case_for_user(self.request.user, self.kwargs["case_pk"])

    def dispatch(self, request, *args, **kwargs):
        case = self.case  # 404 before 403 for the uninvolved
        # The role and an organisation to convene for (the handläggare's, when the area's
        # coordinator books for them).
        if not may_book_when_open(request.user, case):
            raise PermissionDenied
        if not may_book(request.user, case):  # what is left: the ärende is closed
            messages.error(request, _("Ärendet är avslutat; öppna det igen för att boka."))
            return HttpResponseRedirect(case.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def prefill(self):
        """ "Boka samverkansmöte" from a förmöte (?formote=), or "Boka uppföljning" from a
        held meeting (?uppfoljning=) with the agreed day, time and place from the link
        (&datum=ÅÅÅÅ-MM-DD&tid=TT:MM&plats=…), which the plan page builds."""
        params = self.request.GET
        pre_id, earlier_id = parse_id(params.get("formote")), parse_id(params.get("uppfoljning"))
        if pre_id is not None:
            pre = self.case.meetings.filter(pk=pre_id, kind=MeetingKind.PREMEETING).first()
            if pre is not None:
                return collaboration_initial(pre, user=self.request.user)
        if earlier_id is not None:
            earlier = self.case.meetings.filter(pk=earlier_id).first()
            if earlier is not None:
                # Only well-formed values are taken; anything else is left for the user.
                day, start = params.get("datum", ""), params.get("tid", "")
                return follow_up_initial(
                    earlier,
                    user=self.request.user,
                    day=day if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) else None,
                    start_time=start if re.fullmatch(r"\d{2}:\d{2}", start) else None,
                    location=params.get("plats", ""),
                )
        return {}, []

    def get(self, request, *args, **kwargs):
        if self.wants_fragment(request):
            return self.search_fragment(request)
        initial, externals = self.prefill()
        form = BookingForm(case=self.case, user=request.user, initial=initial)
        formset = ExternalParticipantFormSet(prefix="extern", initial=externals or None)
        return self.render(form, formset)

    def post(self, request, *args, **kwargs):
        form = BookingForm(request.POST, case=self.case, user=request.user)
        formset = ExternalParticipantFormSet(request.POST, prefix="extern")
        if self.wants_search(request):
            unchecked(form, formset)
            return self.render(form, formset, search=self.contact_search(form, request.POST))
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

    def render(self, form, formset, *, warnings=(), status=200, search=None):
        # The form shows the ärende (name, needs, consent): a read on GET, with errors and
        # with warnings alike. The booking itself is logged by book_meeting.
        self.case.log(self.request.user, CaseAction.VIEWED, page="book")
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
                "convener": form.convener,
                "contact_search": search,
                "search_url": self.request.path,
                "nav": "cases",
            },
            status=status,
        )
