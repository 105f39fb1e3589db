from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from ..models import SamverkArea, User
from ..rules import note_coordinator


class AreaMixin:
    """Loads the area from the URL and checks the reader's or editor's right to it.

    Set ``needs_edit = True`` on views that change the list: those answer 403
    to everyone but the area's coordinators and administrators.
    """

    needs_edit = False

    @cached_property
    def area(self):
        user = self.request.user
        if not user.is_authenticated:
            return get_object_or_404(SamverkArea, slug=self.kwargs["area_slug"])
        # Whether the reader coordinates the area comes with the area: the permission checks
        # below (view, and edit for can_edit) then need no query of their own.
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

    def dispatch(self, request, *args, **kwargs):
        perm = "parties.edit_contact_list" if self.needs_edit else "parties.view_contact_list"
        if not request.user.has_perm(perm, self.area):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def can_edit(self):
        return self.request.user.has_perm("parties.edit_contact_list", self.area)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            area=self.area, can_edit=self.can_edit, nav="contacts", **kwargs
        )
