"""Subscribe to my meetings (issue 16): a personal feed behind a secret token, neutral entries
with the kallelse's UIDs, renewable (the old address dies), the token hidden in logs."""

import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from common.logging import redact_tokens
from meetings.services import feed, ical
from meetings.services.booking import cancel_meeting
from tests.factories import MeetingFactory, ParticipantFactory, UserFactory


@pytest.fixture
def meeting(case, convener):
    return MeetingFactory(
        case=case,
        convened_by=convener,
        convening_organisation=convener.organisation,
        location="Hemma hos Alva Andersson",
        purpose="Diagnos: depression",
    )


@pytest.fixture
def erik(meeting, orgs):
    user = UserFactory(username="erik", organisation=orgs["af"])
    ParticipantFactory(
        meeting=meeting, kind="staff", user=user, organisation=orgs["af"], email=user.email
    )
    return user


def feed_url(user):
    return reverse("meetings:feed", args=[feed.feed_for(user).token])


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_the_feed_holds_my_meetings_neutral_with_the_kallelse_uid(client, meeting, erik, case):
    other = MeetingFactory(case=case, convened_by=UserFactory(username="annan"))  # not theirs
    [event] = events(client.get(feed_url(erik)))
    assert str(event["UID"]) == ical.calendar_uid(meeting)
    assert event["SUMMARY"] == ical.calendar_summary(meeting)
    assert event["CLASS"] == "PRIVATE"
    text = client.get(feed_url(erik)).content.decode()
    for secret in (case.first_name, case.last_name, case.personnummer, "depression"):
        assert secret not in text
    assert ical.calendar_uid(other) not in text
    # The convener's feed has it too, without logging in.
    [mine] = events(client.get(feed_url(meeting.convened_by)))
    assert str(mine["UID"]) == ical.calendar_uid(meeting)


def test_a_cancelled_meeting_stays_as_cancelled_so_it_leaves_the_calendar(
    client, meeting, erik, convener
):
    cancel_meeting(meeting=meeting, user=convener, reason="Sjuk")
    [event] = events(client.get(feed_url(erik)))
    assert event["STATUS"] == "CANCELLED"


def test_old_meetings_fall_out(client, case, convener, erik):
    old = MeetingFactory(
        case=case,
        convened_by=convener,
        starts_at=timezone.now() - timedelta(days=feed.FEED_PAST_DAYS + 5),
        ends_at=timezone.now() - timedelta(days=feed.FEED_PAST_DAYS + 5) + timedelta(hours=1),
    )
    text = client.get(feed_url(convener)).content.decode()
    assert ical.calendar_uid(old) not in text


def test_renewing_kills_the_old_address(client, erik, meeting):
    old_url = feed_url(erik)
    client.force_login(erik)
    page = client.get(reverse("meetings:subscribe")).content.decode()
    assert "webcal://" in page and old_url in page
    assert "Google Kalender" in page and "Outlook" in page
    assert client.post(reverse("meetings:renew_feed")).status_code == 302
    client.logout()
    assert client.get(old_url).status_code == 404
    assert client.get(feed_url(erik)).status_code == 200


def test_an_unknown_token_or_an_inactive_user_gets_404(client, erik, meeting):
    assert client.get(reverse("meetings:feed", args=["gissat"])).status_code == 404
    url = feed_url(erik)
    erik.is_active = False
    erik.save()
    assert client.get(url).status_code == 404


def test_the_subscribe_page_needs_a_login(client):
    response = client.get(reverse("meetings:subscribe"))
    assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_the_token_is_hidden_in_logs(client, erik, caplog):
    token = feed.feed_for(erik).token
    assert token not in redact_tokens(f"GET /kalenderprenumeration/{token}.ics HTTP/1.1")
    caplog.set_level(logging.WARNING, logger="django.request")
    client.get(reverse("meetings:feed", args=[token + "x"]))  # a 404, logged
    assert token not in caplog.text
