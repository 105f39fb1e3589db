from datetime import timedelta

import pytest

from plans.services.start import get_or_create_plan
from tests.factories import (
    CaseFactory,
    MeetingFactory,
    UserFactory,
    take_part,
)
from tests.helpers import make_parties

from .helpers import at


@pytest.fixture
def orgs(db):
    return make_parties("kommun", "af", "fk")


@pytest.fixture
def convener(orgs):
    return UserFactory(username="kallande", organisation=orgs["kommun"], is_caseworker=True)


@pytest.fixture
def case(area, convener, orgs):
    case = CaseFactory(area=area, owner=convener, first_name="Alva", last_name="Andersson")
    case.involved_organisations.add(orgs["af"])
    return case


@pytest.fixture
def af_user(orgs, case):
    """A handläggare of another party who took part in one of the ärende's meetings: may
    open it (the organisation alone does not)."""
    user = UserFactory(username="af-handlaggare", organisation=orgs["af"], is_caseworker=True)
    take_part(case, user, days_ago=30)
    return user


@pytest.fixture
def outsider(orgs):
    return UserFactory(username="utomstaende", organisation=orgs["fk"], is_caseworker=True)


@pytest.fixture
def meeting(case, convener):
    starts = at(1)
    return MeetingFactory(
        case=case,
        convened_by=convener,
        convening_organisation=convener.organisation,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )


@pytest.fixture
def plan(meeting):
    return get_or_create_plan(meeting)
