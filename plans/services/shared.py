"""What the plan services share: the errors they raise, the audit line, the plan's revision."""

from typing import Any

from django.db.models import F
from django.utils import timezone

from ..models import ActionPlan

# Optimistic writes retry this often when another save got in between read and write.
WRITE_ATTEMPTS = 5


class Conflict(Exception):
    """Someone saved the field after the sender last saw it; nothing was written."""

    def __init__(self, *, key: str, mine: Any, theirs: Any, version: int):
        super().__init__(key)
        self.key = key
        self.mine = mine
        self.theirs = theirs
        self.version = version


class RowGone(Exception):
    """The goal or action was removed (by someone else) while it was being edited."""


class Busy(Exception):
    """Too many simultaneous writes; the client retries."""


def _log(plan: ActionPlan, user, action: str, **data):
    plan.meeting.case.log(user, action, meeting=plan.meeting_id, **data)


def _touch(plan: ActionPlan):
    """Row changes count as changes of the plan (for 'changed since version N')."""
    now = timezone.now()
    ActionPlan.objects.filter(pk=plan.pk).update(updated_at=now, revision=F("revision") + 1)
    plan.updated_at = now
