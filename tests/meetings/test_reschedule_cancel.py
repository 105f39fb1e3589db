"""Moving and cancelling a meeting keeps its participants and leaves a record."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.factories import (
    MeetingFactory,
    ParticipantFactory,
    RoomFactory,
    UserFactory,
    take_part,
)


@pytest.fixture
def meeting(case, convener):
    meeting = MeetingFactory(
        case=case, convened_by=convener, convening_organisation=convener.organisation
    )
    ParticipantFactory(meeting=meeting, name="Anna Arbete", answer="attending")
    return meeting


def move_data(meeting, days=40, **overrides):
    day = timezone.localdate() + timedelta(days=days)
    return {
        "date": day.isoformat(),
        "start_time": "13:00",
        "length": "60",
        "location": "Biblioteket",
        **overrides,
    }


def test_reschedule_keeps_participants_and_answers_and_logs(client_for, convener, meeting):
    response = client_for(convener).post(
        reverse("meetings:reschedule", args=[meeting.pk]), move_data(meeting)
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).hour == 13
    assert meeting.location == "Biblioteket"
    assert meeting.sequence == 1
    assert meeting.participants.get().answer == "attending"
    event = meeting.case.events.get(action="meeting.rescheduled")
    assert event.user == convener and "before" in event.data and "after" in event.data


def test_reschedule_to_short_notice_asks_for_confirmation(client_for, convener, meeting):
    client = client_for(convener)
    url = reverse("meetings:reschedule", args=[meeting.pk])
    first = client.post(url, move_data(meeting, days=5))
    assert first.status_code == 200 and "minst tre veckor" in first.content.decode()
    meeting.refresh_from_db()
    assert meeting.sequence == 0
    codes = first.context["form"].data["accepted_warnings"]
    assert (
        client.post(
            url,
            {**move_data(meeting, days=5), "accepted_warnings": codes, "confirm_warnings": "on"},
        ).status_code
        == 302
    )


def test_reschedule_with_two_warnings_sent_with_crlf_moves_the_meeting(
    client_for, convener, meeting
):
    client = client_for(convener)
    url = reverse("meetings:reschedule", args=[meeting.pk])
    data = move_data(meeting, days=5, length="90")
    first = client.post(url, data)
    assert first.status_code == 200
    codes = first.context["form"].data["accepted_warnings"].split("\n")
    assert sorted(codes) == ["length", "short_notice"]
    second = client.post(
        url, {**data, "accepted_warnings": "\r\n".join(codes), "confirm_warnings": "on"}
    )
    assert second.status_code == 302
    meeting.refresh_from_db()
    assert meeting.length_minutes == 90 and meeting.sequence == 1


def test_reschedule_into_a_taken_room_is_refused(client_for, convener, meeting, case):
    room = RoomFactory(area=case.area, name="Lilla rummet")
    other = MeetingFactory(case=case, room=room, starts_at=meeting.starts_at + timedelta(days=10))
    local = timezone.localtime(other.starts_at)
    data = move_data(
        meeting, room=room.pk, date=local.date().isoformat(), start_time=local.strftime("%H:%M")
    )
    response = client_for(convener).post(reverse("meetings:reschedule", args=[meeting.pk]), data)
    assert response.status_code == 400
    assert "redan bokat" in response.content.decode()


@pytest.mark.parametrize(
    "bad", [{"date": "igår"}, {"start_time": "x"}, {"length": "-5"}, {"room": "99999"}]
)
def test_reschedule_bad_input_is_400(client_for, convener, meeting, bad):
    response = client_for(convener).post(
        reverse("meetings:reschedule", args=[meeting.pk]), {**move_data(meeting), **bad}
    )
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_cancel_needs_a_reason_and_is_recorded(client_for, convener, meeting):
    client = client_for(convener)
    url = reverse("meetings:cancel", args=[meeting.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Den enskilde är sjuk"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.cancelled_reason == "Den enskilde är sjuk"
    assert meeting.case.events.filter(action="meeting.cancelled").exists()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Inställt" in page and "Den enskilde är sjuk" in page


def test_cancelled_meeting_cannot_be_moved(client_for, convener, meeting):
    meeting.status = "cancelled"
    meeting.save()
    response = client_for(convener).post(
        reverse("meetings:reschedule", args=[meeting.pk]), move_data(meeting)
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 0


@pytest.mark.parametrize("administrator", [False, True])
def test_only_convener_or_owner_may_move_or_cancel(client, meeting, orgs, administrator):
    """Not a participant of the ärende, not even one with the administrator role (which
    manages lists and settings, not ärenden)."""
    involved = UserFactory(
        organisation=orgs["af"], is_caseworker=True, is_administrator=administrator
    )
    take_part(meeting.case, involved)
    client.force_login(involved)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.get(reverse("meetings:reschedule", args=[meeting.pk])).status_code == 403
    assert (
        client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "x"}).status_code
        == 403
    )
    assert Meeting.objects.get(pk=meeting.pk).status == "planned"
