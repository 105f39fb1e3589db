from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from cases.access import can_create_case, get_case_for_user, may_book
from cases.enums import CaseAction
from cases.reads import log_listed
from cases.services import can_manage
from meetings.services import dashboard
from parties import mfa

from . import registerutdrag


@login_not_required
def admin_login(request):
    """The Django admin's login page: ours (allauth's, with its throttling), not the admin's
    own form beside it. A logged-in user who is not staff is refused rather than sent back to
    the login, which would send them here again."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied
    return HttpResponseRedirect(next_url)


class DashboardView(TemplateView):
    """ "Översikt": roles and contact lists, the user's ärenden and meetings, and what needs
    doing. A fixed number of queries however much data there is."""

    template_name = "dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        now = timezone.now()
        limit = dashboard.LIMIT
        premeetings = list(dashboard.premeetings_without_follow_up(user)[:limit])
        upcoming = dashboard.upcoming_meetings(user, now=now)
        awaiting = dashboard.awaiting_answers(user, now=now)
        dashboard.mark_can_open(user, premeetings, upcoming, awaiting)
        open_cases = dashboard.open_cases(user)
        # Every ärende the page names (its meetings only where the user may open it): one
        # "shown in a list" row each, in one query.
        named = [m.case_id for m in (*premeetings, *upcoming, *awaiting) if m.can_open]
        log_listed(user, [*named, *(case.pk for case in open_cases)], page="dashboard")
        return super().get_context_data(
            nav="dashboard",
            coordinated_areas=list(user.coordinated_areas.all()),
            can_create=can_create_case(user),
            can_book=may_book(user),
            open_cases=open_cases,
            upcoming_meetings=upcoming,
            awaiting_answers=awaiting,
            premeetings_without_follow_up=premeetings,
            follow_up_days=dashboard.FOLLOW_UP_DAYS,
            offer_second_factor=mfa.offer_second_factor(user),
            **kwargs,
        )


class RegisterutdragView(View):
    """ "Registerutdrag" (GDPR art. 15) for the individual: a PDF of everything stored about
    them and who has read their ärende. For those who answer for the ärende (its owner, the
    area's coordinator); 404 for whoever may not open it. The production is logged."""

    def get(self, request, pk):
        case = get_case_for_user(request.user, pk)
        if not can_manage(request.user, case):
            raise PermissionDenied
        today = timezone.localdate()
        pdf = registerutdrag.render_pdf(case, today=today)
        # Logged once built: the extract does not list its own production.
        case.log(request.user, CaseAction.EXTRACT_PRODUCED)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=registerutdrag.filename(case, today)
        )
        patch_cache_control(response, private=True, no_store=True)
        return response
