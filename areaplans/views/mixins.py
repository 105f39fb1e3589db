from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from groups.access import current_members_q
from groups.models import GroupMember
from parties.models import SamverkArea, User
from parties.rules import note_coordinator

from ..models import AreaPlan


class AreaPlanMixin:
    """The area from the URL (and the plan of the URL's year): 403 to anyone who does not
    keep the area's plan (its coordinators, administrators). A view with ``members_read``
    also answers a GET of the current members of the area's groups (read only)."""

    members_read = False

    @cached_property
    def area(self):
        user = self.request.user
        coordinates = Exists(
            User.coordinated_areas.through.objects.filter(
                samverkarea_id=OuterRef("pk"), user_id=user.pk
            )
        )
        member = Exists(
            GroupMember.objects.filter(
                current_members_q(), group__area=OuterRef("pk"), user_id=user.pk
            )
        )
        area = get_object_or_404(
            SamverkArea.objects.annotate(reader_coordinates=coordinates, reader_member=member),
            slug=self.kwargs["area_slug"],
        )
        note_coordinator(area, user, area.reader_coordinates)
        # For areaplans.rules.is_area_group_member: known from this query, for this request.
        area._group_member_of = {user.pk: area.reader_member}
        return area

    @cached_property
    def can_edit(self) -> bool:
        return self.request.user.has_perm("areaplans.edit_area_plan", self.area)

    @cached_property
    def plan(self):
        return get_object_or_404(AreaPlan, area=self.area, year=self.kwargs["year"])

    def dispatch(self, request, *args, **kwargs):
        reads = self.members_read and request.method in ("GET", "HEAD")
        if not (
            self.can_edit
            or (reads and request.user.has_perm("areaplans.view_area_plan", self.area))
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = {"area": self.area, "nav": "areaplans", "can_edit": self.can_edit}
        if "year" in self.kwargs:
            context["plan"] = self.plan
        return super().get_context_data(**context, **kwargs)
