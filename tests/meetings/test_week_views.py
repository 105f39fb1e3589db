"""Week calendars: "Min vecka" and "Områdets vecka"."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.services import calendar
from meetings.services.calendar import Week
from tests.factories import (
    CaseFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    RoomFactory,
    UserFactory,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
W48 = "2026-W48"  # måndag 23 november – söndag 29 november 2026


def local(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def meeting_at(start, **kwargs):
    return MeetingFactory(starts_at=start, ends_at=start + timedelta(hours=1), **kwargs)


@pytest.fixture
def me(db):
    return UserFactory(username="jag", organisation=OrganisationFactory(name="Sävsjö kommun"))


@pytest.fixture
def my_case(area, me):
    return CaseFactory(area=area, owner=me, first_name="Alva", last_name="Andersson")


@pytest.fixture
def stranger(db):
    return UserFactory(username="annan", organisation=OrganisationFactory(name="Nässjö kommun"))


@pytest.fixture
def secret_case(area, stranger):
    return CaseFactory(area=area, owner=stranger, first_name="Hemlig", last_name="Hemligsson")


def my_week(client, week=W48):
    return client.get(reverse("meetings:my_week"), {"vecka": week})


# --- the week itself --------------------------------------------------------------


def test_week_parses_the_iso_format_and_knows_its_neighbours():
    week = Week.parse("2026-W48")
    assert (week.monday, week.sunday) == (date(2026, 11, 23), date(2026, 11, 29))
    assert week.previous.param == "2026-W47" and week.next.param == "2026-W49"
    assert Week.parse("2026-W53").next.param == "2027-W01"
    assert Week.parse("2027-W01").previous.param == "2026-W53"
    assert Week.parse("2026-w5").param == "2026-W05"


@pytest.mark.parametrize(
    "value", ["abc", "2026-W99", "2026-W00", "2025-W53", "0001-W01", "", "2026-11-23"]
)
def test_a_bad_week_value_falls_back_to_the_current_week(value):
    week, valid = calendar.week_from_param(value)
    assert week == Week.current()
    assert valid is (value == "")


def hours(week):
    # Subtract in UTC: Python subtracts wall-clock times within one tzinfo.
    return (week.ends_at.astimezone(UTC) - week.starts_at.astimezone(UTC)) / timedelta(hours=1)


def test_week_boundaries_are_stockholm_midnights_also_across_dst():
    autumn = Week.containing(date(2026, 10, 25))  # DST ends Sunday 25 October, 03:00 -> 02:00
    assert autumn.starts_at == local(2026, 10, 19, 0)
    assert autumn.ends_at == local(2026, 10, 26, 0)
    assert hours(autumn) == 169
    spring = Week.containing(date(2026, 3, 29))  # DST starts Sunday 29 March
    assert hours(spring) == 167


# --- Min vecka ---------------------------------------------------------------------


def test_my_week_shows_my_meetings_and_not_others(
    client_for, settings, me, my_case, secret_case, stranger
):
    # The week is a fixed one: the participant's access must not run out as time passes.
    settings.CASE_PARTICIPANT_ACCESS_DAYS = 100 * 365
    room = RoomFactory(area=my_case.area, name="Rum Ljuset", address="Storgatan 1")
    mine = meeting_at(
        local(2026, 11, 24, 9, 30), case=my_case, kind="formote", room=room, location=""
    )
    # Invited, then taken off the meeting: it stays in the calendar, the ärende no longer
    # opens to me (need to know).
    invited = meeting_at(local(2026, 11, 26, 13), case=secret_case, kind="sip")
    ParticipantFactory(meeting=invited, kind="staff", user=me, removed_at=local(2026, 11, 20))
    # Invited as staff of my party and still on it: the ärende opens to me, name and link.
    shared_case = CaseFactory(
        area=my_case.area, owner=stranger, first_name="Delad", last_name="Deltagarsson"
    )
    taking_part = meeting_at(local(2026, 11, 27, 9), case=shared_case, kind="sip")
    ParticipantFactory(meeting=taking_part, kind="staff", user=me)
    others = meeting_at(local(2026, 11, 25, 8), case=secret_case, location="Annat hus")
    next_week = meeting_at(local(2026, 11, 30, 10), case=my_case, location="Nästa vecka-huset")

    response = my_week(client_for(me))

    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "Min vecka" in content
    assert "måndag 23 november" in content and "fredag 27 november" in content
    assert "09:30–10:30" in content
    assert "Förmöte" in content and "kind-premeeting" in content
    assert "Rum Ljuset, Storgatan 1" in content
    assert "Alva Andersson" in content
    assert reverse("meetings:detail", args=[mine.pk]) in content
    # Invited, then removed: shown; the ärende is not mine to open, so no name or link.
    assert "SIP (samordnad individuell plan)" in content
    assert reverse("meetings:detail", args=[invited.pk]) not in content
    assert "Hemligsson" not in content
    assert "Delad Deltagarsson" in content
    assert reverse("meetings:detail", args=[taking_part.pk]) in content
    assert reverse("meetings:detail", args=[others.pk]) not in content
    assert "Annat hus" not in content
    assert "Nästa vecka-huset" not in content
    assert "meetings.css" in content
    assert 'href="?vecka=2026-W47"' in content and 'href="?vecka=2026-W49"' in content
    assert "Denna vecka" in content
    assert next_week.pk  # in the database, just not this week


def test_cancelled_meeting_is_struck_through_with_the_word_installt(client_for, me, my_case):
    meeting_at(local(2026, 11, 24), case=my_case, status="cancelled", location="Kommunhuset")
    content = my_week(client_for(me)).content.decode()
    assert "week-meeting-cancelled" in content
    assert "Inställt" in content
    assert "Kommunhuset" in content


def test_weekend_column_only_when_something_is_on_the_weekend(client_for, me, my_case):
    client = client_for(me)
    meeting_at(local(2026, 11, 24), case=my_case)
    assert "Helg" not in my_week(client).content.decode()
    meeting_at(local(2026, 11, 28, 11), case=my_case)
    content = my_week(client).content.decode()
    assert "Helg" in content
    assert "lördag" in content


@pytest.mark.parametrize("value", ["abc", "2026-W99"])
def test_invalid_week_shows_the_current_week_with_a_message(client_for, me, value):
    response = my_week(client_for(me), value)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Veckan kunde inte läsas" in content
    assert response.context["week"] == Week.current()


def test_week_without_parameter_is_the_current_week(client_for, me):
    response = client_for(me).get(reverse("meetings:my_week"))
    assert response.status_code == 200
    assert response.context["week"] == Week.current()
    assert "Veckan kunde inte läsas" not in response.content.decode()


def test_monday_half_past_midnight_belongs_to_that_week(client_for, me, my_case):
    # 00:30 Stockholm is still Sunday in UTC.
    meeting_at(local(2026, 11, 23, 0, 30), case=my_case, location="Tidigt rum")
    client = client_for(me)
    assert "Tidigt rum" in my_week(client, "2026-W48").content.decode()
    assert "Tidigt rum" not in my_week(client, "2026-W47").content.decode()


def test_week_across_the_dst_change(client_for, me, my_case):
    # Sunday 25 October 2026 the clocks go back; the week ends at Monday 00:00 CET.
    meeting_at(local(2026, 10, 25, 23, 30), case=my_case, location="Söndagsrum")
    meeting_at(local(2026, 10, 26, 0, 30), case=my_case, location="Måndagsrum")
    meeting_at(local(2026, 10, 19, 0, 30), case=my_case, location="Förra måndagen")
    client = client_for(me)
    week43 = my_week(client, "2026-W43").content.decode()
    assert "Söndagsrum" in week43 and "Förra måndagen" in week43
    assert "Måndagsrum" not in week43
    assert "söndag" in week43  # the weekend column names the day
    assert "23:30–00:30" in week43
    week44 = my_week(client, "2026-W44").content.decode()
    assert "Måndagsrum" in week44 and "Söndagsrum" not in week44
    assert "00:30–01:30" in week44


# --- Områdets vecka ----------------------------------------------------------------


def test_area_week_hides_the_name_from_those_who_cannot_open_the_case(
    client_for, area, secret_case, stranger, me
):
    meeting = meeting_at(
        local(2026, 11, 25, 14), case=secret_case, kind="avstamningsmote", location="Vårdcentralen"
    )
    url = reverse("meetings:area_week", args=[area.slug])

    response = client_for(me).get(url, {"vecka": W48})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Samverk Sävsjö" in content
    assert "Avstämningsmöte" in content and "kind-checkpoint" in content
    assert "14:00–15:00" in content
    assert "Vårdcentralen" in content
    assert "Nässjö kommun" in content  # the convening organisation
    assert "Hemligsson" not in content and "Hemlig " not in content
    assert reverse("meetings:detail", args=[meeting.pk]) not in content


def test_area_week_shows_the_name_to_the_owner(client_for, area, secret_case, stranger):
    meeting = meeting_at(local(2026, 11, 25, 14), case=secret_case)
    content = (
        client_for(stranger)
        .get(reverse("meetings:area_week", args=[area.slug]), {"vecka": W48})
        .content.decode()
    )
    assert "Hemlig Hemligsson" in content
    assert reverse("meetings:detail", args=[meeting.pk]) in content


def test_area_week_lists_only_that_areas_meetings(client_for, area, other_area, me):
    meeting_at(local(2026, 11, 25), case=CaseFactory(area=other_area), location="Tranåsrummet")
    meeting_at(local(2026, 11, 25), case=CaseFactory(area=area), location="Sävsjörummet")
    content = (
        client_for(me)
        .get(reverse("meetings:area_week", args=[area.slug]), {"vecka": W48})
        .content.decode()
    )
    assert "Sävsjörummet" in content and "Tranåsrummet" not in content


def test_area_week_is_for_staff_roles_and_known_areas(client_for, area, coordinator, no_role_user):
    url = reverse("meetings:area_week", args=[area.slug])
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(no_role_user).get(url).status_code == 403
    unknown = reverse("meetings:area_week", args=["finns-inte"])
    assert client_for(coordinator).get(unknown).status_code == 404


# --- query counts ------------------------------------------------------------------


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return [q["sql"] for q in context.captured_queries]


def make_meetings(n, case, user):
    room = RoomFactory(area=case.area)
    for i in range(n):
        start = local(2026, 11, 23 + i % 7, 8 + i // 7)
        meeting = meeting_at(start, case=CaseFactory(area=case.area, owner=user), room=room)
        ParticipantFactory(meeting=meeting, kind="staff", user=UserFactory())


@pytest.mark.parametrize("view", ["my_week", "area_week"])
def test_query_count_does_not_grow_with_the_number_of_meetings(client_for, me, my_case, view, area):
    url = reverse(f"meetings:{view}", args=[area.slug] if view == "area_week" else [])
    client = client_for(me)
    make_meetings(1, my_case, me)
    one = count_queries(client, url, {"vecka": W48})
    assert len(client.get(url, {"vecka": W48}).context["calendar"].columns[0].entries) == 1
    make_meetings(19, my_case, me)
    twenty = count_queries(client, url, {"vecka": W48})
    assert client.get(url, {"vecka": W48}).context["calendar"].count == 20
    assert len(one) == len(twenty)
    meeting_queries = [q for q in twenty if 'FROM "meetings_meeting"' in q]
    assert len(meeting_queries) == 1
    # The week's ärenden are loaded in one query and checked for access in one more.
    case_queries = [q for q in twenty if q.lstrip().startswith('SELECT "cases_case"."id"')]
    assert len(case_queries) == 2
