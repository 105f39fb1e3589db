from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from parties.models import SamverkArea, User
from parties.rules import note_coordinator

from ..models import AreaPlan


class AreaPlanMixin:
    """The area from the URL (and the plan of the URL's year): 403 to anyone who does not
    keep the area's plan (its coordinators, administrators)."""

    @cached_property
    def area(self):
        user = self.request.user
        coordinates = Exists(
            User.coordinated_areas.through.objects.filter(
                samverkarea_id=OuterRef("pk"), user_id=user.pk
            )
        )
        area = get_object_or_404(
            SamverkArea.objects.annotate(reader_coordinates=coordinates),
            slug=self.kwargs["area_slug"],
        )
        note_coordinator(area, user, area.reader_coordinates)
        return area

    @cached_property
    def plan(self):
        return get_object_or_404(AreaPlan, area=self.area, year=self.kwargs["year"])

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("areaplans.edit_area_plan", self.area):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = {"area": self.area, "nav": "areaplans"}
        if "year" in self.kwargs:
            context["plan"] = self.plan
        return super().get_context_data(**context, **kwargs)
