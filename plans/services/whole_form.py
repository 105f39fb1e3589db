"""Whole-form save (without JavaScript): every posted field at once."""

import dataclasses
from dataclasses import dataclass

from .autosave import save_action_field, save_goal_text, save_plan_field
from .shared import Conflict, RowGone


@dataclass
class PlanChanges:
    """What a request asks to save, each with the version its sender saw:
    fields {name: (value, seen)}, goals {pk: (text, seen)},
    actions {pk: {field: (value, seen)}}: versions per field, rows' too. The autosave
    sends one entry, the ordinary (no-JS) form all of them."""

    fields: dict = dataclasses.field(default_factory=dict)
    goals: dict = dataclasses.field(default_factory=dict)
    actions: dict = dataclasses.field(default_factory=dict)

    def __len__(self):
        return len(self.fields) + len(self.goals) + sum(len(v) for v in self.actions.values())


@dataclass
class SaveResult:
    versions: dict = dataclasses.field(default_factory=dict)  # version input key -> new version
    conflicts: list = dataclasses.field(default_factory=list)
    gone: list = dataclasses.field(default_factory=list)  # version keys of rows removed meanwhile


def save_changes(*, plan, user, changes: PlanChanges) -> SaveResult:
    """Save what was posted; fields with a conflict are left as they are on the server."""
    result = SaveResult()
    for name, (value, seen) in changes.fields.items():
        try:
            result.versions[name] = save_plan_field(
                plan=plan, user=user, field=name, value=value, seen_version=seen
            )
        except Conflict as conflict:
            result.conflicts.append(conflict)
    for pk, (value, seen) in changes.goals.items():
        key = f"goal-{pk}-text"
        try:
            result.versions[key] = save_goal_text(
                plan=plan, user=user, goal_pk=pk, value=value, seen_version=seen
            )
        except Conflict as conflict:
            result.conflicts.append(conflict)
        except RowGone:
            result.gone.append(key)
    for pk, values in changes.actions.items():
        for name, (value, seen) in values.items():
            key = f"action-{pk}-{name}"
            try:
                result.versions[key] = save_action_field(
                    plan=plan, user=user, action_pk=pk, field=name, value=value, seen_version=seen
                )
            except Conflict as conflict:
                result.conflicts.append(conflict)
            except RowGone:
                result.gone.append(key)
                break
    return result
