"""Who may report and handle avvikelser.

Any signed-in staff member (handläggare, coordinator, administrator) reports one; the
area's coordinators (and the administrators) handle the area's avvikelser and read the
compilation; the reporter sees the status of their own reports, nothing else. Someone
else's avvikelse is 403, the same whether it exists or not is not hidden (it names no one).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from parties.models import SamverkArea
from parties.rules import has_staff_role

from .models import Deviation


def may_report(user) -> bool:
    return bool(has_staff_role(user))


def may_handle(user, area) -> bool:
    if not user.is_authenticated:
        return False
    if getattr(user, "is_samverk_admin", False):
        return True
    return user.coordinated_areas.filter(pk=area.pk).exists()


def handled_areas(user):
    """The areas whose avvikelser the user handles."""
    if getattr(user, "is_samverk_admin", False):
        return SamverkArea.objects.all()
    return user.coordinated_areas.all()


def get_area_for_handler(user, slug) -> SamverkArea:
    area = get_object_or_404(SamverkArea, slug=slug)
    if not may_handle(user, area):
        raise PermissionDenied
    return area


def get_deviation_for_handler(user, pk) -> Deviation:
    deviation = get_object_or_404(Deviation.objects.select_related("area"), pk=pk)
    if not may_handle(user, deviation.area):
        raise PermissionDenied
    return deviation


def may_see_all_areas(user) -> bool:
    """All Höglandet's statistics (for the samordningsförbund): administrators and every
    area's coordinator; counts only, no individual."""
    if not user.is_authenticated:
        return False
    return bool(getattr(user, "is_samverk_admin", False)) or user.coordinated_areas.exists()
