"""load_demo_data gives Samverk Eksjö its 2026 handlingsplan from the seed, once."""

from django.core.management import call_command

from areaplans.models import AreaPlan, AreaPlanVersion, PlanActivity
from areaplans.services.versions import current_version


def test_eksjo_plan_loaded_once(db):
    call_command("load_demo_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    plan = AreaPlan.objects.get(area__slug="eksjo")
    assert plan.year == 2026
    assert [goal.position for goal in plan.goals.all()] == [1, 2, 3, 4, 5, 6]
    first = plan.goals.get(position=1)
    assert [a.letter for a in first.activities.all()] == ["a", "b", "c", "d", "e"]
    assert PlanActivity.objects.filter(goal__plan=plan).count() == 12
    assert AreaPlanVersion.objects.filter(plan=plan).count() == 2
    shown = current_version(plan.area)
    assert shown.number == 2
    assert shown.snapshot["goals"][1]["activities"][0]["follow_up"].startswith("Inte genomfört")
    assert "Arbetsgruppen har träffats" in shown.snapshot["comment"]
