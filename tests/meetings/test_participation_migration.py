"""The data migration meetings 0007 fills cases.CaseParticipation from the meetings there
are: today's participants keep their access as participants; nobody gains access."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from cases.models import Case, CaseParticipation
from meetings.services.participation import participation
from parties.models import User
from tests.factories import (
    CaseFactory,
    ContactPersonFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

migration = importlib.import_module("meetings.migrations.0007_fill_case_participation")


def old_rule(user, case) -> bool:
    """Case.is_visible_to before issue 13: by organisation, and administrators saw all."""
    return (
        user.is_samverk_admin
        or case.owner_id == user.pk
        or case.involved_organisations.filter(pk=user.organisation_id).exists()
        or user.coordinated_areas.filter(pk=case.area_id).exists()
    )


@pytest.fixture
def old_world(db, area):
    kommun = OrganisationFactory(name="Sävsjö kommun")
    fk = OrganisationFactory(name="Försäkringskassan")
    af = OrganisationFactory(name="Arbetsförmedlingen")
    owner = UserFactory(username="agare", organisation=kommun)
    people = {
        "staff": UserFactory(username="fk-hl", organisation=fk),
        "contact_with_account": UserFactory(
            username="af-kontakt", organisation=af, email="kontakt@af.example"
        ),
        "removed": UserFactory(username="fk-bort", organisation=fk),
        # An outside participant whose address happens to be a user's of a party the
        # ärende never involved: could not open it before, so not now either.
        "unrelated_by_address": UserFactory(
            username="annan",
            organisation=OrganisationFactory(name="Eksjö kommun"),
            email="extern@example.se",
        ),
        "convener_colleague": UserFactory(username="kommun-kallar", organisation=kommun),
    }
    case = CaseFactory(area=area, owner=owner)
    case.involved_organisations.add(kommun, fk, af)
    meeting = MeetingFactory(case=case, convened_by=people["convener_colleague"])
    ParticipantFactory(meeting=meeting, kind="staff", user=people["staff"], organisation=fk)
    ParticipantFactory(
        meeting=meeting,
        kind="staff",
        user=people["removed"],
        organisation=fk,
        removed_at=timezone.now(),
    )
    contact = ContactPersonFactory(area=area, organisation=af, email="Kontakt@af.example")
    ParticipantFactory(
        meeting=meeting,
        kind="contact",
        contact_person=contact,
        organisation=af,
        email=contact.email,
    )
    ParticipantFactory(meeting=meeting, kind="external", email="extern@example.se")
    # The state before the migration: no participation rows.
    CaseParticipation.objects.all().delete()
    return {"case": case, "people": people, "owner": owner}


def test_participants_keep_access_and_nobody_gains(old_world):
    case = old_world["case"]
    before = {u.pk: old_rule(u, case) for u in User.objects.all()}
    migration.fill(apps, None)
    after = {u.pk: case.is_visible_to(u) for u in User.objects.all()}
    assert not [pk for pk, opens in after.items() if opens and not before[pk]]
    people = old_world["people"]
    for name in ("staff", "contact_with_account", "convener_colleague"):
        assert after[people[name].pk], name
    for name in ("removed", "unrelated_by_address"):
        assert not after[people[name].pk], name


def test_the_migration_gives_the_rows_of_the_service_where_that_opens_nothing_new(old_world):
    case = old_world["case"]
    migration.fill(apps, None)
    filled = {
        row.user_id: (row.until, row.meeting_ref)
        for row in CaseParticipation.objects.filter(case=case)
    }
    computed = participation(Case.objects.get(pk=case.pk))
    # The service also resolves the outside address; the migration leaves that one out.
    unrelated = old_world["people"]["unrelated_by_address"].pk
    assert filled == {pk: v for pk, v in computed.items() if pk != unrelated}


def test_the_migration_can_be_reversed(old_world):
    migration.fill(apps, None)
    assert CaseParticipation.objects.exists()
    migration.empty(apps, None)
    assert not CaseParticipation.objects.exists()
