"""Who may reach a group and its meetings.

The area's coordinators (and Samverk's administrators) keep the area's groups; a member
of a group (an account on its roster, not yet left) sees that group and its meetings;
everyone else gets 403 (the group is no secret to hide behind 404: the public page names
the groups' parties).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Group, GroupMeeting, GroupMember


def current_members_q(prefix: str = "", *, today=None) -> Q:
    today = today or timezone.localdate()
    return Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": today})


def may_manage(user, group: Group) -> bool:
    if not user.is_authenticated:
        return False
    if getattr(user, "is_samverk_admin", False):
        return True
    return user.coordinated_areas.filter(pk=group.area_id).exists()


def is_member(user, group: Group) -> bool:
    if not user.is_authenticated:
        return False
    return GroupMember.objects.filter(group=group, user=user).filter(current_members_q()).exists()


def may_view(user, group: Group) -> bool:
    return may_manage(user, group) or is_member(user, group)


def visible_groups(user):
    """The groups the user keeps (their areas') or belongs to."""
    if not user.is_authenticated:
        return Group.objects.none()
    groups = Group.objects.select_related("area")
    if getattr(user, "is_samverk_admin", False):
        return groups
    member_of = GroupMember.objects.filter(user=user).filter(current_members_q())
    return groups.filter(
        Q(area__in=user.coordinated_areas.all()) | Q(pk__in=member_of.values("group_id"))
    ).distinct()


def get_group_for_user(user, pk, *, manage: bool = False) -> Group:
    group = get_object_or_404(Group.objects.select_related("area"), pk=pk)
    manages = may_manage(user, group)  # asked once: it is also what the page shows
    if not (manages or (not manage and is_member(user, group))):
        raise PermissionDenied
    group.user_manages = manages
    return group


def get_meeting_for_user(user, pk, *, manage: bool = False) -> GroupMeeting:
    meeting = get_object_or_404(
        GroupMeeting.objects.select_related("group", "group__area", "convener"), pk=pk
    )
    manages = may_manage(user, meeting.group)
    if not (manages or (not manage and is_member(user, meeting.group))):
        raise PermissionDenied
    meeting.user_manages = manages
    return meeting
