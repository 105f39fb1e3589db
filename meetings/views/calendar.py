"""Week calendars: the user's own week and a Samverk area's week."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from cases.reads import log_listed
from parties.models import SamverkArea

from ..services import calendar


class WeekMixin:
    template_name = "meetings/week.html"

    @cached_property
    def week(self) -> calendar.Week:
        week, valid = calendar.week_from_param(self.request.GET.get("vecka"))
        if not valid:
            messages.warning(
                self.request,
                _(
                    "Veckan kunde inte läsas. Ange den som år och vecka, till exempel %(example)s. "
                    "Denna vecka visas i stället."
                )
                % {"example": calendar.Week.current().param},
            )
        return week

    page = ""  # recorded in the audit trail

    def get_context_data(self, **kwargs):
        week = self.week
        context = super().get_context_data(
            nav="calendar",
            week=week,
            this_week=calendar.Week.current(),
            areas=list(SamverkArea.objects.only("name", "slug")),
            **kwargs,
        )
        # Entries name the individual only where the user may open the ärende: those
        # ärenden are the ones read, one row each.
        shown = [
            entry.meeting.case_id
            for column in context["calendar"].columns
            for entry in column.entries
            if entry.can_open
        ]
        log_listed(self.request.user, shown, page=self.page)
        return context


class MyWeekView(WeekMixin, TemplateView):
    """ "Min vecka": meetings the user convened or takes part in as staff."""

    page = "my_week"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Min vecka"),
            calendar=calendar.my_week(self.request.user, self.week),
            **kwargs,
        )


class AreaWeekView(WeekMixin, TemplateView):
    """ "Områdets vecka": every meeting of the area; names only for ärenden the user may open."""

    page = "area_week"

    def dispatch(self, request, *args, **kwargs):
        self.area = get_object_or_404(SamverkArea, slug=kwargs["area_slug"])
        if not request.user.has_perm("parties.view_contact_list"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Områdets vecka: %(area)s") % {"area": self.area.name},
            area=self.area,
            calendar=calendar.area_week(self.request.user, self.area, self.week),
            **kwargs,
        )
