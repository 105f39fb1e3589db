"""What the area's public page shows besides the plan."""

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from groups.models import GroupMember
from parties.models import Organisation


def area_parties(area) -> list[Organisation]:
    """The parties of the area's groups' current members, each with ``named``: the members
    who agreed to be named on the public page (GroupMember.name_public), as (name, group)
    pairs; no one else is named. Before the area has groups: the parties of its units."""
    today = timezone.localdate()
    current = GroupMember.objects.filter(group__area=area).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today)
    )
    parties = Organisation.objects.filter(pk__in=current.values("organisation_id"))
    if not parties.exists():
        parties = Organisation.objects.filter(units__area=area).distinct()
    named = defaultdict(list)
    for member in (
        current.filter(name_public=True)
        .select_related("group")
        .order_by("name", "group__kind", "group__name")
    ):
        named[member.organisation_id].append((member.name, member.group.label))
    parties = list(parties.order_by("name"))
    for party in parties:
        party.named = named.get(party.pk, [])
    return parties
