"""Calendar invitations: REQUEST, updates by SEQUENCE, CANCEL, local times across DST,
and nothing in the file that identifies the individual."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from common.links import absolute
from meetings.services import ical
from meetings.services.booking import cancel_meeting
from meetings.services.ical import (
    calendar_uid,
    cancellation_ics,
    ics_content_type,
    invitation_ics,
    stockholm_vtimezone,
)
from tests.factories import MeetingFactory, ParticipantFactory, RoomFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = ZoneInfo("UTC")


def local(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


@pytest.fixture
def meeting(case, convener, orgs, area):
    convener.first_name, convener.last_name = "Karin", "Kallesson"
    convener.email = "karin.kallesson@savsjo.se"
    convener.save()
    return MeetingFactory(
        case=case,
        kind="sip",
        convened_by=convener,
        convening_organisation=orgs["kommun"],
        starts_at=local(2026, 12, 14, 10),
        ends_at=local(2026, 12, 14, 11, 30),
        room=RoomFactory(area=area, name="Rum Ljuset", address="Storgatan 1"),
        location="",
        purpose="Planera vägen till arbete för Alva Andersson.",
        questions="Vilka insatser behövs?",
    )


@pytest.fixture
def erik(meeting, orgs):
    return ParticipantFactory(
        meeting=meeting,
        kind="staff",
        name="Erik Arbetsson",
        organisation=orgs["af"],
        email="erik.arbetsson@arbetsformedlingen.se",
    )


def parse(data: bytes):
    cal = Calendar.from_ical(data)
    (event,) = cal.walk("VEVENT")
    return cal, event


def test_a_request_has_what_outlook_and_google_need(meeting, erik):
    data = invitation_ics(meeting, erik)
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    cal, event = parse(data)
    assert cal["METHOD"] == "REQUEST"
    assert cal["VERSION"] == "2.0" and cal["CALSCALE"] == "GREGORIAN" and cal["PRODID"]
    assert event["UID"] == f"meeting-{meeting.pk}@samverk.local"
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event["DTSTAMP"].dt.utcoffset() == timedelta(0)
    assert event["SUMMARY"] == "Samverkansmöte – Sävsjö kommun"
    assert event["LOCATION"] == "Rum Ljuset, Storgatan 1"
    assert event["CLASS"] == "PRIVATE"
    # A neutral line and the meeting page, none of the meeting's free text (issue 15: the
    # description used to carry Syfte).
    assert event["DESCRIPTION"] == (
        "Se kallelsen i e-postmeddelandet för syfte, frågeställningar och deltagare.\n"
        f"Mötessidan i Samverk (kräver inloggning): {absolute(f'/moten/{meeting.pk}/')}"
    )

    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:karin.kallesson@savsjo.se"
    assert "Karin Kallesson" in organizer.params["CN"]
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:erik.arbetsson@arbetsformedlingen.se"
    assert attendee.params["CN"] == "Erik Arbetsson"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["RSVP"] == "TRUE"


def test_the_file_never_names_the_individual(meeting, erik, case):
    meeting.location = "Hemma hos Alva Andersson"
    meeting.save()
    data = invitation_ics(meeting, erik) + cancellation_ics(meeting, erik)
    for secret in ("Alva", "Andersson", "198112289874", "8112289874", "811228-9874"):
        assert secret.encode() not in data, secret
    _cal, event = parse(invitation_ics(meeting, erik))
    assert "den enskilde" in event["LOCATION"]


def test_the_description_carries_no_free_text_of_the_meeting(meeting, erik, convener):
    meeting.purpose = "Diagnos: depression, utreds för ADHD"
    meeting.questions = "Behöver hon stöd av psykiatrin?"
    meeting.remote_link = "https://video.example.se/m/1"
    meeting.save()
    cancel_meeting(meeting=meeting, user=convener, reason="Inlagd på sjukhus")
    meeting.refresh_from_db()
    for data in (invitation_ics(meeting, erik), cancellation_ics(meeting, erik)):
        _cal, event = parse(data)
        description = str(event["DESCRIPTION"])
        for text in ("depression", "psykiatrin", "video.example.se", "sjukhus", "Alva"):
            assert text not in description, text
        assert f"/moten/{meeting.pk}/" in description
        assert event["CLASS"] == "PRIVATE"
    assert str(event["DESCRIPTION"]).startswith("Mötet är inställt.")


def test_the_individuals_own_invitation_has_no_name(meeting, case):
    individual = ParticipantFactory(
        meeting=meeting, kind="individual", name=case.individual_name, email="a@example.se"
    )
    data = invitation_ics(meeting, individual)
    assert b"Andersson" not in data
    assert str(parse(data)[1]["ATTENDEE"]) == "mailto:a@example.se"


def test_summary_is_the_same_for_every_kind(meeting, erik):
    meeting.kind = "formote"
    assert parse(invitation_ics(meeting, erik))[1]["SUMMARY"] == "Samverkansmöte – Sävsjö kommun"


def test_uid_is_stable_and_sequence_follows_the_meeting(meeting, erik, settings):
    first = parse(invitation_ics(meeting, erik))[1]
    meeting.starts_at += timedelta(days=2)
    meeting.ends_at += timedelta(days=2)
    meeting.sequence = 3
    meeting.save()
    again = parse(invitation_ics(meeting, erik))[1]
    assert again["UID"] == first["UID"] == calendar_uid(meeting)
    assert again["SEQUENCE"] == 3
    other = MeetingFactory(case=meeting.case)
    assert calendar_uid(other) != calendar_uid(meeting)
    settings.CALENDAR_UID_DOMAIN = "samverk.savsjo.se"
    assert calendar_uid(meeting) == f"meeting-{meeting.pk}@samverk.savsjo.se"


def test_cancel(meeting, erik, convener):
    cancel_meeting(meeting=meeting, user=convener, reason="Sjuk")
    meeting.refresh_from_db()
    data = cancellation_ics(meeting, erik)
    cal, event = parse(data)
    assert b"METHOD:CANCEL" in data and b"STATUS:CANCELLED" in data
    assert cal["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == meeting.sequence == 1
    assert event["UID"] == calendar_uid(meeting)


def test_content_type_and_methods():
    assert ics_content_type("REQUEST") == "text/calendar; method=REQUEST; charset=utf-8"
    assert ics_content_type("CANCEL") == "text/calendar; method=CANCEL; charset=utf-8"
    with pytest.raises(ValueError):
        ics_content_type("PUBLISH; x=y")


def test_a_participant_without_email_gets_no_file(meeting):
    nobody = ParticipantFactory(meeting=meeting, email="")
    with pytest.raises(ValueError):
        invitation_ics(meeting, nobody)


def test_a_remote_meeting_gives_the_link_as_location(meeting, erik):
    meeting.room = None
    meeting.remote_link = "https://video.example.se/m/1"
    _cal, event = parse(invitation_ics(meeting, erik))
    assert event["LOCATION"] == "https://video.example.se/m/1"
    # The description no longer repeats the link (no free text there, issue 15).
    assert "https://video.example.se/m/1" not in event["DESCRIPTION"]


# --- time zones ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "utc_hour"),
    [
        (local(2026, 10, 26, 10), 9),  # Monday after the change to winter time
        (local(2026, 3, 30, 10), 8),  # Monday after the change to summer time
        (local(2026, 10, 25, 10), 9),  # the day of the change, after 03:00
        (local(2026, 12, 14, 10), 9),
        (local(2026, 7, 1, 10), 8),
    ],
)
def test_dtstart_is_the_local_time_with_tzid(meeting, erik, start, utc_hour):
    meeting.starts_at, meeting.ends_at = start, start + timedelta(hours=1)
    data = invitation_ics(meeting, erik)
    stamp = start.strftime("%Y%m%dT%H%M%S").encode()
    assert b"DTSTART;TZID=Europe/Stockholm:" + stamp in data
    cal, event = parse(data)
    dtstart = event["DTSTART"]
    assert dtstart.params["TZID"] == "Europe/Stockholm"
    assert dtstart.dt.replace(tzinfo=None) == start.replace(tzinfo=None)
    assert dtstart.dt.astimezone(UTC).hour == utc_hour
    assert event["DTEND"].dt.astimezone(UTC).hour == utc_hour + 1
    (vtimezone,) = cal.walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Europe/Stockholm"
    # The VTIMEZONE alone (without looking the name up) gives the same instant.
    own_zone = vtimezone.to_tz(lookup_tzid=False)
    wall = start.replace(tzinfo=None)
    assert wall.replace(tzinfo=own_zone).astimezone(UTC) == start.astimezone(UTC)


def test_the_vtimezone_uses_yearly_rules_outlook_understands(meeting, erik):
    data = invitation_ics(meeting, erik)
    assert b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in data
    assert b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in data
    assert b"RDATE" not in data


def test_the_vtimezone_agrees_with_the_tz_database_every_hour():
    zone = stockholm_vtimezone(local(2026, 1, 1, 12)).to_tz(lookup_tzid=False)
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    while moment.year < 2029:
        wall = moment.astimezone(STOCKHOLM).replace(tzinfo=None)
        if wall.replace(tzinfo=zone).utcoffset() != moment.astimezone(STOCKHOLM).utcoffset():
            # Only the repeated hour at the autumn change is ambiguous as a wall time.
            assert wall.month == 10 and wall.hour == 2, moment
        moment += timedelta(hours=1)


def test_if_the_rules_change_the_tz_database_wins(monkeypatch):
    monkeypatch.setattr(ical, "_eu_rule_offset", lambda moment: timedelta(hours=5))
    vtimezone = stockholm_vtimezone(local(2026, 6, 1, 10))
    assert vtimezone["TZID"] == "Europe/Stockholm"
    zone = vtimezone.to_tz(lookup_tzid=False)
    assert datetime(2026, 6, 1, 10, tzinfo=zone).utcoffset() == timedelta(hours=2)
    assert datetime(2026, 12, 1, 10, tzinfo=zone).utcoffset() == timedelta(hours=1)


def test_neutral_text_hides_the_name(case):
    text = ical.neutral_text("Planera för Alva Andersson. Andersson vill jobba; Alva också.", case)
    assert "Alva" not in text and "Andersson" not in text
    assert text.count("den enskilde") == 3


def test_neutral_text_removes_a_personnummer_too(case):
    text = ical.neutral_text("Alva, 19811228-9874, tel 0382-150 00", case)
    assert text == "den enskilde, [personnummer borttaget], tel 0382-150 00"


def test_a_number_in_a_name_stays_out_of_the_file(meeting, erik, convener):
    # As an import or the admin could leave them: the download is not redacted by the outbox.
    erik.name = "Erik 811228-9874"
    convener.first_name = "Karin 19811228-9874"
    convener.save()
    meeting.convening_organisation.name = "Sävsjö kommun 8112289874"
    meeting.room.name = "Rum 811228 9874"
    data = invitation_ics(meeting, erik).decode().replace("\r\n ", "")
    assert "9874" not in data
    assert data.count("[personnummer borttaget]") >= 4
