"""Registerutdrag (GDPR art. 15): everything Samverk holds about one individual, and who has
read it, as a PDF in plain Swedish for the individual.

Lives in the project package because it reaches across every app (like the retention
purge): the ärende, its consents, meetings and their participants, plans and their
fastställda versions, the e-mail the outbox sent and the letters printed, and the audit
trail. Rendered on the request (it is rare, and a few dozen queries even for a big
ärende); the production itself is logged by the view.

Staff are named by organisation and role; by name too only where the area says so
(SamverkArea.extract_names_staff). What the individual was sent (the plans with their
participants) is shown as it is stored.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import personnummer
from cases.audit import action_label, read_actions
from cases.models import Case, CaseEvent
from cases.reads import read_days, role_labels
from common.pdf import html_to_pdf
from consent.models import Consent
from meetings.enums import ParticipantKind
from meetings.models import Participant
from meetings.services.documents import STOCKHOLM
from outbox.models import OutboundMessage
from plans.models import TEXT_FIELDS, ActionPlan
from plans.services.versions import snapshot_of

TEMPLATE = "pdf/registerutdrag.html"
# Printed letters leave no outbox row: the download of the letter is their trace.
LETTER_DOCUMENTS = {
    "brev.pdf": gettext_lazy("Brev om ett möte"),
    "brev-handlingsplan.pdf": gettext_lazy("Brev med handlingsplanen"),
}
# The individual's own people: named in the extract whatever the area's setting.
OWN_PEOPLE = {ParticipantKind.INDIVIDUAL, ParticipantKind.SUPPORT_PERSON}


def filename(case: Case, day: date) -> str:
    """Never the personnummer or the name: the ärende's number and the day."""
    return f"registerutdrag-{case.pk}-{day:%Y-%m-%d}.pdf"


class Staff:
    """How the extract names a member of staff: organisation and role, the name too when
    the area says so."""

    def __init__(self, names: bool):
        self.names = names

    def __call__(self, user) -> str:
        if user is None:
            return _("Samverk (automatiskt)")
        parts = [user.organisation.name if user.organisation_id else _("ingen organisation")]
        roles = role_labels(user)
        if roles:
            parts.append(", ".join(roles))
        if self.names:
            parts.append(str(user))
        return ", ".join(parts)


@dataclass
class PlanText:
    """A plan as it is now, or one of its fastställda versions: the same parts either way."""

    title: str
    fields: list[tuple[str, str]]
    goals: list[dict]
    actions: list[dict]
    signatures: list[str] = field(default_factory=list)


def _plan_text(title, snapshot, signatures=()) -> PlanText:
    labels = {name: ActionPlan._meta.get_field(name).verbose_name for name in TEXT_FIELDS}
    fields = [(str(labels[name]), value) for name, value in snapshot["fields"].items() if value]
    actions = [
        {
            **a,
            "due_on": date.fromisoformat(a["due_on"]) if a.get("due_on") else None,
            "done_on": date.fromisoformat(a["done_on"]) if a.get("done_on") else None,
        }
        for a in snapshot["actions"]
        if a.get("what") or a.get("responsible")
    ]
    goals = [g for g in snapshot["goals"] if g.get("text") or g.get("subgoals")]
    return PlanText(title, fields, goals, actions, list(signatures))


def _person(participant, names: bool) -> str:
    """Who was called, in the individual's words: "Du", their own people by name, staff
    and others by their party (and name where the area says so)."""
    if participant.kind == ParticipantKind.INDIVIDUAL:
        return _("Du")
    if participant.kind in OWN_PEOPLE:
        return f"{participant.name} ({participant.get_kind_display().lower()})"
    party = participant.party_name
    if participant.kind not in (ParticipantKind.STAFF, ParticipantKind.CONTACT):
        party = (
            f"{party}, {participant.get_kind_display().lower()}"
            if party
            else (participant.get_kind_display())
        )
    return f"{party}, {participant.name}" if names else party


def _meetings(case, staff_named: Staff) -> tuple[list, dict]:
    meetings = list(
        case.meetings.select_related("convening_organisation", "room", "convened_by__organisation")
        .prefetch_related("participants__organisation")
        .order_by("starts_at", "pk")
    )
    participants = {}
    for meeting in meetings:
        meeting.people = []
        for p in meeting.participants.all():
            participants[p.pk] = p
            meeting.people.append(
                {
                    "who": _person(p, staff_named.names),
                    "answer": p.get_answer_display(),
                    "attendance": p.get_attendance_display(),
                    "removed": p.removed_at,
                }
            )
        meeting.convener = staff_named(meeting.convened_by)
    return meetings, participants


def _plans(case, staff_named: Staff) -> list:
    plans = (
        ActionPlan.objects.filter(meeting__case=case)
        .select_related("meeting__case")
        .prefetch_related("versions__signatures", "versions__frozen_by__organisation")
        .order_by("meeting__starts_at", "pk")
    )
    found = []
    for plan in plans:
        texts = [_plan_text(_("Så här ser planen ut nu"), snapshot_of(plan))]
        for version in sorted(plan.versions.all(), key=lambda v: v.number):
            signatures = [
                _("%(role)s: %(method)s %(when)s")
                % {
                    "role": s.get_role_display(),
                    "method": s.get_method_display().lower(),
                    "when": timezone.localtime(s.signed_at).strftime("%Y-%m-%d"),
                }
                for s in version.signatures.all()
            ]
            title = _("Version %(n)d, fastställd %(when)s av %(who)s") % {
                "n": version.number,
                "when": timezone.localtime(version.frozen_at).strftime("%Y-%m-%d"),
                "who": staff_named(version.frozen_by),
            }
            texts.append(_plan_text(title, version.snapshot, signatures))
        found.append({"meeting": plan.meeting, "texts": texts})
    return found


@dataclass
class Sent:
    at: datetime
    what: str
    to: str
    how: str
    state: str = ""


def _messages(case, participants: dict, staff_named: Staff) -> list[Sent]:
    participant_type = ContentType.objects.get_for_model(Participant)
    rows = OutboundMessage.objects.filter(
        Q(related_type=participant_type, related_id__in=list(participants))
        | Q(related_type=ContentType.objects.get_for_model(Case), related_id=case.pk)
    ).only("created_at", "sent_at", "subject", "state", "to_name", "related_type", "related_id")
    sent = []
    for message in rows:
        person = (
            participants.get(message.related_id)
            if message.related_type_id == participant_type.pk
            else None
        )
        if person is None or person.kind == ParticipantKind.INDIVIDUAL:
            to = _("dig")
        else:
            to = person.party_name or person.get_kind_display()
            if person.kind in OWN_PEOPLE or staff_named.names:
                to = f"{message.to_name or person.name}, {to}"
        sent.append(
            Sent(
                at=message.sent_at or message.created_at,
                what=message.subject,
                to=to,
                how=_("e-post"),
                state=message.get_state_display(),
            )
        )
    letters = CaseEvent.objects.filter(
        case_id=case.pk, data__document__in=list(LETTER_DOCUMENTS)
    ).select_related("user__organisation")
    for event in letters:
        sent.append(
            Sent(
                at=event.at,
                what=str(LETTER_DOCUMENTS[event.data["document"]]),
                to=_("dig"),
                how=_("brev (utskrivet av %(who)s)") % {"who": staff_named(event.user)},
            )
        )
    return sorted(sent, key=lambda s: s.at)


def _changes(case, staff_named: Staff) -> list[dict]:
    """The audit trail's changes (its reads are listed by day, in their own section)."""
    events = (
        CaseEvent.objects.filter(case_id=case.pk)
        .exclude(action__in=read_actions())
        .select_related("user__organisation")
        .order_by("at", "pk")
    )
    return [
        {
            "at": event.at,
            "what": action_label(event.action),
            "who": staff_named(event.user),
            "reason": event.data.get("reason", "") if isinstance(event.data, dict) else "",
        }
        for event in events
    ]


def context(case: Case, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    staff_named = Staff(case.area.extract_names_staff)
    meetings, participants = _meetings(case, staff_named)
    consents = list(
        Consent.objects.filter(case=case)
        .prefetch_related("organisations")
        .select_related("recorded_by__organisation", "revoked_by__organisation")
        .order_by("given_on", "pk")
    )
    for consent in consents:
        consent.recorded_by_label = staff_named(consent.recorded_by)
        consent.revoked_by_label = staff_named(consent.revoked_by) if consent.revoked_by_id else ""
    readers = read_days(case)
    for day in readers:
        day.who = staff_named(day.user)
    return {
        "case": case,
        "today": today,
        "personnummer": personnummer.formatted(case.personnummer),
        "owner": staff_named(case.owner),
        "names_staff": staff_named.names,
        "consents": consents,
        "meetings": meetings,
        "plans": _plans(case, staff_named),
        "sent": _messages(case, participants, staff_named),
        "readers": readers,
        "changes": _changes(case, staff_named),
        "retention_days": settings.CASE_RETENTION_DAYS,
    }


def extract_html(case: Case, *, today: date | None = None) -> str:
    with translation.override(settings.LANGUAGE_CODE), timezone.override(STOCKHOLM):
        return render_to_string(TEMPLATE, context(case, today=today))


def render_pdf(case: Case, *, today: date | None = None) -> bytes:
    # The individual's own number belongs in their extract (it is handed to them, never
    # e-mailed); every other PDF has it removed.
    return html_to_pdf(extract_html(case, today=today), keep_personnummer=True)
