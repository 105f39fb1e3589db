"""Autosave: one field at a time, never over someone else's newer text.

Every change is written in one transaction together with its line in the
ärende's audit log ("plan.changed"); the log holds which field changed, never the text,
and one line per field, user and minute (shared.CHANGE_LOG_WINDOW), not one per save.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.forms import too_long

from ..enums import PlanAction
from ..models import TEXT_FIELDS, Action, ActionPlan, Goal, text_limit
from .shared import (
    WRITE_ATTEMPTS,
    Busy,
    Conflict,
    RowGone,
    _log,
    _log_field_change,
    _touch,
    saved_stamp,
)


def save_plan_field(*, plan: ActionPlan, user, field: str, value: str, seen_version: int) -> int:
    """Save one of the plan's text fields; returns the field's new version.

    Raises Conflict when the field was saved by someone else after `seen_version`
    (and the texts differ): nothing is written. Saving the text already stored is
    a no-op, so a retried request never conflicts with itself.
    """
    if field not in TEXT_FIELDS:
        raise ValidationError(_("Okänt fält."))
    if message := too_long(value, text_limit(field)):
        raise ValidationError(message, code="max_length")
    # The first write is tried on the row as this request read it (get_or_create_plan, a
    # moment ago) instead of reading it again: the UPDATE writes only while the revision
    # is the one read, so a save by someone else in between is caught there and the next
    # attempt reads the row afresh. A conflict or an unchanged text is only ever decided
    # on a fresh read.
    read = {
        field: getattr(plan, field),
        "field_versions": plan.field_versions,
        "field_saved": plan.field_saved,
        "revision": plan.revision,
    }
    writable = read[field] != value and int(read["field_versions"].get(field, 0)) == seen_version
    current = read if writable else None
    # A try on that earlier read comes on top of the usual fresh attempts.
    for _attempt in range(WRITE_ATTEMPTS + (1 if writable else 0)):
        if current is None:
            current = (
                ActionPlan.objects.filter(pk=plan.pk)
                .values(field, "field_versions", "field_saved", "revision")
                .get()
            )
        server_version = int(current["field_versions"].get(field, 0))
        if current[field] == value:
            return server_version
        if seen_version != server_version:
            raise Conflict(key=field, mine=value, theirs=current[field], version=server_version)
        versions = {**current["field_versions"], field: server_version + 1}
        now = timezone.now()
        stamps = {**current["field_saved"], field: saved_stamp(user, now)}
        with transaction.atomic():
            written = ActionPlan.objects.filter(pk=plan.pk, revision=current["revision"]).update(
                **{field: value},
                field_versions=versions,
                field_saved=stamps,
                revision=F("revision") + 1,
                updated_at=now,
            )
            if written:
                _log_field_change(plan, user, field, now=now)
        if written:
            setattr(plan, field, value)
            plan.field_versions = versions
            plan.field_saved = stamps
            plan.revision = current["revision"] + 1
            plan.updated_at = now
            return server_version + 1
        current = None
    raise Busy


def _save_row_field(*, model, plan, user, pk, field, attname, value, seen_version, key, log_field):
    """One field of a goal or action row, guarded by that field's own version: a save of
    another field of the row in between is no conflict (the row's `version` only makes
    the UPDATE conditional, so neither write is lost)."""
    for _attempt in range(WRITE_ATTEMPTS):
        row = (
            model.objects.filter(pk=pk, plan=plan)
            .values(attname, "version", "field_versions", "field_saved")
            .first()
        )
        if row is None:
            raise RowGone
        server_version = int(row["field_versions"].get(field, 0))
        if row[attname] == value:
            return server_version
        if seen_version != server_version:
            raise Conflict(key=key, mine=value, theirs=row[attname], version=server_version)
        now = timezone.now()
        with transaction.atomic():
            written = model.objects.filter(pk=pk, version=row["version"]).update(
                **{attname: value},
                field_versions={**row["field_versions"], field: server_version + 1},
                field_saved={**row["field_saved"], field: saved_stamp(user, now)},
                version=F("version") + 1,
            )
            if written:
                _touch(plan)
                _log_field_change(plan, user, log_field, now=now)
        if written:
            return server_version + 1
    raise Busy


def save_goal_text(*, plan, user, goal_pk: int, value: str, seen_version: int) -> int:
    return _save_row_field(
        model=Goal,
        plan=plan,
        user=user,
        pk=goal_pk,
        field="text",
        attname="text",
        value=value,
        seen_version=seen_version,
        key=f"goal-{goal_pk}-text",
        log_field="goal.text",
    )


ACTION_FIELDS = {
    # form name -> model attname
    "what": "what",
    "due_on": "due_on",
    "responsible_organisation": "responsible_organisation_id",
    "responsible_user": "responsible_user_id",
    "responsible_participant": "responsible_participant_id",
    "responsible_name": "responsible_name",
    "done_on": "done_on",
}


def save_action_field(*, plan, user, action_pk: int, field: str, value, seen_version: int) -> int:
    """Save one field of an action row (value already parsed: str, date or pk)."""
    version = _save_row_field(
        model=Action,
        plan=plan,
        user=user,
        pk=action_pk,
        field=field,
        attname=ACTION_FIELDS[field],
        value=value,
        seen_version=seen_version,
        key=f"action-{action_pk}-{field}",
        log_field=f"action.{field}",
    )
    if field == "done_on":
        _propagate_done(action_pk, value, user)
    return version


def _origin_chain(action_pk: int) -> list[int]:
    chain, seen = [], {action_pk}
    origin_id = Action.objects.filter(pk=action_pk).values_list("origin_id", flat=True).first()
    while origin_id and origin_id not in seen:
        chain.append(origin_id)
        seen.add(origin_id)
        origin_id = Action.objects.filter(pk=origin_id).values_list("origin_id", flat=True).first()
    return chain


def _set_done(pks, done_on, user=None):
    """Klart datum on these actions, each one's done_on version a step on (open pages
    then see it as someone else's save)."""
    now = timezone.now()
    for row in Action.objects.filter(pk__in=pks).values("pk", "field_versions", "field_saved"):
        versions = {
            **row["field_versions"],
            "done_on": int(row["field_versions"].get("done_on", 0)) + 1,
        }
        saved = row["field_saved"]
        if user is not None:
            saved = {**saved, "done_on": saved_stamp(user, now)}
        Action.objects.filter(pk=row["pk"]).update(
            done_on=done_on, field_versions=versions, field_saved=saved, version=F("version") + 1
        )


def _propagate_done(action_pk: int, done_on, user=None):
    """An action carried over from earlier plans is one commitment: done everywhere."""
    chain = _origin_chain(action_pk)
    if chain:
        _set_done(chain, done_on, user)


def mark_action_done(*, action: Action, user, done_on) -> Action:
    """Mina åtaganden: the action (and the earlier plans' copies of it) is done on a date."""
    if done_on is None:
        raise ValidationError({"done_on": _("Ange datum då insatsen blev klar.")})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("Datumet kan inte vara i framtiden.")})
    with transaction.atomic():
        _set_done([action.pk], done_on, user)
        _propagate_done(action.pk, done_on, user)
        _touch(action.plan)
        _log(action.plan, user, PlanAction.CHANGED, field="action.done_on")
    action.done_on = done_on
    return action
