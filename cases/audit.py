"""The audit trail's action types, gathered from the apps that write them.

Each app declares the actions it writes to ``CaseEvent.action`` as a ``TextChoices``
(``cases.enums.CaseAction``, ``consent.enums.ConsentAction``, ``meetings.enums.MeetingAction``,
``plans.enums.PlanAction``) and registers it here from its ``AppConfig.ready()``: the ärende's
history names every row without cases importing the apps above it. The stored strings are
in the database, so a value is never renamed; an action nobody registered (one written by
an app since removed) is shown by its stored string rather than not at all.

An app also names which of its actions are *reads* (a page, list or document showed the
individual's data): "Vem har läst ärendet" and the registerutdrag list those rows.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import TextChoices

# Labels stay lazy: each request shows them in its own language.
_labels: dict[str, Any] = {}
_declared_by: dict[str, str] = {}
_types: dict[str, type[TextChoices]] = {}
_reads: set[str] = set()


def register_actions(choices: type[TextChoices], *, reads: Iterable[str] = ()) -> None:
    """Make the labels of ``choices`` known to the history, and which of them are reads.
    Registering the same class again changes nothing; a stored string declared by two
    classes is refused, and so is a read that is not one of ``choices``."""
    owner = f"{choices.__module__}.{choices.__qualname__}"
    for member in choices:
        declared_by = _declared_by.get(member.value, owner)
        if declared_by != owner:
            raise ImproperlyConfigured(
                f"The audit action {member.value!r} is declared by both {declared_by} and {owner}."
            )
    reads = {str(value) for value in reads}
    if not reads <= set(choices.values):
        raise ImproperlyConfigured(f"Reads not declared by {owner}: {sorted(reads)}")
    for member in choices:
        _declared_by[member.value] = owner
        _labels[member.value] = member.label
    _types[owner] = choices
    _reads.update(reads)


def registered_types() -> list[type[TextChoices]]:
    """The registered action types, in the order the apps registered them."""
    return list(_types.values())


def registered_actions() -> dict[str, str]:
    """{stored action: label} of every registered action type."""
    return {value: str(label) for value, label in _labels.items()}


def read_actions() -> list[str]:
    """The stored strings of every registered read action (for a query's ``action__in``)."""
    return sorted(_reads)


def action_label(action: str) -> str:
    """What the history shows for ``action``: its label, else the stored string itself."""
    label = _labels.get(action)
    return str(label) if label else (action or "–")
