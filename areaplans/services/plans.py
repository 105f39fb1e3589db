"""Writing the area's handlingsplan: a plan per year, its mål and aktiviteter, and the next
year's plan started from the last."""

from django.db import transaction
from django.db.models import Max, Prefetch

from groups.models import Assignment

from ..models import AreaPlan, PlanActivity, PlanGoal


def plan_with_rows(queryset=None):
    """Plans with their mål and each mål's aktiviteter, in three queries whatever the size."""
    queryset = AreaPlan.objects.all() if queryset is None else queryset
    return queryset.select_related("area").prefetch_related(
        Prefetch(
            "goals",
            queryset=PlanGoal.objects.prefetch_related(
                Prefetch(
                    "activities",
                    queryset=PlanActivity.objects.prefetch_related(
                        Prefetch(
                            "assignments",
                            queryset=Assignment.objects.select_related("owner").order_by(
                                "due_on", "pk"
                            ),
                        )
                    ).order_by("position", "pk"),
                )
            ).order_by("position", "pk"),
        )
    )


def _next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def add_goal(plan: AreaPlan, text: str) -> PlanGoal:
    """A new mål, numbered after the last."""
    with transaction.atomic():
        AreaPlan.objects.select_for_update().get(pk=plan.pk)
        return PlanGoal.objects.create(
            plan=plan, position=_next_position(plan.goals.all()), text=text
        )


def add_activity(goal: PlanGoal, **fields) -> PlanActivity:
    """A new aktivitet, lettered after the mål's last."""
    with transaction.atomic():
        PlanGoal.objects.select_for_update().get(pk=goal.pk)
        return PlanActivity.objects.create(
            goal=goal, position=_next_position(goal.activities.all()), **fields
        )


def renumber(plan: AreaPlan) -> None:
    """Mål 1, 2, 3 … and aktiviteter a, b, c … without gaps (after a removal)."""
    for number, goal in enumerate(plan.goals.order_by("position", "pk"), start=1):
        if goal.position != number:
            PlanGoal.objects.filter(pk=goal.pk).update(position=number)
        for letter, activity in enumerate(goal.activities.order_by("position", "pk"), start=1):
            if activity.position != letter:
                PlanActivity.objects.filter(pk=activity.pk).update(position=letter)


def remove_goal(goal: PlanGoal) -> None:
    plan = goal.plan
    with transaction.atomic():
        goal.delete()
        renumber(plan)


def remove_activity(activity: PlanActivity) -> None:
    plan = activity.goal.plan
    with transaction.atomic():
        activity.delete()
        renumber(plan)


class PlanExists(Exception):
    """The area already has a plan for that year."""


def start_plan(area, year: int) -> AreaPlan:
    """The area's plan for ``year``: from the latest earlier plan, carrying every aktivitet
    that is not genomförd (a mål with none left stays behind), or empty when there is none.
    Follow-up notes stay with the old plan (and its versions): the new year starts blank."""
    with transaction.atomic():
        if AreaPlan.objects.filter(area=area, year=year).exists():
            raise PlanExists
        previous = (
            plan_with_rows(AreaPlan.objects.filter(area=area, year__lt=year))
            .order_by("-year")
            .first()
        )
        plan = AreaPlan.objects.create(area=area, year=year, based_on=previous)
        if previous is None:
            return plan
        number = 0
        for old_goal in previous.goals.all():
            left = [activity for activity in old_goal.activities.all() if not activity.is_done]
            if not left:
                continue
            number += 1
            goal = PlanGoal.objects.create(plan=plan, position=number, text=old_goal.text)
            PlanActivity.objects.bulk_create(
                PlanActivity(
                    goal=goal,
                    position=letter,
                    text=old.text,
                    how=old.how,
                    responsible=old.responsible,
                    when=old.when,
                    carried_from=old,
                )
                for letter, old in enumerate(left, start=1)
            )
        return plan
