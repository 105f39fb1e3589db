"""The autosave logs one "plan changed" row per field, user and minute (issue 13), not one
per save: someone typing saves a field every few seconds. Time is moved by patching
django.utils.timezone.now (every timezone.now() call reads it) and by the now= argument of
plans.services.shared._log_field_change; no sleeps."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import CaseEvent
from plans.enums import PlanAction
from plans.services.autosave import save_action_field, save_goal_text, save_plan_field
from plans.services.shared import CHANGE_LOG_WINDOW, Conflict, _log_field_change
from plans.services.start import get_or_create_plan
from tests.factories import ActionFactory, GoalFactory, MeetingFactory, UserFactory

from .helpers import autosave


class Clock:
    """django.utils.timezone.now, moved on by hand."""

    def __init__(self, monkeypatch):
        self.now = timezone.now().replace(microsecond=0)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def plan(meeting):
    return get_or_create_plan(meeting)


def changed_rows(case):
    return list(
        CaseEvent.objects.filter(case_id=case.pk, action=PlanAction.CHANGED)
        .order_by("at", "pk")
        .values_list("user", "data", "at")
    )


def test_typing_for_three_minutes_logs_a_field_once_a_minute(clock, convener, plan):
    """Twenty saves, ten seconds apart (what the page sends while someone types)."""
    start = clock.now
    for i in range(20):
        save_plan_field(
            plan=plan, user=convener, field="current_situation", value=f"Text {i}", seen_version=i
        )
        clock.advance(10)
    plan.refresh_from_db()
    assert plan.current_situation == "Text 19" and plan.version_of("current_situation") == 20
    rows = changed_rows(plan.meeting.case)
    assert [at - start for _u, _d, at in rows] == [timedelta(seconds=s) for s in (0, 60, 120, 180)]
    assert all(
        data == {"meeting": plan.meeting_id, "field": "current_situation"} for _u, data, _a in rows
    )
    assert all(user == convener.pk for user, _d, _a in rows)


def test_each_field_and_each_writer_has_its_own_row(clock, convener, plan, orgs):
    colleague = UserFactory(username="kollega", organisation=orgs["kommun"], is_caseworker=True)
    save_plan_field(plan=plan, user=convener, field="current_situation", value="a", seen_version=0)
    save_plan_field(plan=plan, user=convener, field="way_forward", value="b", seen_version=0)
    save_plan_field(plan=plan, user=colleague, field="current_situation", value="c", seen_version=1)
    clock.advance(5)
    save_plan_field(plan=plan, user=convener, field="way_forward", value="d", seen_version=1)
    rows = [(user, data["field"]) for user, data, _at in changed_rows(plan.meeting.case)]
    assert rows == [
        (convener.pk, "current_situation"),
        (convener.pk, "way_forward"),
        (colleague.pk, "current_situation"),
    ]


def test_another_plan_of_the_same_arende_has_its_own_row(clock, convener, plan, meeting):
    other = get_or_create_plan(
        MeetingFactory(case=meeting.case, convened_by=convener, starts_at=meeting.starts_at)
    )
    save_plan_field(plan=plan, user=convener, field="way_forward", value="a", seen_version=0)
    save_plan_field(plan=other, user=convener, field="way_forward", value="b", seen_version=0)
    meetings = [data["meeting"] for _u, data, _a in changed_rows(meeting.case)]
    assert meetings == [plan.meeting_id, other.meeting_id]


def test_goal_and_action_rows_are_logged_once_a_minute_too(clock, convener, plan, orgs):
    goal = GoalFactory(plan=plan, text="")
    action = ActionFactory(plan=plan, what="")
    for i in range(3):
        save_goal_text(plan=plan, user=convener, goal_pk=goal.pk, value=f"Mål {i}", seen_version=i)
        save_action_field(
            plan=plan,
            user=convener,
            action_pk=action.pk,
            field="what",
            value=f"Gör {i}",
            seen_version=i,
        )
        clock.advance(20)
    clock.advance(10)  # 70 s after the first saves
    save_goal_text(plan=plan, user=convener, goal_pk=goal.pk, value="Mål 3", seen_version=3)
    fields = [data["field"] for _u, data, _a in changed_rows(plan.meeting.case)]
    assert fields == ["goal.text", "action.what", "goal.text"]


def test_a_conflict_still_writes_nothing_and_a_retry_still_saves(clock, convener, plan, orgs):
    colleague = UserFactory(username="kollega", organisation=orgs["kommun"], is_caseworker=True)
    save_plan_field(plan=plan, user=colleague, field="way_forward", value="Deras", seen_version=0)
    with pytest.raises(Conflict):
        save_plan_field(plan=plan, user=convener, field="way_forward", value="Min", seen_version=0)
    # The same text again (a retried request) is no change and no row.
    save_plan_field(plan=plan, user=colleague, field="way_forward", value="Deras", seen_version=1)
    assert [user for user, _d, _a in changed_rows(plan.meeting.case)] == [colleague.pk]


def test_the_check_is_one_query_and_the_write_one_more(convener, plan, django_assert_num_queries):
    now = timezone.now()
    with django_assert_num_queries(2):
        assert _log_field_change(plan, convener, "way_forward", now=now) is not None
    with django_assert_num_queries(1):
        soon = now + timedelta(seconds=59)
        assert _log_field_change(plan, convener, "way_forward", now=soon) is None
    with django_assert_num_queries(2):
        later = now + CHANGE_LOG_WINDOW
        assert _log_field_change(plan, convener, "way_forward", now=later) is not None


def test_through_the_page_twenty_saves_in_two_minutes_are_two_rows(
    clock, client_for, convener, meeting
):
    client = client_for(convener)
    for i in range(20):
        response = autosave(
            client,
            meeting,
            {"current_situation": f"Text {i}", "version-current_situation": str(i)},
        )
        assert response.status_code == 200, response.content.decode()
        clock.advance(6)
    assert len(changed_rows(meeting.case)) == 2
