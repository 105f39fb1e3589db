"""Who may read and change an area's handlingsplan (predicates take (user, area)).

The area's coordinators and the administrators keep it. The current members of the area's
groups (an account on a roster, not yet left) read it, the draft included: the styrgrupp
decides the plan and the groups work to it. Everyone may read a fastställd version on the
area's public page (views/public.py), which needs no rule."""

import rules
from django.db.models import Q
from django.utils import timezone

from groups.models import GroupMember
from parties.rules import is_area_coordinator, is_samverk_admin


@rules.predicate
def is_area_group_member(user, area):
    """A current member of one of the area's groups (known from the view's area query when
    it was read there: AreaPlanMixin)."""
    if area is None or not user.is_authenticated:
        return False
    known = getattr(area, "_group_member_of", {})
    if user.pk in known:
        return known[user.pk]
    today = timezone.localdate()
    return (
        GroupMember.objects.filter(group__area=area, user=user)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .exists()
    )


can_edit_area_plan = is_samverk_admin | is_area_coordinator
can_view_area_plan = can_edit_area_plan | is_area_group_member

rules.add_perm("areaplans.view_area_plan", can_view_area_plan)
rules.add_perm("areaplans.edit_area_plan", can_edit_area_plan)
