"""The handlingsplan (samordningsplan) as an A4 PDF, and the letter that carries it
to the individual by post.

A fastställd version renders its snapshot, exactly as it was frozen; without a
version the plan's current text is rendered (marked as a draft). Every piece of
text is scrubbed of anything that is a valid personnummer: the PDF travels by
e-mail. WeasyPrint is imported lazily (through common.pdf.html_to_pdf,
which also refuses to fetch anything from outside the project).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cases.personnummer import redact
from common.pdf import html_to_pdf
from meetings.enums import Attendance, ParticipantKind
from meetings.services.documents import STOCKHOLM

from ..enums import SignerRole
from ..models import ActionPlan, PlanVersion
from .versions import snapshot_of

PLAN_TEMPLATE = "plans/pdf/plan.html"
LETTER_TEMPLATE = "plans/pdf/letter.html"

PRESENT = {Attendance.PRESENT, Attendance.REMOTE}
ABSENT = {Attendance.ABSENT, Attendance.EXCUSED}


def _scrub(value):
    """Every string in the snapshot, without personnummer."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    return value


def _attendance_code(label: str) -> str:
    """Snapshots hold the attendance's label (as shown when frozen); find its value."""
    for choice in Attendance:
        if label in (choice.value, str(choice.label)):
            return choice.value
    return Attendance.UNKNOWN


def _day(value):
    if not value:
        return None
    return date.fromisoformat(value) if isinstance(value, str) else value


@dataclass
class PersonRow:
    name: str
    party: str
    kind: str
    note: str = ""


@dataclass
class Attendees:
    present: list = field(default_factory=list)
    absent: list = field(default_factory=list)
    unknown: list = field(default_factory=list)


def _roles() -> set[str]:
    """Kinds worth naming beside a person (snapshots hold the kind's label)."""
    return {
        str(kind.label)
        for kind in (
            ParticipantKind.INDIVIDUAL,
            ParticipantKind.SUPPORT_PERSON,
            ParticipantKind.INTERPRETER,
        )
    }


def _attendees(rows: list[dict]) -> Attendees:
    groups = Attendees()
    for row in rows:
        code = _attendance_code(row.get("attendance", ""))
        kind = row.get("kind", "")
        person = PersonRow(row.get("name", ""), row.get("party", ""), kind)
        notes = [kind] if kind in _roles() else []
        if code == Attendance.REMOTE:
            notes.append(str(Attendance.REMOTE.label))
        elif code == Attendance.EXCUSED:
            notes.append(str(Attendance.EXCUSED.label))
        person.note = ", ".join(notes)
        if code in PRESENT:
            groups.present.append(person)
        elif code in ABSENT:
            groups.absent.append(person)
        else:
            groups.unknown.append(person)
    return groups


def _version(plan: ActionPlan, version) -> PlanVersion | None:
    if version is None or isinstance(version, PlanVersion):
        return version
    return plan.versions.select_related("frozen_by").get(number=int(version))


def plan_context(plan: ActionPlan, version=None) -> dict:
    """What the PDF shows: the version's snapshot, or the current text as a draft."""
    version = _version(plan, version)
    meeting = plan.meeting
    if version is not None:
        snapshot = version.snapshot
        signatures = {s.role: s for s in version.signatures.all()}
        latest_number = plan.versions.order_by("-number").values_list("number", flat=True)[0]
    else:
        snapshot = snapshot_of(plan)
        signatures = {}
        latest_number = plan.versions.order_by("-number").values_list("number", flat=True).first()
    snapshot = _scrub(snapshot)
    starts = datetime.fromisoformat(snapshot["meeting"]["starts_at"])
    actions = [
        {**a, "due_on": _day(a.get("due_on")), "done_on": _day(a.get("done_on"))}
        for a in snapshot["actions"]
        if a.get("what") or a.get("responsible") or a.get("due_on")
    ]
    goals = [g for g in snapshot["goals"] if g.get("text") or g.get("subgoals")]
    convener = meeting.convened_by
    return {
        "plan": plan,
        "meeting": meeting,
        "version": version,
        "is_latest": version is not None and version.number == latest_number,
        "latest_number": latest_number,
        "snapshot": snapshot,
        "individual": snapshot["individual"],
        "kind": snapshot["meeting"]["kind"],
        "starts": timezone.localtime(starts, STOCKHOLM),
        "place": snapshot["meeting"]["place"],
        "fields": snapshot["fields"],
        "goals": goals,
        "actions": actions,
        "attendees": _attendees(snapshot.get("attendance", [])),
        "signature_individual": signatures.get(SignerRole.INDIVIDUAL),
        "signature_staff": signatures.get(SignerRole.STAFF),
        "convener": {
            "name": convener.get_full_name() or convener.username,
            "title": convener.title,
            "organisation": meeting.convening_organisation.name,
            "phone": convener.phone,
            "email": convener.email,
        },
        "printed_on": timezone.localdate(timezone=STOCKHOLM),
    }


def plan_html(plan: ActionPlan, version=None) -> str:
    with translation.override(settings.LANGUAGE_CODE), timezone.override(STOCKHOLM):
        return render_to_string(PLAN_TEMPLATE, plan_context(plan, version))


def render_plan_pdf(plan: ActionPlan, version=None) -> bytes:
    """The handlingsplan as an A4 PDF: a fastställd version (PlanVersion or its number)
    renders its snapshot; None renders the current text, marked as a draft."""
    return html_to_pdf(plan_html(plan, version))


def letter_html(plan: ActionPlan, version=None) -> str:
    """The plan with a covering letter, addressed for a C5/DL window envelope."""
    case = plan.meeting.case
    with translation.override(settings.LANGUAGE_CODE), timezone.override(STOCKHOLM):
        context = plan_context(plan, version) | {
            "case": case,
            "address_lines": [line.strip() for line in case.address.splitlines() if line.strip()],
        }
        return render_to_string(LETTER_TEMPLATE, context)


def render_plan_letter_pdf(plan: ActionPlan, version=None) -> bytes:
    return html_to_pdf(letter_html(plan, version))
