"""Running a meeting ("Genomför mötet"): attendance, roles, checklist, oral consent.

One function per rule; each changes the meeting inside one transaction and logs
the change on the ärende. Views only parse the request and call these.
"""

import math
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consent.models import Consent, ConsentForm
from consent.services import record_consent
from parties.models import Organisation

from ..enums import AgendaItem, Attendance, MeetingAction, MeetingKind, ParticipantKind
from ..models import Meeting, Participant
from . import invitations

ROLE_FIELDS = ("chair", "secretary", "coordinator")


def _check_open(meeting: Meeting):
    if meeting.is_cancelled:
        raise ValidationError(_("Mötet är inställt och kan inte genomföras."))


def _lock(meeting: Meeting) -> Meeting:
    """Serialise changes to one meeting (two screens may run it) and read the current row."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    meeting.refresh_from_db()
    return meeting


def invited_parties(meeting: Meeting) -> list[Organisation]:
    """The parties at the table: the convening party and every active participant's party."""
    parties = {meeting.convening_organisation_id: meeting.convening_organisation}
    for participant in invitations.active_participants(meeting):
        if participant.organisation_id:
            parties[participant.organisation_id] = participant.organisation
    return sorted(parties.values(), key=lambda o: o.name)


def minutes_left(meeting: Meeting, now: datetime | None = None) -> tuple[int, bool]:
    """(minutes, over_time) of the booked length; before the start, the whole length is left.

    The same arithmetic as static/js/meeting_clock.js, for the page without JavaScript.
    """
    now = now or timezone.now()
    remaining = (meeting.ends_at - max(now, meeting.starts_at)).total_seconds()
    if remaining >= 0:
        return math.ceil(remaining / 60), False
    return math.ceil(-remaining / 60), True


@transaction.atomic
def set_attendance(*, participant: Participant, attendance: str, user) -> Participant:
    """Register one participant's attendance.

    Someone who is no longer present or on the line cannot keep a role: their
    roles are cleared. Side effects: one CaseEvent.
    """
    if attendance not in Attendance.values:
        raise ValidationError({"attendance": _("Välj ett giltigt närvaroalternativ.")})
    meeting = _lock(participant.meeting)
    _check_open(meeting)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.meeting_id != meeting.pk or participant.is_removed:
        raise ValidationError(_("Personen är inte deltagare i mötet."))
    previous = participant.attendance
    participant.attendance = attendance
    participant.save(update_fields=["attendance"])
    cleared = []
    if attendance not in Attendance.taking_part():
        cleared = [f for f in ROLE_FIELDS if getattr(meeting, f"{f}_id") == participant.pk]
        for field in cleared:
            setattr(meeting, field, None)
        if cleared:
            meeting.save(update_fields=[*cleared, "updated_at"])
    meeting.case.log(
        user,
        MeetingAction.ATTENDANCE_CHANGED,
        meeting=meeting.pk,
        participant=participant.pk,
        attendance=attendance,
        previous=previous,
        roles_cleared=cleared,
    )
    participant.meeting = meeting
    return participant


@transaction.atomic
def set_roles(
    *,
    meeting: Meeting,
    user,
    chair: Participant | None,
    secretary: Participant | None,
    coordinator: Participant | None,
) -> Meeting:
    """Ordförande, sekreterare and samordnare, chosen among those present or on the line.

    One person may hold several roles. Side effects: one CaseEvent.
    """
    meeting = _lock(meeting)
    _check_open(meeting)
    chosen = {"chair": chair, "secretary": secretary, "coordinator": coordinator}
    ids = [p.pk for p in chosen.values() if p is not None]
    current = {
        p.pk: p
        for p in Participant.objects.filter(pk__in=ids, meeting=meeting, removed_at__isnull=True)
    }
    errors = {}
    for field, person in chosen.items():
        if person is None:
            continue
        fresh = current.get(person.pk)
        if fresh is None:
            errors[field] = _("Personen är inte deltagare i mötet.")
        elif fresh.attendance not in Attendance.taking_part():
            errors[field] = _(
                "%(name)s är inte registrerad som närvarande. Välj någon som är på plats "
                "eller deltar via telefon/video."
            ) % {"name": fresh.name}
    if errors:
        raise ValidationError(errors)
    for field, person in chosen.items():
        setattr(meeting, field, person)
    meeting.save(update_fields=[*ROLE_FIELDS, "updated_at"])
    meeting.case.log(
        user,
        MeetingAction.ROLES_CHANGED,
        meeting=meeting.pk,
        **{field: person.pk if person else None for field, person in chosen.items()},
    )
    return meeting


@transaction.atomic
def toggle_agenda_item(*, meeting: Meeting, user, item: str, done: bool) -> Meeting:
    """Tick off (or untick) one point of the checklist. Side effects: one CaseEvent if changed."""
    if item not in AgendaItem.values:
        raise ValidationError(_("Okänd punkt på checklistan."))
    meeting = _lock(meeting)
    _check_open(meeting)
    already = item in meeting.agenda_done
    if already == done:
        return meeting
    items = set(meeting.agenda_done) | {item} if done else set(meeting.agenda_done) - {item}
    meeting.agenda_done = [code for code in AgendaItem.values if code in items]
    meeting.save(update_fields=["agenda_done", "updated_at"])
    meeting.case.log(user, MeetingAction.AGENDA_CHANGED, meeting=meeting.pk, item=item, done=done)
    return meeting


@transaction.atomic
def add_walk_in(
    *,
    meeting: Meeting,
    user,
    name: str,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    role: str = "",
) -> Participant:
    """Someone who turned up without a kallelse: added as present.

    Side effects: a Participant (their party becomes involved in the ärende),
    CaseEvents for the addition and the attendance.
    """
    _check_open(meeting)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Ange namn.")})
    if organisation is None and not organisation_name.strip():
        raise ValidationError({"organisation": _("Ange part eller organisation.")})
    participant = invitations.add_participant(
        meeting=meeting,
        user=user,
        participant=Participant(
            kind=ParticipantKind.EXTERNAL,
            name=name,
            organisation=organisation,
            organisation_name="" if organisation else organisation_name.strip(),
            note=role.strip(),
            attendance=Attendance.PRESENT,
        ),
    )
    meeting.case.log(
        user,
        MeetingAction.ATTENDANCE_CHANGED,
        meeting=meeting.pk,
        participant=participant.pk,
        attendance=Attendance.PRESENT,
        previous=None,
        walk_in=True,
    )
    return participant


@transaction.atomic
def record_oral_consent(
    *, meeting: Meeting, user, organisations, restrictions: str = ""
) -> Consent:
    """Oral consent taken at the start of the meeting, by the logged-in user, today.

    Only the parties at the table can be named. Not at a förmöte: the individual
    is not there to give it. Side effects: a Consent (form "muntligt"), its
    CaseEvent, and one more CaseEvent tying it to the meeting.
    """
    _check_open(meeting)
    if meeting.kind == MeetingKind.PREMEETING:
        raise ValidationError(
            _("Den enskilde deltar inte i ett förmöte, så muntligt samtycke kan inte tas här.")
        )
    organisations = list(organisations)
    allowed = {o.pk for o in invited_parties(meeting)}
    if any(o.pk not in allowed for o in organisations):
        raise ValidationError(
            {"organisations": _("Samtycket kan bara gälla parter som deltar i mötet.")}
        )
    consent = record_consent(
        case=meeting.case,
        user=user,
        organisations=organisations,
        form=ConsentForm.ORAL,
        given_on=timezone.localdate(),
        restrictions=restrictions.strip(),
    )
    meeting.case.log(
        user,
        MeetingAction.ORAL_CONSENT,
        meeting=meeting.pk,
        consent=consent.pk,
        organisations=sorted(o.pk for o in organisations),
    )
    return consent


# Starting a meeting more than this many days before its date asks "are you sure?" first:
# most likely the wrong meeting was opened (issue 16).
EARLY_START_DAYS = 7


class EarlyStart(Exception):
    """The meeting is more than EARLY_START_DAYS days away; start it only when confirmed."""

    def __init__(self, days):
        super().__init__("early")
        self.days = days


def days_until(meeting: Meeting, *, today=None) -> int:
    today = today or timezone.localdate()
    return (timezone.localtime(meeting.starts_at).date() - today).days


def check_not_too_early(meeting: Meeting, *, confirmed: bool = False, today=None) -> None:
    days = days_until(meeting, today=today)
    if days > EARLY_START_DAYS and not confirmed:
        raise EarlyStart(days)


@transaction.atomic
def start_meeting(*, meeting: Meeting, user, confirmed_early: bool = False) -> Meeting:
    """ "Starta mötet": note when it began. Pressing it again changes nothing. Weeks before
    the meeting's date it raises EarlyStart unless ``confirmed_early``."""
    meeting = _lock(meeting)
    _check_open(meeting)
    if meeting.started_at is None:
        check_not_too_early(meeting, confirmed=confirmed_early)
        meeting.started_at = timezone.now()
        meeting.save(update_fields=["started_at", "updated_at"])
        meeting.case.log(user, MeetingAction.STARTED, meeting=meeting.pk)
    return meeting
