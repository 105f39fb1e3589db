"""What every open page of a plan polls for (issue 17): each field's saved value, version
and who saved it, and which rows there are. Read in three queries whatever the plan's size
(the plan, its goals, its actions); the page asks with the plan's revision as ETag and gets
304 (one query) while nothing has changed."""

from ..models import TEXT_FIELDS, Action, ActionPlan, Goal
from .autosave import ACTION_FIELDS


def plan_etag(meeting_pk: int, revision) -> str:
    return f'"plan-{meeting_pk}-{revision or 0}"'


def _value(value) -> str:
    """As the page's input holds it: text, a date's ISO form, a select's id, or ''."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _entry(value, versions, saved, field):
    return {
        "value": _value(value),
        "version": int(versions.get(field, 0)),
        "saved": saved.get(field),
    }


def live_state(plan: ActionPlan) -> dict:
    """{"revision", "fields": {input key: {value, version, saved}}, "goals": [pk...],
    "actions": [pk...]}: the input keys are those of the page (plans/markup.py)."""
    row = (
        ActionPlan.objects.filter(pk=plan.pk)
        .values(*TEXT_FIELDS, "field_versions", "field_saved", "revision")
        .get()
    )
    fields = {
        name: _entry(row[name], row["field_versions"], row["field_saved"], name)
        for name in TEXT_FIELDS
    }
    goals = []
    for goal in Goal.objects.filter(plan_id=plan.pk).values(
        "pk", "parent_id", "text", "field_versions", "field_saved"
    ):
        goals.append(goal["pk"])
        fields[f"goal-{goal['pk']}-text"] = _entry(
            goal["text"], goal["field_versions"], goal["field_saved"], "text"
        )
    actions = []
    columns = list(ACTION_FIELDS.values())
    for action in Action.objects.filter(plan_id=plan.pk).values(
        "pk", *columns, "field_versions", "field_saved"
    ):
        actions.append(action["pk"])
        for name, attname in ACTION_FIELDS.items():
            fields[f"action-{action['pk']}-{name}"] = _entry(
                action[attname], action["field_versions"], action["field_saved"], name
            )
    return {"revision": row["revision"], "fields": fields, "goals": goals, "actions": actions}
