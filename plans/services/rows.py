"""Row operations on goals and actions: add, remove, move."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ..enums import PlanAction
from ..models import Action, Goal
from .shared import _log, _touch


def _next_position(queryset) -> int:
    top = queryset.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def add_goal(*, plan, user, parent: Goal | None = None) -> Goal:
    if parent is not None and parent.parent_id is not None:
        raise ValidationError(_("Ett delmål kan inte ha egna delmål."))
    siblings = plan.goals.filter(parent=parent)
    goal = Goal.objects.create(plan=plan, parent=parent, position=_next_position(siblings))
    _touch(plan)
    _log(plan, user, PlanAction.CHANGED, field="goal.added")
    return goal


@transaction.atomic
def remove_goal(*, plan, user, goal: Goal):
    goal.delete()  # its delmål go with it
    _touch(plan)
    _log(plan, user, PlanAction.CHANGED, field="goal.removed")


@transaction.atomic
def add_action(*, plan, user) -> Action:
    action = Action.objects.create(plan=plan, position=_next_position(plan.actions.all()))
    _touch(plan)
    _log(plan, user, PlanAction.CHANGED, field="action.added")
    return action


@transaction.atomic
def remove_action(*, plan, user, action: Action):
    action.delete()
    _touch(plan)
    _log(plan, user, PlanAction.CHANGED, field="action.removed")


def _move(row, siblings, direction: int) -> bool:
    rows = list(siblings)
    for i, r in enumerate(rows):  # renumber: carried-over rows may share positions
        r.position = i
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    other = index + direction
    if not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    for i, r in enumerate(rows):
        r.position = i
    type(row).objects.bulk_update(rows, ["position"])
    return True


@transaction.atomic
def move_goal(*, plan, user, goal: Goal, direction: int) -> bool:
    """Move a goal one step up (-1) or down (+1) among its siblings."""
    moved = _move(goal, plan.goals.filter(parent_id=goal.parent_id), direction)
    if moved:
        _touch(plan)
        _log(plan, user, PlanAction.CHANGED, field="goal.moved")
    return moved


@transaction.atomic
def move_action(*, plan, user, action: Action, direction: int) -> bool:
    moved = _move(action, plan.actions.all(), direction)
    if moved:
        _touch(plan)
        _log(plan, user, PlanAction.CHANGED, field="action.moved")
    return moved
