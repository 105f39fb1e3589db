"""cases.CaseParticipation, what the access rule reads, follows every write path that
changes who takes part in an ärende's meetings or when: after each, the table is what a
fresh recomputation from the meetings gives, and the change it should make is made."""

from datetime import UTC, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from cases.models import Case, CaseParticipation
from meetings.enums import Answer, ParticipantKind
from meetings.models import Participant
from meetings.services import booking, invitations, run
from meetings.services.booking import ParticipantSpec
from meetings.services.participation import participation, rebuild_participation
from tests.factories import ContactPersonFactory, UserFactory

from .conftest import in_days, individual

ACCESS = timedelta(days=settings.CASE_PARTICIPANT_ACCESS_DAYS)


def plus_access(moment):
    """``moment`` + the access days as elapsed time (in UTC, as the database stores it:
    local wall-clock arithmetic would shift by an hour across a DST change)."""
    return moment.astimezone(UTC) + ACCESS


def table(case):
    return {
        row.user_id: (row.until, row.meeting_ref)
        for row in CaseParticipation.objects.filter(case=case)
    }


def book(b):
    """Book, accepting whatever guidelines the booking breaks (not what is tested here)."""
    try:
        return booking.book_meeting(b)
    except booking.NeedsConfirmation as needs:
        return booking.book_meeting(b, accepted={w.code for w in needs.warnings})


def assert_in_sync(case):
    assert table(case) == participation(case)


@pytest.fixture
def fk_user(orgs):
    return UserFactory(username="fk-hl", organisation=orgs["fk"], email="fk-hl@fk.example")


@pytest.fixture
def af_user(orgs):
    return UserFactory(username="af-hl", organisation=orgs["af"], email="af-hl@af.example")


def test_every_write_path_keeps_the_table(case, convener, orgs, fk_user, af_user, make_booking):
    # Booking: the convener and a staff participant.
    spec = ParticipantSpec(
        kind=ParticipantKind.STAFF, user=fk_user, organisation=orgs["fk"], name=str(fk_user)
    )
    meeting = book(make_booking(participants=[spec, individual(case)]))
    assert_in_sync(case)
    assert set(table(case)) == {convener.pk, fk_user.pk}
    assert table(case)[fk_user.pk] == (plus_access(meeting.ends_at), meeting.pk)

    # Reschedule: a later end, a later access end.
    starts_at, ends_at = in_days(40)
    booking.reschedule_meeting(
        meeting=meeting, user=convener, starts_at=starts_at, ends_at=ends_at, location="Rum 2"
    )
    assert_in_sync(case)
    assert table(case)[fk_user.pk][0] == plus_access(ends_at)

    # Add a contact person with an account (resolved by e-mail, any case).
    contact = ContactPersonFactory(
        area=case.area, organisation=orgs["af"], email="AF-HL@af.example"
    )
    added = invitations.add_participant(
        meeting=meeting,
        user=convener,
        participant=Participant(
            kind=ParticipantKind.CONTACT,
            contact_person=contact,
            organisation=orgs["af"],
            name=contact.name,
            email=contact.email,
        ),
    )
    assert_in_sync(case)
    assert af_user.pk in table(case)

    # Remove them again.
    invitations.remove_participant(participant=added, user=convener)
    assert_in_sync(case)
    assert af_user.pk not in table(case)

    # A substitute with an account, through the answer link.
    fk_contact = Participant.objects.create(
        meeting=meeting,
        kind=ParticipantKind.CONTACT,
        organisation=orgs["fk"],
        name="FK kontakt",
        email="kontakt@fk.example",
    )
    substitute = UserFactory(username="fk-ersattare", organisation=orgs["fk"])
    invitations.record_answer(
        participant=fk_contact,
        answer=Answer.SUBSTITUTE,
        substitute_name=str(substitute),
        substitute_email=substitute.email,
    )
    assert_in_sync(case)
    assert substitute.pk in table(case)

    # A contact person names the handläggare who comes: access goes with the address.
    named = UserFactory(username="af-namngiven", organisation=orgs["af"])
    link = Participant.objects.create(
        meeting=meeting,
        kind=ParticipantKind.CONTACT,
        organisation=orgs["af"],
        name="AF Samverk",
        email="samverk@af.example",
    )
    invitations.name_caseworker(participant=link, name=str(named), email=named.email)
    assert_in_sync(case)
    assert named.pk in table(case)

    # A walk-in on the run page (no account: nothing to open, the table still agrees).
    run.add_walk_in(meeting=meeting, user=convener, name="Cecilia Stöd", organisation_name="X")
    assert_in_sync(case)

    # Cancel: a cancelled meeting opens nothing.
    booking.cancel_meeting(meeting=meeting, user=convener, reason="Sjukdom")
    assert_in_sync(case)
    assert table(case) == {}


def test_the_latest_meeting_sets_the_end(case, convener, fk_user, orgs, make_booking):
    spec = ParticipantSpec(
        kind=ParticipantKind.STAFF, user=fk_user, organisation=orgs["fk"], name=str(fk_user)
    )
    first = book(make_booking(days=30, participants=[spec, individual(case)]))
    second = book(make_booking(days=60, participants=[spec, individual(case)]))
    assert table(case)[fk_user.pk] == (plus_access(second.ends_at), second.pk)
    booking.cancel_meeting(meeting=second, user=convener, reason="Ny tid behövs inte")
    assert table(case)[fk_user.pk] == (plus_access(first.ends_at), first.pk)


def test_an_inactive_user_or_an_address_two_users_have_opens_nothing(case, convener, orgs):
    from tests.factories import MeetingFactory, ParticipantFactory

    gone = UserFactory(username="slutat", organisation=orgs["af"], email="slutat@af.example")
    gone.is_active = False
    gone.save()
    UserFactory(username="tva-1", organisation=orgs["af"], email="tva@af.example")
    UserFactory(username="tva-2", organisation=orgs["fk"], email="TVA@af.example")
    meeting = MeetingFactory(case=case)
    for email in ("slutat@af.example", "tva@af.example"):
        ParticipantFactory(meeting=meeting, kind=ParticipantKind.CONTACT, email=email)
    assert set(table(case)) == {convener.pk}


def test_the_individual_and_their_support_open_nothing_even_with_an_account(case, convener):
    from tests.factories import MeetingFactory, ParticipantFactory

    staff_member = UserFactory(username="anstalld", email="alva@example.se")
    meeting = MeetingFactory(case=case)
    for kind in (ParticipantKind.INDIVIDUAL, ParticipantKind.SUPPORT_PERSON):
        ParticipantFactory(meeting=meeting, kind=kind, email=staff_member.email)
    assert set(table(case)) == {convener.pk}
    assert not case.is_visible_to(staff_member)


def test_rebuild_gives_what_the_write_paths_gave(case, fk_user, orgs, make_booking):
    spec = ParticipantSpec(
        kind=ParticipantKind.STAFF, user=fk_user, organisation=orgs["fk"], name=str(fk_user)
    )
    book(make_booking(participants=[spec, individual(case)]))
    before = {c.pk: table(c) for c in Case.objects.all()}
    CaseParticipation.objects.all().delete()
    assert rebuild_participation() == sum(len(rows) for rows in before.values())
    assert {c.pk: table(c) for c in Case.objects.all()} == before


def test_the_meeting_admin_syncs(admin_client, case, convener, fk_user):
    """The Django admin's meeting form (times, participants inline) is a write path too."""
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(case=case)
    old_until = table(case)[convener.pk][0]
    data = {
        "case": case.pk,
        "kind": meeting.kind,
        "status": meeting.status,
        "starts_at_0": (timezone.localtime(meeting.starts_at) + timedelta(days=5)).strftime(
            "%Y-%m-%d"
        ),
        "starts_at_1": timezone.localtime(meeting.starts_at).strftime("%H:%M:%S"),
        "ends_at_0": (timezone.localtime(meeting.ends_at) + timedelta(days=5)).strftime("%Y-%m-%d"),
        "ends_at_1": timezone.localtime(meeting.ends_at).strftime("%H:%M:%S"),
        "location": meeting.location,
        "purpose": meeting.purpose,
        "questions": meeting.questions,
        "convening_organisation": meeting.convening_organisation_id,
        "convened_by": convener.pk,
        "accepted_warnings": "[]",
        "agenda_done": "[]",
        "sequence": 0,
        "participants-TOTAL_FORMS": 1,
        "participants-INITIAL_FORMS": 0,
        "participants-0-kind": ParticipantKind.STAFF,
        "participants-0-user": fk_user.pk,
        "participants-0-name": str(fk_user),
        "participants-0-answer": Answer.NONE,
        "participants-0-attendance": "unknown",
        "participants-0-added_at_0": timezone.localdate().isoformat(),
        "participants-0-added_at_1": "10:00:00",
    }
    response = admin_client.post(f"/admin/meetings/meeting/{meeting.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert_in_sync(case)
    assert table(case)[convener.pk][0] == old_until + timedelta(days=5)
    assert fk_user.pk in table(case)
