"""Who may report and handle avvikelser, and who reads the statistics.

Any signed-in staff member (handläggare, coordinator, administrator) reports one; the
area's coordinators (and the administrators) handle the area's avvikelser and read the
compilation; the reporter sees the status of their own reports, nothing else. Someone
else's avvikelse is 403, the same whether it exists or not is not hidden (it names no one).

The statistics of an area (counts, no individual) and its avvikelser's compilation (counts,
and the summary texts the coordinator has published) are for the area's coordinators, the
administrators and the area's styrgrupp: the users on its roster who have not left.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from groups.access import current_members_q
from groups.enums import GroupKind
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


def steering_areas(user):
    """The areas on whose styrgrupp the user sits (a current member with an account)."""
    if not user.is_authenticated:
        return SamverkArea.objects.none()
    return SamverkArea.objects.filter(
        pk__in=SamverkArea.objects.filter(
            current_members_q("groups__members__"),
            groups__kind=GroupKind.STEERING,
            groups__members__user=user,
        ).values("pk")
    )


def statistics_areas(user):
    """The areas whose statistics the user reads: handled ones and their styrgrupp's."""
    if getattr(user, "is_samverk_admin", False):
        return SamverkArea.objects.all()
    if not user.is_authenticated:
        return SamverkArea.objects.none()
    return SamverkArea.objects.filter(
        pk__in=SamverkArea.objects.filter(coordinators=user).values("pk")
    ) | steering_areas(user)


def may_see_statistics(user, area) -> bool:
    return may_handle(user, area) or steering_areas(user).filter(pk=area.pk).exists()


def get_area_for_statistics(user, slug) -> SamverkArea:
    area = get_object_or_404(SamverkArea, slug=slug)
    if not may_see_statistics(user, area):
        raise PermissionDenied
    return area


def menu_area_slug(user) -> str:
    """The area the menu's Uppföljning opens (the first by name of the user's statistics
    areas; the page switches between them), "" for a user who reads none. One query."""
    if not user.is_authenticated:
        return ""
    return statistics_areas(user).order_by("name").values_list("slug", flat=True).first() or ""
