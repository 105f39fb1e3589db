"""What the area's public page shows besides the plan."""

from django.apps import apps

from parties.models import Organisation


def area_parties(area) -> list[Organisation]:
    """The parties taking part in the area's groups (only the parties: no member's name is
    published). Before the area has groups: the parties of its units."""
    if apps.is_installed("groups"):
        from groups.models import GroupMember

        member_parties = Organisation.objects.filter(
            pk__in=GroupMember.objects.filter(group__area=area).values("organisation_id")
        )
        if member_parties.exists():
            return list(member_parties.order_by("name"))
    return list(Organisation.objects.filter(units__area=area).distinct().order_by("name"))
