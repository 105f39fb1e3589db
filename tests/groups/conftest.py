"""A styrgrupp of Samverk Sävsjö with eight members of four parties, and its coordinator."""

from datetime import timedelta

import pytest
from django.utils import timezone

from groups.enums import GroupKind, MemberRole, TurnoutRule
from groups.models import Group, GroupMember
from groups.services.booking import book_meeting
from tests.factories import OrganisationFactory, UserFactory

PARTIES = ["Sävsjö kommun", "Region Jönköpings län", "Försäkringskassan", "Arbetsförmedlingen"]
DOMAINS = ["savsjo.se", "rjl.se", "forsakringskassan.se", "arbetsformedlingen.se"]


@pytest.fixture
def parties(db):
    return [
        OrganisationFactory(name=name, email_domains=domain)
        for name, domain in zip(PARTIES, DOMAINS, strict=True)
    ]


@pytest.fixture
def styrgrupp(area, parties):
    group = Group.objects.create(
        area=area, kind=GroupKind.STEERING, turnout_rule=TurnoutRule.FRACTION, turnout_percent=50
    )
    for n in range(8):
        party = parties[n % 4]
        GroupMember.objects.create(
            group=group,
            name=f"Ledamot {n + 1}",
            organisation=party,
            email=f"ledamot{n + 1}@{DOMAINS[n % 4]}",
            role=MemberRole.CHAIR if n == 0 else MemberRole.MEMBER,
            rotation_order=n + 1,
        )
    return group


@pytest.fixture
def member_user(styrgrupp, parties):
    """An account on the roster (the first member)."""
    user = UserFactory(username="ledamot1", organisation=parties[0], is_caseworker=False)
    styrgrupp.members.filter(name="Ledamot 1").update(user=user)
    return user


@pytest.fixture
def book(coordinator):
    def make(group, *, days=10, items=("Ekonomi", "Handlingsplan", "Övrigt"), **kw):
        starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
        return book_meeting(
            group=group,
            user=coordinator,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place=kw.pop("place", "Kommunhuset, Sävsjö"),
            items=[{"title": t} for t in items],
            **kw,
        )

    return make
