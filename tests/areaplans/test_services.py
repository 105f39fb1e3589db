"""The area's handlingsplan: numbering, next year's plan from the last, versions, the public
version, the PDF."""

from datetime import date

import pytest

from areaplans.enums import VersionKind
from areaplans.models import AreaPlan, PlanActivity, letter_for
from areaplans.services.documents import plan_pdf, plan_pdf_html
from areaplans.services.plans import (
    PlanExists,
    add_activity,
    add_goal,
    remove_activity,
    remove_goal,
    start_plan,
)
from areaplans.services.versions import current_version, save_version


@pytest.fixture
def plan_2026(area):
    plan = start_plan(area, 2026)
    goal = add_goal(plan, "Personal ska ha god kännedom hur samverkan fungerar")
    add_activity(goal, text="Lokal samverkansdag", how="Arbetsgruppen planerar", when="1-2 ggr")
    add_activity(goal, text="Information på hemsida", is_done=True, follow_up="Har skett.")
    routine = add_goal(plan, "Rutiner")
    add_activity(routine, text="Skriftlig rutin", follow_up="Inte genomfört, bör finnas kvar")
    done = add_goal(plan, "SIP")
    add_activity(done, text="Checklista för SIP", is_done=True)
    plan.comment = "Styrgruppen hade låg närvaro."
    plan.save()
    return plan


def test_letters_follow_positions():
    assert [letter_for(n) for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]


def test_goals_are_numbered_and_activities_lettered_in_order(plan_2026):
    goals = list(plan_2026.goals.all())
    assert [goal.position for goal in goals] == [1, 2, 3]
    assert [a.letter for a in goals[0].activities.all()] == ["a", "b"]


def test_removing_renumbers_without_gaps(plan_2026):
    goals = list(plan_2026.goals.all())
    remove_goal(goals[0])
    assert [(g.position, g.text) for g in plan_2026.goals.all()] == [(1, "Rutiner"), (2, "SIP")]
    goal = plan_2026.goals.get(position=1)
    extra = add_activity(goal, text="Extra")
    remove_activity(goal.activities.get(position=1))
    extra.refresh_from_db()
    assert extra.letter == "a"


def test_next_year_carries_only_unfinished_activities_without_follow_up(plan_2026, area):
    plan_2027 = start_plan(area, 2027)
    assert plan_2027.based_on == plan_2026
    goals = list(plan_2027.goals.all())
    # SIP had nothing left: it stays behind; the others keep their order, renumbered.
    assert [(g.position, g.text) for g in goals] == [
        (1, "Personal ska ha god kännedom hur samverkan fungerar"),
        (2, "Rutiner"),
    ]
    carried = list(goals[0].activities.all())
    assert [(a.letter, a.text, a.how, a.when) for a in carried] == [
        ("a", "Lokal samverkansdag", "Arbetsgruppen planerar", "1-2 ggr")
    ]
    second = goals[1].activities.get()
    assert second.follow_up == "" and not second.is_done
    assert second.carried_from.goal.plan == plan_2026
    # The old plan is untouched.
    assert PlanActivity.objects.filter(goal__plan=plan_2026).count() == 4
    assert plan_2027.comment == ""


def test_first_plan_is_empty(area):
    plan = start_plan(area, 2026)
    assert plan.based_on is None and not plan.goals.exists()


def test_a_year_once(plan_2026, area):
    with pytest.raises(PlanExists):
        start_plan(area, 2026)
    assert AreaPlan.objects.filter(area=area).count() == 1


def test_a_version_freezes_the_plan_with_its_follow_up(plan_2026, coordinator):
    version = save_version(
        plan_2026, kind=VersionKind.REVISION, decided_on=date(2026, 6, 1), user=coordinator
    )
    activity = PlanActivity.objects.get(text="Skriftlig rutin")
    activity.follow_up = "Påbörjat hösten 2026"
    activity.save()
    later = save_version(
        plan_2026, kind=VersionKind.ESTABLISHED, decided_on=date(2026, 12, 1), user=coordinator
    )
    assert (version.number, later.number) == (1, 2)
    first_note = version.snapshot["goals"][1]["activities"][0]["follow_up"]
    assert first_note == "Inte genomfört, bör finnas kvar"
    assert later.snapshot["goals"][1]["activities"][0]["follow_up"] == "Påbörjat hösten 2026"
    assert version.snapshot["comment"] == "Styrgruppen hade låg närvaro."


def test_public_version_is_the_latest_established_years_latest(plan_2026, area, coordinator):
    assert current_version(area) is None
    save_version(
        plan_2026, kind=VersionKind.REVISION, decided_on=date(2026, 2, 1), user=coordinator
    )
    assert current_version(area) is None  # a revision alone is not fastställd
    save_version(
        plan_2026, kind=VersionKind.ESTABLISHED, decided_on=date(2026, 3, 1), user=coordinator
    )
    revised = save_version(
        plan_2026, kind=VersionKind.REVISION, decided_on=date(2026, 9, 1), user=coordinator
    )
    start_plan(area, 2027)  # a draft for next year does not replace it
    assert current_version(area) == revised


def test_pdf_has_the_seed_columns_follow_up_and_comment(plan_2026, coordinator):
    html = plan_pdf_html(plan_2026)
    for heading in ("MÅL", "AKTIVITET", "HUR", "ANSVARIG", "NÄR"):
        assert f">{heading}<" in html
    assert "Inte genomfört, bör finnas kvar" in html
    assert "Styrgruppen hade låg närvaro." in html
    assert "Utkast" in html
    assert plan_pdf(plan_2026).startswith(b"%PDF")
