from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.enums import ParticipantKind
from meetings.services.booking import Booking, ParticipantSpec
from tests.factories import (
    CaseFactory,
    ConsentFactory,
    MeetingFactory,
    UserFactory,
)
from tests.helpers import make_parties


@pytest.fixture
def orgs(db):
    return make_parties()


@pytest.fixture
def convener(orgs):
    return UserFactory(username="kallande", organisation=orgs["kommun"], is_caseworker=True)


@pytest.fixture
def case(area, convener):
    return CaseFactory(area=area, owner=convener, first_name="Alva", last_name="Andersson")


def in_days(days, hour=10):
    day = timezone.localdate() + timedelta(days=days)
    start = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour, 0))
    return start, start + timedelta(hours=1)


def party(org, name=None):
    return ParticipantSpec(
        kind=ParticipantKind.STAFF,
        organisation=org,
        name=name or f"Handläggare {org.name}",
        email="x@example.se",
    )


def individual(case):
    return ParticipantSpec(kind=ParticipantKind.INDIVIDUAL, name=case.individual_name)


@pytest.fixture
def make_booking(case, convener, orgs):
    def make(kind="samverkansmote", days=30, participants=None, organisation=None, **extra):
        starts_at, ends_at = in_days(days)
        return Booking(
            case=case,
            kind=kind,
            starts_at=extra.pop("starts_at", starts_at),
            ends_at=extra.pop("ends_at", ends_at),
            convening_organisation=organisation or convener.organisation,
            convened_by=convener,
            purpose="Planera vägen till arbete",
            questions="Vilka insatser behövs från varje part?",
            location=extra.pop("location", "Kommunhuset, rum 3"),
            participants=participants
            if participants is not None
            else [party(orgs["af"]), individual(case)],
            **extra,
        )

    return make


@pytest.fixture
def full_consent(case, orgs):
    return ConsentFactory(
        case=case,
        organisations=list(orgs.values()),
        covers_premeeting=True,
        given_on=timezone.localdate() - timedelta(days=1),
    )


@pytest.fixture
def meeting(case, convener, orgs):
    """A meeting of the ärende convened by the convener, with two parties involved (test
    modules with other needs define their own)."""
    meeting = MeetingFactory(
        case=case, convened_by=convener, convening_organisation=convener.organisation
    )
    case.involved_organisations.add(orgs["af"], orgs["kommun"])
    return meeting
