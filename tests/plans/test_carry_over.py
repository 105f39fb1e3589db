"""A follow-up meeting's plan starts from the previous one."""

from datetime import timedelta

from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.services.autosave import mark_action_done
from plans.services.commitments import previous_plan_actions
from plans.services.start import get_or_create_plan, previous_plan_for
from tests.factories import MeetingFactory

from .helpers import at


def meeting_in(case, days, **extra):
    starts = at(days)
    return MeetingFactory(
        case=case,
        convened_by=case.owner,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        **extra,
    )


def test_goals_and_open_actions_are_carried_over(case, meeting, plan, orgs, convener):
    plan.coordinator_name = "Kim"
    plan.save()
    goal = plan.goals.create(text="Arbete", position=0)
    plan.goals.create(text="Praktik", parent=goal)
    open_action = plan.actions.create(
        what="Kartläggning", responsible_organisation=orgs["af"], position=0
    )
    plan.actions.create(what="Läkarintyg", done_on=timezone.localdate(), position=1)

    follow_up = meeting_in(case, 30)
    new = get_or_create_plan(follow_up)
    assert new.previous == plan
    assert new.coordinator_name == "Kim"
    new_goal = new.goals.get(parent=None)
    assert new_goal.text == "Arbete" and new_goal.origin == goal
    assert [g.text for g in new_goal.subgoals.all()] == ["Praktik"]
    carried = new.actions.get()
    assert carried.what == "Kartläggning" and carried.origin == open_action
    assert carried.responsible_organisation == orgs["af"]
    assert get_or_create_plan(follow_up).pk == new.pk  # created once

    page = Client()
    page.force_login(convener)
    html = page.get(reverse("plans:edit", args=[follow_up.pk])).content.decode()
    assert "Klart sedan förra planen" in html and "Läkarintyg" in html
    assert "Från förra planen" in html


def test_the_most_recent_earlier_meeting_is_the_previous_one(case, meeting, plan):
    later = meeting_in(case, 20)
    later_plan = get_or_create_plan(later)
    last = meeting_in(case, 40)
    assert previous_plan_for(last) == later_plan
    earlier = meeting_in(case, -10)
    assert previous_plan_for(earlier) is None  # nothing before it


def test_the_premeeting_plan_is_used_when_there_is_no_earlier_one(case, convener):
    premeeting = meeting_in(case, 50, kind="formote")
    pre_plan = get_or_create_plan(premeeting)
    pre_plan.goals.create(text="Från förmötet")
    # Booked to start before the förmöte in this test: only the premeeting link finds it.
    follow_up = meeting_in(case, 5, premeeting=premeeting)
    assert previous_plan_for(follow_up) == pre_plan
    assert get_or_create_plan(follow_up).goals.get().text == "Från förmötet"


def test_done_is_done_in_every_plan_the_action_was_carried_to(case, meeting, plan, convener):
    original = plan.actions.create(what="Kartläggning")
    second = get_or_create_plan(meeting_in(case, 30))
    copy = second.actions.get()
    mark_action_done(action=copy, user=convener, done_on=timezone.localdate())
    original.refresh_from_db()
    assert original.done_on == timezone.localdate()


def test_previous_plan_actions_for_the_meeting_page(case, meeting, plan, convener):
    plan.actions.create(what="Klar sak", done_on=timezone.localdate())
    plan.actions.create(what="Sen sak", due_on=timezone.localdate() - timedelta(days=3))
    plan.actions.create(what="")  # an empty row never shows
    follow_up = meeting_in(case, 30)
    actions = previous_plan_actions(follow_up)
    assert [a.what for a in actions] == ["Klar sak", "Sen sak"]
    html = Template("{% load plans_tags %}{% previous_plan_actions meeting %}").render(
        Context({"meeting": follow_up})
    )
    assert "Klar sak" in html and "Försenad" in html and "Klar " in html
    assert reverse("plans:edit", args=[follow_up.pk]) in html
    assert previous_plan_actions(meeting) == []
