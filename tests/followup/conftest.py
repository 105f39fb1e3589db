import pytest

from tests.factories import CaseFactory, OrganisationFactory, UserFactory


@pytest.fixture
def parties(db):
    return [
        OrganisationFactory(name="Sävsjö kommun"),
        OrganisationFactory(name="Försäkringskassan"),
        OrganisationFactory(name="Region Jönköpings län"),
    ]


@pytest.fixture
def coordinator(db, area):
    return UserFactory(
        username="koordinator",
        is_caseworker=False,
        coordinated_areas=[area],
        email="koordinator@savsjo.se",
    )


@pytest.fixture
def other_coordinator(db, other_area):
    return UserFactory(
        username="annan-koordinator", is_caseworker=False, coordinated_areas=[other_area]
    )


@pytest.fixture
def no_role(db):
    return UserFactory(username="ingen-roll", is_caseworker=False)


@pytest.fixture
def case(area, caseworker):
    return CaseFactory(area=area, owner=caseworker, first_name="Alva", last_name="Enskildsson")


@pytest.fixture
def steering_member(db, area, parties):
    """A user on the area's styrgrupp (not a coordinator, not a handläggare)."""
    from groups.enums import GroupKind
    from groups.models import Group, GroupMember

    user = UserFactory(username="ledamot", is_caseworker=False, email="ledamot@region.se")
    group = Group.objects.create(area=area, kind=GroupKind.STEERING)
    GroupMember.objects.create(group=group, user=user, name="Ledamot", organisation=parties[2])
    return user
