"""Whose turn it is to convene (sammankalla)."""

from ..models import Group, GroupMeeting
from .roster import current_members


def suggested_convener(group: Group, *, before=None):
    """The next member in the rotation order after the convener of the group's last
    meeting (wrapping round); the first in order when there was none or they left.
    None when nobody is in the rotation."""
    order = [m for m in current_members(group) if m.rotation_order is not None]
    order.sort(key=lambda m: (m.rotation_order, m.pk))
    if not order:
        return None
    last = GroupMeeting.objects.filter(group=group, convener__isnull=False)
    if before is not None:
        last = last.filter(starts_at__lt=before)
    last = last.order_by("-starts_at").values_list("convener_id", flat=True).first()
    ids = [m.pk for m in order]
    if last in ids:
        return order[(ids.index(last) + 1) % len(order)]
    return order[0]
