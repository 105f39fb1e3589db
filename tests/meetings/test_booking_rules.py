"""Each meeting rule from the seeds, one test (or a few) per rule function."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.enums import MeetingKind
from meetings.models import Meeting
from meetings.services import booking as booking_rules
from tests.factories import (
    ContactPersonFactory,
    MeetingFactory,
    ParticipantFactory,
    RoomFactory,
    UserFactory,
)

from .conftest import in_days, individual, party

# --- hard rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("org_key", "allowed"),
    [("kommun", True), ("vc", True), ("psyk", True), ("af", False), ("fk", False)],
)
def test_sip_is_convened_only_by_kommun_or_region(orgs, org_key, allowed):
    assert booking_rules.may_convene(MeetingKind.SIP, orgs[org_key]) is allowed


@pytest.mark.parametrize("org_key", ["af", "fk", "kommun"])
def test_any_party_convenes_a_samverkansmote(orgs, org_key):
    assert booking_rules.may_convene(MeetingKind.COLLABORATION, orgs[org_key])


def test_sip_by_arbetsformedlingen_is_refused_with_swedish_message(make_booking, orgs):
    booking = make_booking(kind=MeetingKind.SIP, organisation=orgs["af"])
    with pytest.raises(
        ValidationError, match="En SIP kan bara kallas till av kommunen eller regionen"
    ):
        booking_rules.check_may_convene(booking)


def test_forsakringskassan_cannot_be_invited_to_a_premeeting(make_booking, orgs):
    booking = make_booking(kind=MeetingKind.PREMEETING, participants=[party(orgs["fk"])])
    with pytest.raises(ValidationError, match="Försäkringskassan kan inte delta i ett förmöte"):
        booking_rules.check_no_fk_at_premeeting(booking)


def test_forsakringskassan_may_join_a_samverkansmote(make_booking, orgs, case):
    booking = make_booking(participants=[party(orgs["fk"]), individual(case)])
    booking_rules.check_no_fk_at_premeeting(booking)


def test_the_individual_is_not_a_participant_of_a_premeeting(make_booking, orgs, case):
    booking = make_booking(
        kind=MeetingKind.PREMEETING, participants=[party(orgs["af"]), individual(case)]
    )
    with pytest.raises(ValidationError, match="Den enskilde deltar inte i ett förmöte"):
        booking_rules.check_individual_not_at_premeeting(booking)


def test_premeeting_needs_consent_covering_a_premeeting(make_booking, orgs, case):
    from tests.factories import ConsentFactory

    booking = make_booking(kind=MeetingKind.PREMEETING, participants=[party(orgs["af"])])
    with pytest.raises(ValidationError, match="Ett förmöte kräver den enskildes samtycke"):
        booking_rules.check_premeeting_consent(booking)
    # Consent to information sharing, but not to a meeting without them: still refused.
    ConsentFactory(case=case, organisations=[orgs["af"]], covers_premeeting=False)
    with pytest.raises(ValidationError):
        booking_rules.check_premeeting_consent(booking)
    ConsentFactory(case=case, organisations=[orgs["af"]], covers_premeeting=True)
    booking_rules.check_premeeting_consent(booking)


def test_meeting_must_end_after_it_starts(db):
    start, _ = in_days(30)
    with pytest.raises(ValidationError, match="Mötet måste sluta efter att det börjar"):
        booking_rules.check_times(start, start)


def test_meeting_cannot_be_booked_in_the_past(db):
    start = timezone.now() - timedelta(hours=2)
    with pytest.raises(ValidationError, match="bakåt i tiden"):
        booking_rules.check_times(start, start + timedelta(hours=1))


def test_samverkansmote_needs_two_parties(make_booking, orgs, case):
    alone = make_booking(participants=[individual(case), party(orgs["kommun"], "Kollega")])
    with pytest.raises(ValidationError, match="minst två parter"):
        booking_rules.check_two_parties(alone)
    booking_rules.check_two_parties(
        make_booking(participants=[individual(case), party(orgs["af"])])
    )


def test_an_outside_organisation_counts_as_a_party(make_booking, case):
    from meetings.services.booking import ParticipantSpec

    outside = ParticipantSpec(
        kind="external", name="Ola", organisation_name="Studieförbundet", email="o@x.se"
    )
    booking_rules.check_two_parties(make_booking(participants=[individual(case), outside]))


def test_a_room_cannot_hold_two_overlapping_meetings(area, case):
    room = RoomFactory(area=area)
    existing = MeetingFactory(case=case, room=room)
    with pytest.raises(ValidationError, match="redan bokat"):
        booking_rules.check_room_free(
            room, existing.starts_at + timedelta(minutes=30), existing.ends_at + timedelta(hours=1)
        )
    # Back to back is fine, and a cancelled meeting frees the room.
    booking_rules.check_room_free(room, existing.ends_at, existing.ends_at + timedelta(hours=1))
    existing.status = "cancelled"
    existing.save()
    booking_rules.check_room_free(room, existing.starts_at, existing.ends_at)


def test_a_meeting_needs_a_place_or_a_link(make_booking):
    with pytest.raises(ValidationError, match="Ange rum, plats"):
        booking_rules.check_has_place(make_booking(location=""))
    booking_rules.check_has_place(
        make_booking(location="", remote_link="https://video.example/abc")
    )


def test_premeeting_link_must_be_a_premeeting_of_the_same_case(make_booking, case):
    other = MeetingFactory(kind=MeetingKind.PREMEETING)
    with pytest.raises(ValidationError, match="hör inte till det här ärendet"):
        booking_rules.check_premeeting_link(make_booking(premeeting=other))
    not_pre = MeetingFactory(case=case, kind=MeetingKind.COLLABORATION)
    with pytest.raises(ValidationError):
        booking_rules.check_premeeting_link(make_booking(premeeting=not_pre))


def test_refused_booking_saves_nothing(make_booking, orgs):
    booking = make_booking(kind=MeetingKind.SIP, organisation=orgs["af"])
    with pytest.raises(ValidationError):
        booking_rules.book_meeting(booking, accepted={"*"})
    assert Meeting.objects.count() == 0


def test_closed_case_cannot_be_booked(make_booking, case, full_consent):
    case.status, case.closed_on = "closed", timezone.localdate()
    case.save()
    errors = booking_rules.hard_rule_errors(make_booking())
    assert any("avslutat" in " ".join(e.messages) for e in errors)


# --- guidelines ---------------------------------------------------------------


def test_short_notice_warns_under_three_weeks(db):
    start, _ = in_days(10)
    assert [w.code for w in booking_rules.warn_short_notice(start)] == ["short_notice"]
    start, _ = in_days(21)
    assert booking_rules.warn_short_notice(start) == []


@pytest.mark.parametrize(
    ("minutes", "warned"), [(60, False), (45, False), (75, False), (30, True), (120, True)]
)
def test_length_other_than_about_an_hour_warns(db, minutes, warned):
    start, _ = in_days(30)
    assert (
        bool(booking_rules.warn_unusual_length(start, start + timedelta(minutes=minutes))) is warned
    )


def test_individual_outside_the_areas_target_age_warns(case):
    start, _ = in_days(30)
    case.personnummer = "198112289874"  # about 45 years old
    assert booking_rules.warn_age_outside_target(case, start) == []
    case.area.target_age_max = 40
    warnings = booking_rules.warn_age_outside_target(case, start)
    assert warnings and "Målgruppen" in warnings[0].message
    case.personnummer = ""
    assert booking_rules.warn_age_outside_target(case, start) == []


def test_participant_already_booked_at_an_overlapping_time_warns(case, orgs):
    colleague = UserFactory(organisation=orgs["af"])
    contact = ContactPersonFactory(area=case.area, organisation=orgs["vc"], name="Vera Vård")
    busy = MeetingFactory(case=case)
    ParticipantFactory(meeting=busy, kind="staff", user=colleague, name=str(colleague))
    ParticipantFactory(meeting=busy, kind="contact", contact_person=contact, name=contact.name)
    from meetings.services.booking import ParticipantSpec

    specs = [
        ParticipantSpec(kind="staff", user=colleague, organisation=orgs["af"], name=str(colleague)),
        ParticipantSpec(
            kind="contact", contact_person=contact, organisation=orgs["vc"], name=contact.name
        ),
    ]
    warnings = booking_rules.warn_double_booked(
        specs, busy.starts_at + timedelta(minutes=15), busy.ends_at
    )
    assert (
        len(warnings) == 1
        and "Vera Vård" in warnings[0].message
        and str(colleague) in warnings[0].message
    )
    assert (
        booking_rules.warn_double_booked(specs, busy.ends_at, busy.ends_at + timedelta(hours=1))
        == []
    )
    assert booking_rules.warn_double_booked(specs, busy.starts_at, busy.ends_at, exclude=busy) == []


def test_parties_without_consent_warn(make_booking, case, orgs):
    from tests.factories import ConsentFactory

    booking = make_booking(participants=[party(orgs["af"]), party(orgs["vc"]), individual(case)])
    codes = [w.code for w in booking_rules.warn_parties_without_consent(booking)]
    assert len(codes) == 1 and codes[0].startswith("consent:")
    ConsentFactory(case=case, organisations=[orgs["af"], orgs["vc"], orgs["kommun"]])
    assert booking_rules.warn_parties_without_consent(booking) == []


def test_unaccepted_warnings_stop_the_booking_until_accepted(make_booking, full_consent):
    booking = make_booking(days=10)
    with pytest.raises(booking_rules.NeedsConfirmation) as pending:
        booking_rules.book_meeting(booking)
    assert Meeting.objects.count() == 0
    codes = {w.code for w in pending.value.warnings}
    meeting = booking_rules.book_meeting(booking, accepted=codes)
    assert meeting.accepted_warnings == sorted(codes)


def test_booking_records_participants_involves_parties_and_logs(
    make_booking, case, orgs, full_consent
):
    meeting = booking_rules.book_meeting(
        make_booking(participants=[party(orgs["af"]), individual(case)])
    )
    assert meeting.participants.count() == 2
    assert set(case.involved_organisations.all()) >= {orgs["af"], orgs["kommun"]}
    assert case.events.filter(action="meeting.booked").exists()
