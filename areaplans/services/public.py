"""What the area's public page shows besides the plan."""

from django.db.models import Q
from django.utils import timezone

from groups.models import GroupMember
from parties.models import Organisation


def area_parties(area) -> list[Organisation]:
    """The parties of the area's groups' current members. Only the parties: the roster has
    no member's consent to be named in public, so no name is published. Before the area has
    groups: the parties of its units."""
    today = timezone.localdate()
    current = GroupMember.objects.filter(group__area=area).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today)
    )
    parties = Organisation.objects.filter(pk__in=current.values("organisation_id"))
    if not parties.exists():
        parties = Organisation.objects.filter(units__area=area).distinct()
    return list(parties.order_by("name"))
