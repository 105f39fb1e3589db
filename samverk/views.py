from django.utils import timezone
from django.views.generic import TemplateView

from cases.access import can_create_case
from meetings import services_dashboard


class DashboardView(TemplateView):
    """ "Översikt": roles and contact lists, the user's ärenden and meetings, and what needs
    doing. A fixed number of queries however much data there is."""

    template_name = "dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        now = timezone.now()
        limit = services_dashboard.LIMIT
        premeetings = list(services_dashboard.premeetings_without_follow_up(user)[:limit])
        upcoming = services_dashboard.upcoming_meetings(user, now=now)
        awaiting = services_dashboard.awaiting_answers(user, now=now)
        services_dashboard.mark_can_open(user, premeetings, upcoming, awaiting)
        return super().get_context_data(
            nav="dashboard",
            coordinated_areas=list(user.coordinated_areas.all()),
            can_create=can_create_case(user),
            can_book=can_create_case(user) and user.organisation_id is not None,
            open_cases=services_dashboard.open_cases(user),
            upcoming_meetings=upcoming,
            awaiting_answers=awaiting,
            premeetings_without_follow_up=premeetings,
            follow_up_days=services_dashboard.FOLLOW_UP_DAYS,
            **kwargs,
        )
