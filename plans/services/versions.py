"""Fastställ, versions and signatures."""

import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..enums import PlanAction, SignatureMethod, SignerRole
from ..models import TEXT_FIELDS, ActionPlan, PlanVersion, Signature
from .shared import WRITE_ATTEMPTS, Busy, _log


def snapshot_of(plan: ActionPlan) -> dict:
    """Everything a reader of this version needs, as plain JSON."""
    goals = list(plan.goals.all())
    subgoals: dict[int, list] = {}
    for g in goals:
        if g.parent_id:
            subgoals.setdefault(g.parent_id, []).append(g.text)
    actions = plan.actions.select_related(
        "responsible_organisation", "responsible_user", "responsible_participant"
    )
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
    """Fastställ: store this version as it stands; later edits become the next version.

    One version per fastställ: a plan unchanged since its last version (a double click,
    six clicks at once, "Fastställ" again without an edit) gets no new one, and that last
    version is returned with ``created`` False (True on a new one). The plan's row is
    locked first, so simultaneous freezes wait for each other and each compares with what
    the one before it stored. Side effects: one PlanVersion and one CaseEvent, or none.
    """
    for _attempt in range(WRITE_ATTEMPTS):
        try:
            with transaction.atomic():
                ActionPlan.objects.select_for_update().filter(pk=plan.pk).first()
                plan.refresh_from_db()
                # As the JSON field gives it back, so the two compare.
                snapshot = json.loads(json.dumps(snapshot_of(plan), cls=DjangoJSONEncoder))
                last = plan.versions.order_by("-number").first()
                if last is not None and last.snapshot == snapshot:
                    last.created = False
                    return last
                number = (last.number if last is not None else 0) + 1
                version = PlanVersion.objects.create(
                    plan=plan, number=number, snapshot=snapshot, frozen_by=user
                )
                version.created = True
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
