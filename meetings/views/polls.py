""" "Föreslå tider": propose 2–6 times, the grid of answers, pick, remind, cancel; and the
answer page reached from the mail without logging in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from cases.access import check_case_access, get_case_for_user, may_book, may_book_when_open
from cases.enums import CaseAction
from common.forms import unchecked

from ..enums import MeetingAction, ParticipantKind
from ..forms.booking import ExternalParticipantFormSet
from ..forms.polls import (
    CancelPollForm,
    PickTimeForm,
    PollAnswerForm,
    ProposedTimeFormSet,
    ProposeTimesForm,
)
from ..models import TimePoll
from ..services import polls
from ..services.booking import NeedsConfirmation
from .booking import ContactSearchMixin
from .mixins import add_errors


class ProposeTimesView(ContactSearchMixin, View):
    """The booking page's "Föreslå tider": the booking's fields, 2–6 times instead of one."""

    template_name = "meetings/propose_times.html"

    @cached_property
    def case(self):
        return get_case_for_user(self.request.user, self.kwargs["case_pk"])

    def dispatch(self, request, *args, **kwargs):
        case = self.case  # 404 before 403 for the uninvolved
        if not may_book_when_open(request.user, case):
            raise PermissionDenied
        if not may_book(request.user, case):
            messages.error(request, _("Ärendet är avslutat; öppna det igen för att boka."))
            return HttpResponseRedirect(case.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def forms(self, data=None):
        form = ProposeTimesForm(data, case=self.case, user=self.request.user)
        times = ProposedTimeFormSet(data, prefix="tid", area=self.case.area)
        externals = ExternalParticipantFormSet(data, prefix="extern")
        return form, times, externals

    def get(self, request, *args, **kwargs):
        if self.wants_fragment(request):
            return self.search_fragment(request)
        return self.render(*self.forms())

    def post(self, request, *args, **kwargs):
        form, times, externals = self.forms(request.POST)
        if self.wants_search(request):
            unchecked(form, times, externals)
            return self.render(
                form, times, externals, search=self.contact_search(form, request.POST)
            )
        valid = [form.is_valid(), times.is_valid(), externals.is_valid()]
        if not all(valid):
            return self.render(form, times, externals, status=400)
        template = form.to_template([s for s in (f.spec() for f in externals.forms) if s])
        rows = times.filled()
        try:
            poll = polls.propose_times(
                template,
                [row.proposed() for row in rows],
                answer_by=form.cleaned_data["answer_by"],
                ask_individual=form.cleaned_data.get("ask_individual", False),
            )
        except polls.PollRefused as refused:
            for error in refused.general:
                add_errors(
                    form, error if isinstance(error, ValidationError) else ValidationError(error)
                )
            for index, problems in refused.per_time.items():
                for message in problems:
                    rows[index].add_error(None, message)
            return self.render(form, times, externals, status=400)
        except polls.PollNeedsConfirmation as pending:
            for index, warnings in pending.per_time.items():
                rows[index].show_warnings(warnings)
                rows[index].warnings = warnings
            return self.render(form, times, externals)
        asked = poll.invitees.filter(asked=True).count()
        messages.success(
            request,
            ngettext(
                "Tiderna är föreslagna. %(count)d person får frågan med e-post.",
                "Tiderna är föreslagna. %(count)d personer får frågan med e-post.",
                asked,
            )
            % {"count": asked},
        )
        return HttpResponseRedirect(poll.get_absolute_url())

    def render(self, form, times, externals, *, status=200, search=None):
        self.case.log(self.request.user, CaseAction.VIEWED, page="propose_times")
        return render(
            self.request,
            self.template_name,
            {
                "case": self.case,
                "form": form,
                "times": times,
                "formset": externals,
                "convener": form.convener,
                "contact_search": search,
                "search_url": self.request.path,
                "nav": "cases",
            },
            status=status,
        )


class PollMixin:
    @cached_property
    def poll(self):
        poll = get_object_or_404(
            TimePoll.objects.select_related(
                "case", "case__area", "convened_by", "convening_organisation", "meeting"
            ),
            pk=self.kwargs["pk"],
        )
        check_case_access(self.request.user, poll.case)  # 404 for the uninvolved
        if not polls.can_manage_poll(self.request.user, poll):
            raise PermissionDenied
        return poll

    def dispatch(self, request, *args, **kwargs):
        self.poll  # noqa: B018 - 404, then 403, whatever the method
        return super().dispatch(request, *args, **kwargs)


def grid_response(request, poll, *, pick_form=None, warnings=(), consent_gaps=(), status=200):
    """The grid: people × times with totals, key people marked; a read of the ärende."""
    poll.case.log(request.user, MeetingAction.POLL_VIEWED, poll=poll.pk)
    columns, rows = polls.poll_grid(poll)
    return render(
        request,
        "meetings/poll.html",
        {
            "poll": poll,
            "case": poll.case,
            "columns": columns,
            "rows": rows,
            "answered": sum(1 for r in rows if r.invitee.answered_at),
            "pick_form": pick_form,
            "warnings": warnings,
            "consent_gaps": consent_gaps,
            "cancel_form": CancelPollForm(),
            "individual_kind": ParticipantKind.INDIVIDUAL,
            "nav": "cases",
        },
        status=status,
    )


class PollView(PollMixin, View):
    def get(self, request, *args, **kwargs):
        return grid_response(request, self.poll)


class PickTimeView(PollMixin, View):
    """ "Välj den här tiden": books the meeting (warnings and consent confirmed as for a
    booking) and sends the kallelse."""

    def post(self, request, *args, **kwargs):
        poll = self.poll
        form = PickTimeForm(request.POST)
        time = None
        if form.is_valid():
            time = poll.times.filter(pk=form.cleaned_data["time"]).first()
        if time is None:
            messages.error(request, _("Välj en av de föreslagna tiderna."))
            return grid_response(request, poll, status=400)
        try:
            meeting = polls.pick_time(
                poll=poll,
                time=time,
                user=request.user,
                accepted=form.accepted(),
                oral_consent_at_start=form.cleaned_data.get("oral_consent_at_start", False),
            )
        except NeedsConfirmation as pending:
            data = request.POST.copy()
            data["accepted_warnings"] = "\n".join(w.code for w in pending.warnings)
            data.pop("confirm_warnings", None)
            return grid_response(
                request, poll, pick_form=PickTimeForm(data), warnings=pending.warnings
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "oral_consent_at_start" in error.error_dict:
                return grid_response(
                    request,
                    poll,
                    pick_form=PickTimeForm(request.POST),
                    consent_gaps=error.messages,
                )
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(poll.get_absolute_url())
        messages.success(
            request,
            _("%(meeting)s är bokat och kallelsen köad. De tillfrågade får besked om vald tid.")
            % {"meeting": meeting.get_kind_display()},
        )
        return HttpResponseRedirect(meeting.get_absolute_url())


class RemindView(PollMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            count = polls.remind_now(poll=self.poll, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "Påminnelse köad till %(count)d person.",
                    "Påminnelse köad till %(count)d personer.",
                    count,
                )
                % {"count": count},
            )
        return HttpResponseRedirect(self.poll.get_absolute_url())


class CancelPollView(PollMixin, View):
    def post(self, request, *args, **kwargs):
        form = CancelPollForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return HttpResponseRedirect(self.poll.get_absolute_url())
        try:
            polls.cancel_poll(poll=self.poll, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(self.poll.get_absolute_url())
        messages.success(request, _("Förfrågan om tider är avbruten. De tillfrågade får besked."))
        return HttpResponseRedirect(self.poll.case.get_absolute_url())


@method_decorator(login_not_required, name="dispatch")
class PollAnswerView(View):
    """The link in the poll's mail: no login; the token is the person (a forwarded link
    opens the same person's answers). Nothing here names the individual."""

    template_name = "meetings/poll_answer.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.invitee = polls.invitee_from_token(kwargs["token"])
        except polls.PollLinkError as error:
            return render(request, "link_error.html", {"message": str(error)}, status=400)
        self.poll = self.invitee.poll
        self.times = list(self.poll.times.select_related("room"))
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        initial = {f"time_{pk}": choice for pk, choice in polls.answers_of(self.invitee).items()}
        initial["comment"] = self.invitee.comment
        return PollAnswerForm(
            data,
            times=self.times,
            labels=[polls.time_label(t) + (f", {t.room}" if t.room_id else "") for t in self.times],
            initial=initial,
        )

    def get(self, request, *args, **kwargs):
        return self.render(self.form())

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            polls.record_poll_answer(
                invitee=self.invitee, choices=form.choices(), comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(form, status=400)
        return self.render(self.form(), done=True)

    def render(self, form, *, done=False, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "invitee": self.invitee,
                "poll": self.poll,
                "times": self.times,
                "form": form,
                "done": done,
                "is_individual": self.invitee.kind == ParticipantKind.INDIVIDUAL,
            },
            status=status,
        )
