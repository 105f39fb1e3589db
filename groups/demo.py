"""Demo data: Samverk Sävsjö's styrgrupp (LSG) and arbetsgrupp with members of the four
parties, each with one past meeting (minnesanteckningar fastställda, an open uppdrag) and
one coming meeting. Idempotent: an area that has the groups keeps them as they are."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from parties.models import ContactPerson, User

from .enums import GroupKind, MemberRole, TurnoutRule
from .models import Group, GroupMember
from .services.booking import book_meeting
from .services.minutes import add_assignment, freeze_minutes, save_item_field, set_attendance

AGENDA = {
    GroupKind.STEERING: [
        ("Föregående minnesanteckningar", "Ordförande", 10),
        ("Statistik: samverkansmöten per part", "Samverkanskoordinator", 20),
        ("Handlingsplan – uppföljning", "Samverkanskoordinator", 30),
        ("Övrigt", "", 10),
    ],
    GroupKind.WORKING: [
        ("Aktuella ärenden utan namn: mönster och hinder", "Arbetsgruppen", 30),
        ("Planering av samverkansdagen", "Samverkanskoordinator", 30),
        ("Övrigt", "", 10),
    ],
}


def _at(days: int, hour: int):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@transaction.atomic
def build_savsjo_groups(area, coordinator) -> list[Group]:
    if Group.objects.filter(area=area).exists():
        return list(Group.objects.filter(area=area))
    contacts = list(
        ContactPerson.objects.filter(area=area, is_active=True)
        .select_related("organisation", "unit")
        .order_by("organisation__name", "name")
    )
    groups = []
    for kind, size in ((GroupKind.STEERING, 8), (GroupKind.WORKING, 6)):
        group = Group.objects.create(
            area=area,
            kind=kind,
            turnout_rule=TurnoutRule.FRACTION
            if kind == GroupKind.STEERING
            else TurnoutRule.PER_PARTY,
            turnout_percent=50,
            members_confirmed_on=timezone.localdate() - timedelta(days=40),
        )
        GroupMember.objects.create(
            group=group,
            user=coordinator,
            name=coordinator.get_full_name(),
            organisation=coordinator.organisation,
            email=coordinator.email,
            role=MemberRole.CONVENER,
            rotation_order=1,
        )
        fk = User.objects.filter(username="handlaggare-fk").first()
        if fk is not None and kind == GroupKind.WORKING:
            GroupMember.objects.create(
                group=group,
                user=fk,
                name=fk.get_full_name(),
                organisation=fk.organisation,
                email=fk.email,
                rotation_order=2,
            )
        for n, contact in enumerate(contacts[: size - 1], start=3):
            GroupMember.objects.create(
                group=group,
                contact=contact,
                name=contact.name,
                organisation=contact.organisation,
                unit=contact.unit,
                email=contact.email,
                phone=contact.phone,
                role=MemberRole.CHAIR
                if n == 3 and kind == GroupKind.STEERING
                else MemberRole.MEMBER,
                rotation_order=n,
            )
        items = [{"title": t, "presenter": p, "minutes": m} for t, p, m in AGENDA[kind]]
        first = group.members.order_by("rotation_order").first()
        past = book_meeting(
            group=group,
            user=coordinator,
            starts_at=_at(-30, 13),
            ends_at=_at(-30, 15),
            place="Kommunhuset, Sävsjö",
            convener=first,
            items=items,
        )
        set_attendance(past, list(past.attendees.values_list("pk", flat=True))[:-1])
        item = past.items.order_by("position").all()[1]
        save_item_field(
            item=item,
            field="notes",
            seen_version=0,
            value="Genomgång av årets möten per part. Färre förmöten än i fjol.",
        )
        save_item_field(
            item=item,
            field="decisions",
            seen_version=0,
            value="Statistiken redovisas vid årets sista möte.",
        )
        owner = group.members.order_by("rotation_order")[1]
        add_assignment(
            meeting=past,
            item=item,
            what="Ta fram statistik över inställda möten",
            owner=owner,
            due_on=timezone.localdate() + timedelta(days=20),
        )
        freeze_minutes(past, user=coordinator)
        from .services.rotation import suggested_convener

        book_meeting(
            group=group,
            user=coordinator,
            starts_at=_at(21, 13),
            ends_at=_at(21, 15),
            place="Kommunhuset, Sävsjö",
            remote_link="https://video.example.se/samverk-savsjo",
            convener=suggested_convener(group),
            items=items,
        )
        groups.append(group)
    return groups
