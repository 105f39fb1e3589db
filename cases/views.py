from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from common.mixins import InvalidFormIs400Mixin

from . import reads, services
from .access import can_create_case, get_case_for_user, may_book
from .enums import CaseAction
from .filters import ReadsFilterForm
from .forms import CaseForm, CloseCaseForm, ShareForm
from .models import Case


class CaseMixin:
    """Every ärende URL goes through get_case_for_user: 404 for the uninvolved."""

    @cached_property
    def case(self):
        return get_case_for_user(self.request.user, self.kwargs["pk"])

    def get_object(self, queryset=None):
        return self.case

    def require_manage(self):
        if not services.can_manage(self.request.user, self.case):
            raise PermissionDenied


class CaseListView(ListView):
    """ "Mina ärenden": the ärenden I own, or every one I may open."""

    template_name = "cases/case_list.html"
    context_object_name = "cases"
    paginate_by = 50

    def get_queryset(self):
        params = self.request.GET
        self.scope = "alla" if params.get("omfang") == "alla" else "mina"
        status = params.get("status")
        self.status = status if status in ("open", "closed", "alla") else "open"
        cases = Case.objects.visible_to(self.request.user).select_related("area", "owner")
        if self.scope == "mina":
            cases = cases.filter(owner=self.request.user)
        if self.status != "alla":
            cases = cases.filter(status=self.status)
        # NUL is refused by PostgreSQL (500); no name contains it.
        self.query = params.get("q", "").replace("\x00", "").strip()[:100]
        for word in self.query.split():
            cases = cases.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        return cases.order_by("last_name", "first_name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            nav="cases",
            scope=self.scope,
            status=self.status,
            query=self.query,
            can_create=can_create_case(self.request.user),
            **kwargs,
        )
        # The page's rows, read here once (the template iterates the same list).
        reads.log_listed(self.request.user, [c.pk for c in context["cases"]], page="case_list")
        return context


class CaseCreateView(InvalidFormIs400Mixin, CreateView):
    form_class = CaseForm
    template_name = "cases/case_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_create_case(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        case = services.open_case(form=form, user=self.request.user)
        messages.success(
            self.request, _("Ärendet för %(name)s är skapat.") % {"name": case.individual_name}
        )
        return HttpResponseRedirect(case.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(nav="cases", **kwargs)


class CaseUpdateView(CaseMixin, InvalidFormIs400Mixin, UpdateView):
    form_class = CaseForm
    template_name = "cases/case_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.require_manage()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.case.log(request.user, CaseAction.VIEWED, page="edit")
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        case = services.update_case(form=form, user=self.request.user)
        messages.success(self.request, _("Ärendet är sparat."))
        return HttpResponseRedirect(case.get_absolute_url())

    def form_invalid(self, form):
        # Shown again with the ärende's name and what was typed; nothing was saved or logged.
        self.case.log(self.request.user, CaseAction.VIEWED, page="edit")
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        return super().get_context_data(nav="cases", case=self.case, **kwargs)


class CaseDetailView(CaseMixin, DetailView):
    template_name = "cases/case_detail.html"
    context_object_name = "case"

    def get(self, request, *args, **kwargs):
        self.case.log(request.user, CaseAction.VIEWED)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        case = self.case
        meetings = case.meetings.select_related("convening_organisation", "room").order_by(
            "-starts_at"
        )
        return super().get_context_data(
            nav="cases",
            can_manage=services.can_manage(self.request.user, case),
            can_book=may_book(self.request.user, case),
            meetings=meetings,
            # "Föreslå tider" waiting for a pick (meetings' TimePoll, by its reverse name).
            open_polls=case.time_polls.filter(status="open").order_by("created_at"),
            consents=case.consents.prefetch_related("organisations").select_related("revoked_by"),
            involved=case.involved_organisations.all(),
            **kwargs,
        )


class RevealPersonnummerView(CaseMixin, View):
    """POST only: shows the full number once, and logs that it was shown."""

    def http_method_not_allowed(self, request, *args, **kwargs):
        # 404 before 405: whoever may not open the ärende learns nothing from this URL either.
        get_case_for_user(request.user, self.kwargs["pk"])
        return super().http_method_not_allowed(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        full = ""
        if self.case.personnummer:
            full = services.reveal_personnummer(case=self.case, user=request.user)
        context = {"case": self.case, "full": full, "nav": "cases"}
        return render(request, "cases/personnummer.html", context)


class CaseCloseView(CaseMixin, View):
    def dispatch(self, request, *args, **kwargs):
        self.require_manage()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.case.log(request.user, CaseAction.VIEWED, page="close")
        context = {"case": self.case, "form": CloseCaseForm(), "nav": "cases"}
        return render(request, "cases/case_close.html", context)

    def post(self, request, *args, **kwargs):
        if request.POST.get("reopen"):
            try:
                services.reopen_case(case=self.case, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(self.case.get_absolute_url())
        form = CloseCaseForm(request.POST)
        if not form.is_valid():
            self.case.log(request.user, CaseAction.VIEWED, page="close")
            context = {"case": self.case, "form": form, "nav": "cases"}
            return render(request, "cases/case_close.html", context, status=400)
        try:
            services.close_case(
                case=self.case, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Ärendet är avslutat."))
        return HttpResponseRedirect(self.case.get_absolute_url())


class CaseHistoryView(CaseMixin, ListView):
    """The audit trail of one ärende, for those who answer for it, and "Vem har läst
    ärendet": the reads, by organisation and period."""

    template_name = "cases/case_history.html"
    context_object_name = "events"
    paginate_by = 100

    def dispatch(self, request, *args, **kwargs):
        self.require_manage()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs).render()
        # Logged once the page is built, so the page does not list its own read; a failed
        # write still means no page (the exception replaces the response).
        self.case.log(request.user, CaseAction.VIEWED, page="history")
        return response

    def get_queryset(self):
        return self.case.events.select_related("user", "user__organisation")

    def get_context_data(self, **kwargs):
        form = ReadsFilterForm(self.request.GET, case=self.case)
        if form.is_bound and not form.is_valid():
            messages.warning(
                self.request, _("Filtret kunde inte användas. Rätta datumen och försök igen.")
            )
        return super().get_context_data(
            case=self.case,
            nav="cases",
            reads_form=form,
            readers=reads.readers(self.case, **form.filters()),
            **kwargs,
        )


class ManageMixin(CaseMixin):
    """Pages for those who answer for the ärende (owner, the area's coordinator): 404 for
    whoever may not open it, 403 for the others who may."""

    def dispatch(self, request, *args, **kwargs):
        self.require_manage()
        return super().dispatch(request, *args, **kwargs)


class ShareView(ManageMixin, View):
    """ "Dela med kollega": the grants of the ärende, a form for a new one."""

    def form(self, data=None):
        return ShareForm(data, colleagues=services.colleagues(self.request.user))

    def page(self, form, *, status=200):
        grants = list(
            self.case.access_grants.select_related(
                "user__organisation", "granted_by", "withdrawn_by"
            )
        )
        today = timezone.localdate()
        for grant in grants:
            grant.active = grant.is_active(today)
        # Who the ärende is shared with is part of who has access: a read, logged.
        self.case.log(self.request.user, CaseAction.ACCESS_LIST_VIEWED, page="share")
        context = {
            "case": self.case,
            "form": form,
            "grants": grants,
            "options": form.candidates,
            "nav": "cases",
        }
        return render(self.request, "cases/share.html", context, status=status)

    def get(self, request, *args, **kwargs):
        return self.page(self.form())

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                grant = services.grant_access(
                    case=self.case,
                    user=request.user,
                    colleague=data["colleague"],
                    reason=data["reason"],
                    ends_on=data["ends_on"],
                )
            except ValidationError as error:
                for name, messages_ in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, messages_)
            else:
                messages.success(
                    request, _("Ärendet är delat med %(name)s.") % {"name": grant.user}
                )
                return HttpResponseRedirect(reverse("cases:share", args=[self.case.pk]))
        return self.page(form, status=400)


class ShareSuggestionsView(ManageMixin, View):
    """The colleague field's <datalist> options for what has been typed."""

    def get(self, request, *args, **kwargs):
        text = request.GET.get("colleague", "").replace("\x00", "")
        if len(text) > ShareForm.base_fields["colleague"].max_length:
            return HttpResponseBadRequest(_("Texten är för lång."))
        form = ShareForm(colleagues=services.colleagues(request.user))
        return HttpResponse(form.option_elements(form.suggestions(text) if text.strip() else []))


class WithdrawShareView(ManageMixin, View):
    def post(self, request, *args, **kwargs):
        grant = get_object_or_404(self.case.access_grants, pk=kwargs["grant_pk"])
        if grant.withdrawn_at is None:
            services.withdraw_access(grant=grant, user=request.user)
            messages.success(
                request, _("Delningen med %(name)s är återkallad.") % {"name": grant.user}
            )
        return HttpResponseRedirect(reverse("cases:share", args=[self.case.pk]))


class AccessListView(ManageMixin, View):
    """ "Vem har åtkomst": everyone who may open the ärende now, and why. A read of
    personal data (of staff, and the ärende's name): logged."""

    def get(self, request, *args, **kwargs):
        case = self.case
        refs = case.participations.exclude(meeting_ref=None).values("meeting_ref")
        # The ärende's meetings through its reverse relation: cases does not import meetings.
        meetings = {m.pk: m for m in case.meetings.filter(pk__in=refs)}
        people = services.people_with_access(
            case, meeting_labels={pk: str(m) for pk, m in meetings.items()}
        )
        for access in people:
            for reason in access.reasons:
                meeting = meetings.get(reason.meeting_id)
                reason.url = meeting.get_absolute_url() if meeting else ""
        case.log(request.user, CaseAction.ACCESS_LIST_VIEWED, page="access", users=len(people))
        context = {
            "case": case,
            "people": people,
            "participant_days": settings.CASE_PARTICIPANT_ACCESS_DAYS,
            "nav": "cases",
        }
        return render(request, "cases/access_list.html", context)
