from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from parties.forms.contacts import units_for_area
from parties.models import SamverkArea

from ..services.public import area_parties
from ..services.versions import current_version


@method_decorator(login_not_required, name="dispatch")
class PublicAreaView(TemplateView):
    """The area's page for everyone, no login (what the kommun's website carried by hand):
    the current fastställd handlingsplan, the parties of its groups and each unit's
    "vägen in". Nothing of any individual; a group member's name only when they agreed."""

    template_name = "areaplans/public.html"

    def get_context_data(self, **kwargs):
        area = get_object_or_404(SamverkArea, slug=kwargs["area_slug"])
        version = current_version(area)
        units = [
            unit
            for unit in units_for_area(area).order_by("organisation__name", "name")
            if unit.way_in or unit.phone or unit.email
        ]
        # A reader of the plans (its keepers, its groups' members) finds the drafts from here.
        user = self.request.user
        reads_plans = user.is_authenticated and user.has_perm("areaplans.view_area_plan", area)
        return super().get_context_data(
            area=area,
            reads_plans=reads_plans,
            version=version,
            snapshot=version.snapshot if version else None,
            units=units,
            parties=area_parties(area),
            **kwargs,
        )
