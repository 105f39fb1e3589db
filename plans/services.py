"""What the views ask of a handlingsplan: one function per rule.

Every change is written in one transaction together with its line in the
ärende's audit log ("plan.changed", "plan.frozen", "plan.signed"); the log holds
which field changed, never the text.
"""

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case

from .enums import PlanAction, SignatureMethod, SignerRole
from .models import TEXT_FIELDS, Action, ActionPlan, Goal, PlanVersion, Signature

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


# ---------------------------------------------------------------------------
# Finding and starting a plan
# ---------------------------------------------------------------------------


def earlier_plans(meeting):
    """Plans of the ärende's earlier meetings, the most recent first."""
    return (
        ActionPlan.objects.filter(
            meeting__case_id=meeting.case_id, meeting__starts_at__lt=meeting.starts_at
        )
        .exclude(meeting_id=meeting.pk)
        .order_by("-meeting__starts_at")
    )


def previous_plan_for(meeting) -> ActionPlan | None:
    """The plan of the most recent earlier meeting of the same ärende, else the förmöte's."""
    earlier = earlier_plans(meeting).first()
    if earlier is None and meeting.premeeting_id:
        earlier = ActionPlan.objects.filter(meeting_id=meeting.premeeting_id).first()
    return earlier


def get_or_create_plan(meeting) -> ActionPlan:
    """The meeting's plan; a new one starts from the previous plan (carry_over)."""
    plan = ActionPlan.objects.filter(meeting=meeting).first()
    if plan is None:
        try:
            with transaction.atomic():
                previous = previous_plan_for(meeting)
                plan = ActionPlan.objects.create(meeting=meeting, previous=previous)
                if previous is not None:
                    carry_over(plan=plan, previous=previous)
        except IntegrityError:
            # Two people opened the new plan at once: the other one created it.
            plan = ActionPlan.objects.get(meeting=meeting)
    plan.meeting = meeting
    return plan


def carry_over(*, plan: ActionPlan, previous: ActionPlan):
    """A follow-up plan starts with the previous plan's goals and open actions, each
    linked to its origin, and the same samordningsansvarig. Done actions stay in the
    previous plan and are shown as done from there."""
    plan.coordinator_name = previous.coordinator_name
    plan.coordinator_contact = previous.coordinator_contact
    plan.save(update_fields=["coordinator_name", "coordinator_contact"])
    old_goals = list(previous.goals.all())
    tops = [g for g in old_goals if g.parent_id is None]
    new_tops = Goal.objects.bulk_create(
        [Goal(plan=plan, text=g.text, position=g.position, origin=g) for g in tops]
    )
    parent_for = {old.pk: new for old, new in zip(tops, new_tops, strict=True)}
    Goal.objects.bulk_create(
        [
            Goal(
                plan=plan,
                parent=parent_for[g.parent_id],
                text=g.text,
                position=g.position,
                origin=g,
            )
            for g in old_goals
            if g.parent_id in parent_for
        ]
    )
    Action.objects.bulk_create(
        [
            Action(
                plan=plan,
                what=a.what,
                due_on=a.due_on,
                responsible_organisation_id=a.responsible_organisation_id,
                responsible_user_id=a.responsible_user_id,
                responsible_name=a.responsible_name,
                position=a.position,
                origin=a,
            )
            for a in previous.actions.filter(done_on__isnull=True)
        ]
    )


# ---------------------------------------------------------------------------
# Autosave: one field at a time, never over someone else's newer text
# ---------------------------------------------------------------------------


def save_plan_field(*, plan: ActionPlan, user, field: str, value: str, seen_version: int) -> int:
    """Save one of the plan's text fields; returns the field's new version.

    Raises Conflict when the field was saved by someone else after `seen_version`
    (and the texts differ): nothing is written. Saving the text already stored is
    a no-op, so a retried request never conflicts with itself.
    """
    if field not in TEXT_FIELDS:
        raise ValidationError(_("Okänt fält."))
    max_length = ActionPlan._meta.get_field(field).max_length
    if max_length and len(value) > max_length:
        raise ValidationError(
            _("Högst %(n)d tecken får plats i fältet.") % {"n": max_length}, code="max_length"
        )
    # The first write is tried on the row as this request read it (get_or_create_plan, a
    # moment ago) instead of reading it again: the UPDATE writes only while the revision
    # is the one read, so a save by someone else in between is caught there and the next
    # attempt reads the row afresh. A conflict or an unchanged text is only ever decided
    # on a fresh read.
    read = {
        field: getattr(plan, field),
        "field_versions": plan.field_versions,
        "revision": plan.revision,
    }
    writable = read[field] != value and int(read["field_versions"].get(field, 0)) == seen_version
    current = read if writable else None
    # A try on that earlier read comes on top of the usual fresh attempts.
    for _attempt in range(WRITE_ATTEMPTS + (1 if writable else 0)):
        if current is None:
            current = (
                ActionPlan.objects.filter(pk=plan.pk)
                .values(field, "field_versions", "revision")
                .get()
            )
        server_version = int(current["field_versions"].get(field, 0))
        if current[field] == value:
            return server_version
        if seen_version != server_version:
            raise Conflict(key=field, mine=value, theirs=current[field], version=server_version)
        versions = {**current["field_versions"], field: server_version + 1}
        now = timezone.now()
        with transaction.atomic():
            written = ActionPlan.objects.filter(pk=plan.pk, revision=current["revision"]).update(
                **{field: value},
                field_versions=versions,
                revision=F("revision") + 1,
                updated_at=now,
            )
            if written:
                _log(plan, user, PlanAction.CHANGED, field=field)
        if written:
            setattr(plan, field, value)
            plan.field_versions = versions
            plan.revision = current["revision"] + 1
            plan.updated_at = now
            return server_version + 1
        current = None
    raise Busy


def _save_row_field(*, model, plan, user, pk, attname, value, seen_version, key, log_field):
    for _attempt in range(WRITE_ATTEMPTS):
        row = model.objects.filter(pk=pk, plan=plan).values(attname, "version").first()
        if row is None:
            raise RowGone
        if row[attname] == value:
            return row["version"]
        if seen_version != row["version"]:
            raise Conflict(key=key, mine=value, theirs=row[attname], version=row["version"])
        with transaction.atomic():
            written = model.objects.filter(pk=pk, version=seen_version).update(
                **{attname: value}, version=F("version") + 1
            )
            if written:
                _touch(plan)
                _log(plan, user, PlanAction.CHANGED, field=log_field)
        if written:
            return seen_version + 1
    raise Busy


def save_goal_text(*, plan, user, goal_pk: int, value: str, seen_version: int) -> int:
    return _save_row_field(
        model=Goal,
        plan=plan,
        user=user,
        pk=goal_pk,
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
        attname=ACTION_FIELDS[field],
        value=value,
        seen_version=seen_version,
        key=f"action-{action_pk}-{field}",
        log_field=f"action.{field}",
    )
    if field == "done_on":
        _propagate_done(action_pk, value)
    return version


def _origin_chain(action_pk: int) -> list[int]:
    chain, seen = [], {action_pk}
    origin_id = Action.objects.filter(pk=action_pk).values_list("origin_id", flat=True).first()
    while origin_id and origin_id not in seen:
        chain.append(origin_id)
        seen.add(origin_id)
        origin_id = Action.objects.filter(pk=origin_id).values_list("origin_id", flat=True).first()
    return chain


def _propagate_done(action_pk: int, done_on):
    """An action carried over from earlier plans is one commitment: done everywhere."""
    chain = _origin_chain(action_pk)
    if chain:
        Action.objects.filter(pk__in=chain).update(done_on=done_on, version=F("version") + 1)


def mark_action_done(*, action: Action, user, done_on) -> Action:
    """Mina åtaganden: the action (and the earlier plans' copies of it) is done on a date."""
    if done_on is None:
        raise ValidationError({"done_on": _("Ange datum då insatsen blev klar.")})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("Datumet kan inte vara i framtiden.")})
    with transaction.atomic():
        Action.objects.filter(pk=action.pk).update(done_on=done_on, version=F("version") + 1)
        _propagate_done(action.pk, done_on)
        _touch(action.plan)
        _log(action.plan, user, PlanAction.CHANGED, field="action.done_on")
    action.done_on = done_on
    return action


# ---------------------------------------------------------------------------
# Rows: add, remove, move
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Whole-form save (without JavaScript)
# ---------------------------------------------------------------------------


@dataclass
class PlanChanges:
    """What a request asks to save, each with the version its sender saw:
    fields {name: (value, seen)}, goals {pk: (text, seen)},
    actions {pk: ({field: value}, seen)}. The autosave sends one entry, the
    ordinary (no-JS) form all of them."""

    fields: dict = dataclasses.field(default_factory=dict)
    goals: dict = dataclasses.field(default_factory=dict)
    actions: dict = dataclasses.field(default_factory=dict)

    def __len__(self):
        return len(self.fields) + len(self.goals) + sum(len(v) for v, _s in self.actions.values())


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
        key = f"goal-{pk}"
        try:
            result.versions[key] = save_goal_text(
                plan=plan, user=user, goal_pk=pk, value=value, seen_version=seen
            )
        except Conflict as conflict:
            result.conflicts.append(conflict)
        except RowGone:
            result.gone.append(key)
    for pk, (values, seen) in changes.actions.items():
        key = f"action-{pk}"
        # One version per row: each saved field moves it a step, so follow along.
        for name, value in values.items():
            try:
                seen = save_action_field(
                    plan=plan, user=user, action_pk=pk, field=name, value=value, seen_version=seen
                )
                result.versions[key] = seen
            except Conflict as conflict:
                result.conflicts.append(conflict)
                break
            except RowGone:
                result.gone.append(key)
                break
    return result


# ---------------------------------------------------------------------------
# Fastställ, versions and signatures
# ---------------------------------------------------------------------------


def snapshot_of(plan: ActionPlan) -> dict:
    """Everything a reader of this version needs, as plain JSON."""
    goals = list(plan.goals.all())
    subgoals: dict[int, list] = {}
    for g in goals:
        if g.parent_id:
            subgoals.setdefault(g.parent_id, []).append(g.text)
    actions = plan.actions.select_related("responsible_organisation", "responsible_user")
    meeting = plan.meeting
    attendance = []
    for p in meeting.participants.filter(removed_at__isnull=True).select_related("organisation"):
        attendance.append(
            {
                "name": p.name,
                "party": p.party_name,
                "kind": p.get_kind_display(),
                # meetings.Participant.attendance (present/remote/absent/excused) when it exists
                "attendance": getattr(p, "get_attendance_display", lambda: "")(),
            }
        )
    return {
        "individual": meeting.case.individual_name,
        "meeting": {
            "kind": meeting.get_kind_display(),
            "starts_at": meeting.starts_at.isoformat(),
            "place": meeting.place,
        },
        "fields": {name: getattr(plan, name) for name in TEXT_FIELDS},
        "goals": [
            {"text": g.text, "subgoals": subgoals.get(g.pk, [])} for g in goals if not g.parent_id
        ],
        "actions": [
            {
                "what": a.what,
                "due_on": a.due_on.isoformat() if a.due_on else None,
                "responsible": a.responsible_display,
                "done_on": a.done_on.isoformat() if a.done_on else None,
                "carried_over": a.origin_id is not None,
            }
            for a in actions
        ],
        "attendance": attendance,
    }


def freeze_plan(*, plan: ActionPlan, user) -> PlanVersion:
    """Fastställ: store this version as it stands; later edits become the next version."""
    plan.refresh_from_db()
    for _attempt in range(WRITE_ATTEMPTS):
        try:
            with transaction.atomic():
                number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
                version = PlanVersion.objects.create(
                    plan=plan, number=number, snapshot=snapshot_of(plan), frozen_by=user
                )
                _log(plan, user, PlanAction.FROZEN, version=number)
                return version
        except IntegrityError:
            continue  # someone else froze the same number a moment ago
    raise Busy


def sign_version(*, version: PlanVersion, user, role: str, method: str, name: str) -> Signature:
    """Underskrift by the individual or the responsible staff, once per role and version."""
    name = (name or "").strip()
    if role not in SignerRole.values or method not in SignatureMethod.values:
        raise ValidationError(_("Välj vem som signerar och hur."))
    if not name:
        raise ValidationError({"name": _("Ange namnet på den som signerar.")})
    if version.signatures.filter(role=role).exists():
        raise ValidationError(
            _("Den här versionen är redan signerad av %(role)s.")
            % {"role": SignerRole(role).label.lower()}
        )
    with transaction.atomic():
        signature = Signature.objects.create(
            version=version, role=role, method=method, name=name, recorded_by=user
        )
        _log(version.plan, user, PlanAction.SIGNED, version=version.number, role=role)
    return signature


# ---------------------------------------------------------------------------
# Commitments
# ---------------------------------------------------------------------------


def tracked_actions(user):
    """Actions the user may see (their ärende is visible), newest copy of each only."""
    return (
        Action.objects.filter(
            plan__meeting__case__in=Case.objects.visible_to(user),
            carried_over__isnull=True,
        )
        .exclude(what="")
        .select_related(
            "responsible_organisation",
            "responsible_user",
            "plan__meeting__case",
        )
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def commitments_for(user):
    """Mina åtaganden: my organisation's actions and those I am named for."""
    rule = Q(responsible_user=user)
    if user.organisation_id:
        rule |= Q(responsible_organisation_id=user.organisation_id)
    return tracked_actions(user).filter(rule)


def commitments_of_organisation(user, organisation_id: int):
    return tracked_actions(user).filter(responsible_organisation_id=organisation_id)


def previous_plan_actions(meeting) -> list[Action]:
    """The previous plan's actions with their state, for the meeting page.

    The plan is the one :func:`previous_plan_for` picks, found here as a subquery of
    the actions' query: the page reads plan and actions in one round trip.
    """
    plan = Subquery(earlier_plans(meeting).values("pk")[:1])
    if meeting.premeeting_id:
        premeeting_plan = ActionPlan.objects.filter(meeting_id=meeting.premeeting_id)
        plan = Coalesce(plan, Subquery(premeeting_plan.values("pk")[:1]))
    return list(
        Action.objects.filter(plan_id=plan)
        .exclude(what="")
        .select_related("responsible_organisation", "responsible_user")
    )


# ---------------------------------------------------------------------------
# After the meeting: distribution of the fastställda plan, and the follow-up
# ---------------------------------------------------------------------------

PLAN_BUILDER = "plans.plan_pdf"
DISTRIBUTED = "plan.distributed"  # CaseEvent.action


def latest_version(plan: ActionPlan) -> PlanVersion | None:
    return plan.versions.select_related("frozen_by").order_by("-number").first()


def individual_by_email(case) -> bool:
    """The individual asked for e-mail and gave an address; otherwise a letter by post."""
    from cases.enums import ContactPreference

    return case.contact_preference == ContactPreference.EMAIL and bool(case.email)


def _plan_mail(*, plan, version, to_email, to_name, related, template, for_individual):
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import formats

    from meetings.services.documents import redact_personnummer
    from meetings.services.invitations import absolute, html_from_text
    from outbox.services import queue_message

    meeting = plan.meeting
    day = formats.date_format(timezone.localtime(meeting.starts_at), "j F Y")
    context = {
        "meeting": meeting,
        "name": to_name,
        "day": day,
        "version": version,
        "plan_url": absolute(version.get_absolute_url()),
        "pdf_url": absolute(reverse("plans:pdf", args=[meeting.pk]) + f"?version={version.number}"),
        "coordinator_name": plan.coordinator_name,
        "coordinator_contact": plan.coordinator_contact,
    }
    text = redact_personnummer(render_to_string(f"plans/email/{template}.txt", context))
    subject = _("Handlingsplan från %(kind)s %(day)s") % {
        "kind": meeting.get_kind_display().lower(),
        "day": day,
    }
    return queue_message(
        to_email=to_email,
        to_name=to_name,
        reply_to=meeting.convened_by.email,
        subject=subject,
        text_body=text,
        html_body=html_from_text(text),
        attachments_builder=PLAN_BUILDER,
        builder_args={
            "plan": plan.pk,
            "version": version.number,
            "individual": for_individual,
        },
        related=related,
    )


def distribute_plan(*, plan: ActionPlan, user) -> int:
    """ "Skicka handlingsplanen": the latest fastställd version to every participant
    (not removed; present or not) who has an e-mail address, with a link that
    requires login, and to the individual by e-mail (with the PDF) when they asked
    for e-mail; otherwise the individual gets the letter PDF by post (printed from
    the plan page). Refused before the plan is fastställd. Records "plan.distributed".
    Returns the number of messages queued."""
    from meetings.enums import ParticipantKind

    version = latest_version(plan)
    if version is None:
        raise ValidationError(_("Fastställ handlingsplanen innan den skickas."))
    meeting = plan.meeting
    case = meeting.case
    people = list(
        meeting.participants.filter(removed_at__isnull=True).select_related("organisation")
    )
    individual = next((p for p in people if p.kind == ParticipantKind.INDIVIDUAL), None)
    sent = 0
    with transaction.atomic():
        for participant in people:
            if participant.kind == ParticipantKind.INDIVIDUAL or not participant.email:
                continue
            _plan_mail(
                plan=plan,
                version=version,
                to_email=participant.email,
                to_name=participant.name,
                related=participant,
                template="plan",
                for_individual=False,
            )
            sent += 1
        by_email = individual_by_email(case)
        if by_email:
            _plan_mail(
                plan=plan,
                version=version,
                to_email=case.email,
                to_name=case.individual_name,
                related=individual or case,
                template="plan_individual",
                for_individual=True,
            )
            sent += 1
        case.log(
            user,
            DISTRIBUTED,
            meeting=meeting.pk,
            version=version.number,
            count=sent,
            individual="email" if by_email else "letter",
        )
    return sent


def delivery_states(plan: ActionPlan, participants) -> dict:
    """The latest plan message per participant pk (and "case" for the individual
    when they are not a participant), for the plan page."""
    from outbox.services import messages_for

    states = messages_for(participants, attachments_builder=PLAN_BUILDER)
    case_message = messages_for([plan.meeting.case], attachments_builder=PLAN_BUILDER)
    if case_message:
        states["case"] = next(iter(case_message.values()))
    return states


# --- "Boka uppföljning" ---------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "januari"),
            ("feb", "februari"),
            ("mar", "mars"),
            ("apr", "april"),
            ("maj",),
            ("jun", "juni"),
            ("jul", "juli"),
            ("aug", "augusti"),
            ("sep", "sept", "september"),
            ("okt", "oktober"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def parse_follow_up_when(text: str, *, today=None):
    """The date and time in the free-text "När" of the follow-up, as far as they can be
    read: "2025-05-14 kl 10", "14 maj 2025 13.30", "14/5 kl. 9:00". (date|None, time|None)."""
    import re
    from datetime import date, time

    today = today or timezone.localdate()
    text = (text or "").lower()
    day = None
    clock = None
    iso = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", text)
    named = re.search(r"\b(\d{1,2})\s*([a-zåäö]{3,9})\.?(?:\s+(\d{4}))?\b", text)
    slash = re.search(r"\b(\d{1,2})/(\d{1,2})(?:[/-](\d{2,4}))?\b", text)
    try:
        if iso:
            day = date(int(iso[1]), int(iso[2]), int(iso[3]))
            text = text.replace(iso[0], " ")
        elif named and named[2] in _MONTHS:
            year = int(named[3]) if named[3] else None
            day = date(year or today.year, _MONTHS[named[2]], int(named[1]))
            if year is None and day < today:
                day = day.replace(year=today.year + 1)
            text = text.replace(named[0], " ")
        elif slash:
            year = slash[3]
            year = (2000 + int(year) if len(year) == 2 else int(year)) if year else None
            day = date(year or today.year, int(slash[2]), int(slash[1]))
            if year is None and day < today:
                day = day.replace(year=today.year + 1)
            text = text.replace(slash[0], " ")
    except ValueError:
        day = None
    hm = re.search(r"\b(?:kl\.?\s*)?([01]?\d|2[0-3])[:.]([0-5]\d)\b", text) or re.search(
        r"\bkl\.?\s*([01]?\d|2[0-3])\b()", text
    )
    if hm:
        clock = time(int(hm[1]), int(hm[2] or 0))
    return day, clock


def follow_up_initial(meeting, *, user=None) -> tuple[dict, list]:
    """ "Boka uppföljning": the booking form's initial data for the next meeting, from
    this meeting's plan: an avstämningsmöte with the same participants (not removed),
    on the date and time agreed under "Uppföljning / nästa möte" when they can be read.
    Returns (initial, externals) like BookMeetingView.initial_from_premeeting; `user`
    (the one booking, who is added anyway) is left out of the staff."""
    from django.utils import formats

    from meetings.enums import MeetingKind, ParticipantKind

    plan = ActionPlan.objects.filter(meeting=meeting).first()
    people = list(meeting.participants.filter(removed_at__isnull=True))
    day = formats.date_format(timezone.localtime(meeting.starts_at), "j F Y")
    initial = {
        "kind": MeetingKind.CHECKPOINT,
        "purpose": _("Uppföljning av handlingsplanen från %(day)s") % {"day": day},
        "contacts": [p.contact_person_id for p in people if p.contact_person_id],
        "staff": [
            p.user_id for p in people if p.user_id and p.user_id != getattr(user, "pk", None)
        ],
        "individual_attends": True,
        "questions": _("Hur har det gått med det vi bestämde? Behöver planen ändras?"),
    }
    support = [p.name for p in people if p.kind == ParticipantKind.SUPPORT_PERSON]
    if support:
        initial["support_person"] = support[0]
    if plan is not None:
        when_day, when_time = parse_follow_up_when(plan.follow_up_when)
        if when_day is not None:
            initial["date"] = when_day
        if when_time is not None:
            initial["start_time"] = when_time
        if plan.follow_up_where:
            initial["location"] = plan.follow_up_where
    externals = [
        {"name": p.name, "organisation_name": p.organisation_name, "email": p.email}
        for p in people
        if p.kind == ParticipantKind.EXTERNAL
    ]
    return initial, externals


def follow_up_url(meeting) -> str:
    """ "Boka uppföljning": the booking page for the same participants, with the agreed
    day, time and place read from the plan carried in the link."""
    from urllib.parse import urlencode

    from django.urls import reverse

    initial, _externals = follow_up_initial(meeting)
    params = {"uppfoljning": meeting.pk}
    if initial.get("date"):
        params["datum"] = initial["date"].isoformat()
    if initial.get("start_time"):
        params["tid"] = initial["start_time"].strftime("%H:%M")
    if initial.get("location"):
        params["plats"] = initial["location"]
    return reverse("meetings:book", args=[meeting.case_id]) + "?" + urlencode(params)
