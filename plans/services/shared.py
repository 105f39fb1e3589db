"""What the plan services share: the errors they raise, the audit line, the plan's revision."""

from datetime import datetime, timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from cases.models import CaseEvent

from ..enums import PlanAction
from ..models import ActionPlan

# Optimistic writes retry this often when another save got in between read and write.
WRITE_ATTEMPTS = 5
# The autosave saves a field every few seconds while someone types: one "plan changed"
# row per field, user and this long is what the history needs (who changed it, when).
CHANGE_LOG_WINDOW = timedelta(seconds=60)


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


def _log_field_change(plan: ActionPlan, user, field: str, *, now: datetime | None = None):
    """ "Plan changed" for one field, at most once per CHANGE_LOG_WINDOW for the same plan,
    field and user: a row of theirs for it within the window already tells who changed it
    and when. One query (the ärende's rows are indexed) to look, one to write; call it in
    the transaction of the change. Returns the new row, or None when one was recent."""
    now = now or timezone.now()
    case_id = plan.meeting.case_id
    recent = CaseEvent.objects.filter(
        case_id=case_id,
        action=PlanAction.CHANGED,
        user=user,
        at__gt=now - CHANGE_LOG_WINDOW,
        at__lte=now,
        data__meeting=plan.meeting_id,
        data__field=field,
    )
    if recent.exists():
        return None
    return CaseEvent.objects.create(
        case_id=case_id,
        user=user,
        action=PlanAction.CHANGED,
        data={"meeting": plan.meeting_id, "field": field},
        at=now,
    )


def log_read_once(plan: ActionPlan, user, *, page: str):
    """ "Plan viewed" on `page` at most once per CHANGE_LOG_WINDOW per plan and reader: an
    open page fetches what others saved many times a minute."""
    now = timezone.now()
    recent = CaseEvent.objects.filter(
        case_id=plan.meeting.case_id,
        action=PlanAction.VIEWED,
        user=user,
        at__gt=now - CHANGE_LOG_WINDOW,
        data__meeting=plan.meeting_id,
        data__page=page,
    )
    if not recent.exists():
        _log(plan, user, PlanAction.VIEWED, page=page)


def saved_stamp(user, now: datetime) -> dict:
    """Who saved a field and when, as the field's status shows it: "Maria Björk, FK"."""
    name = str(user)
    organisation = getattr(user, "organisation", None)
    if organisation is not None:
        name = f"{name}, {organisation}"
    return {"by": name, "at": now.isoformat()}


def _touch(plan: ActionPlan):
    """Row changes count as changes of the plan (for 'changed since version N')."""
    now = timezone.now()
    ActionPlan.objects.filter(pk=plan.pk).update(updated_at=now, revision=F("revision") + 1)
    plan.updated_at = now
