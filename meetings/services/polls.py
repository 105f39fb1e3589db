""" "Föreslå tider": a time poll instead of one booked time (issue 16).

The convener proposes 2–6 times for a meeting whose everything else is settled (kind,
place, purpose, who is invited). Each time goes through the booking's rules and warnings.
Everyone asked gets a signed link (no login) to mark each time "Passar", "Passar om det
behövs" or "Passar inte"; the convener sees a grid and picks one, which books the meeting
through book_meeting (the same rules again, now), sends the kallelse and closes the poll.

Neither the page nor the mail names the individual: "ett samverkansmöte som
<organisation> kallar till". Each rule below is one function.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.access import books_for_owner
from cases.enums import ContactPreference
from common import links
from common.links import absolute
from outbox.services import queue_templated

from ..enums import MeetingAction, ParticipantKind, PollChoice, PollStatus
from ..models import Meeting, PollAnswer, PollInvitee, PollTime, Room, TimePoll
from . import invitations
from .booking import (
    Booking,
    ParticipantSpec,
    Warning,
    book_meeting,
    booking_warnings,
    check_room_free,
    check_room_not_held,
    hard_rule_errors,
    on_behalf,
    unaccepted,
)

POLL_SALT = "samverk.meetings.poll"
MIN_TIMES, MAX_TIMES = 2, 6
# Those who have not answered are reminded this many days before the last day to answer.
POLL_REMINDER_DAYS_BEFORE = 2
# The fields of a time's row: a hard rule's error on one of them is shown beside the time.
TIME_FIELDS = {"date", "start_time", "length", "room"}


@dataclass
class ProposedTime:
    starts_at: datetime
    ends_at: datetime
    room: Room | None = None
    accepted: set[str] = field(default_factory=set)


class PollRefused(Exception):
    """Hard rules broken: ``general`` for the poll as a whole, ``per_time`` by row index."""

    def __init__(self, general=(), per_time=None):
        super().__init__("refused")
        self.general = list(general)
        self.per_time = per_time or {}


class PollNeedsConfirmation(Exception):
    """Guidelines broken and not yet accepted, by row index."""

    def __init__(self, per_time):
        super().__init__("warnings")
        self.per_time = per_time


class PollLinkError(links.LinkError):
    """A tampered, unknown, expired or closed link; the message is shown to the visitor."""


# --- who may --------------------------------------------------------------------------


def can_manage_poll(user, poll: TimePoll) -> bool:
    """The grid and the pick: the convener, the ärende's owner and the area's coordinator
    (who books for the owner). Others who may open the ärende get 403."""
    case = poll.case
    return user.pk in (poll.convened_by_id, case.owner_id) or books_for_owner(user, case)


# --- proposing ----------------------------------------------------------------------


def check_number_of_times(times: list[ProposedTime]):
    if not MIN_TIMES <= len(times) <= MAX_TIMES:
        raise ValidationError(
            _("Föreslå minst %(min)s och högst %(max)s tider.")
            % {"min": MIN_TIMES, "max": MAX_TIMES}
        )


def check_distinct_times(times: list[ProposedTime]) -> dict[int, str]:
    """The same start twice is one time: the second row is refused."""
    seen, refused = set(), {}
    for index, time in enumerate(times):
        if time.starts_at in seen:
            refused[index] = _("Samma tid är redan föreslagen.")
        seen.add(time.starts_at)
    return refused


def check_answer_by(answer_by: date, times: list[ProposedTime], *, today: date | None = None):
    """The last day to answer: from today, and before the first proposed day."""
    today = today or timezone.localdate()
    if answer_by < today:
        raise ValidationError({"answer_by": _("Sista svarsdag kan inte vara bakåt i tiden.")})
    first = min(timezone.localtime(t.starts_at).date() for t in times)
    if answer_by >= first:
        raise ValidationError(
            {"answer_by": _("Sista svarsdag måste vara före den första föreslagna dagen.")}
        )


def booking_at(template: Booking, time: ProposedTime) -> Booking:
    """The booking as it would be at one proposed time."""
    return Booking(
        case=template.case,
        kind=template.kind,
        starts_at=time.starts_at,
        ends_at=time.ends_at,
        convening_organisation=template.convening_organisation,
        convened_by=template.convened_by,
        purpose=template.purpose,
        questions=template.questions,
        room=time.room,
        location=template.location,
        remote_link=template.remote_link,
        premeeting=template.premeeting,
        participants=template.participants,
        booked_by=template.booked_by,
    )


def _split(error: ValidationError):
    """(field name or None, message) of each part of a hard rule's error."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                for message in item.messages:
                    yield name, message
    else:
        for item in error.error_list:
            if hasattr(item, "error_dict"):
                yield from _split(item)
            else:
                for message in item.messages:
                    yield None, message


def time_problems(template: Booking, time: ProposedTime, *, exclude_poll=None):
    """(errors of the time's row, errors of the poll as a whole, warnings) at one time:
    every hard rule of a booking, the room free and not held, and the guidelines."""
    booking = booking_at(template, time)
    errors = list(hard_rule_errors(booking))
    for check in (check_room_free, check_room_not_held):
        try:
            if check is check_room_free:
                check(time.room, time.starts_at, time.ends_at)
            else:
                check(time.room, time.starts_at, time.ends_at, exclude_poll=exclude_poll)
        except ValidationError as error:
            errors.append(error)
    row, general = [], []
    for error in errors:
        for name, message in _split(error):
            (row if name in TIME_FIELDS else general).append(message)
    return row, general, booking_warnings(booking)


def _is_key(spec: ParticipantSpec, specs: list[ParticipantSpec]) -> bool:
    """Marked in the grid: the individual, and the only one invited from a party."""
    if spec.kind == ParticipantKind.INDIVIDUAL:
        return True
    if spec.answer != "none" or spec.party_key is None:
        return False
    return sum(1 for s in specs if s.party_key == spec.party_key) == 1


def is_asked(spec: ParticipantSpec, *, convener, ask_individual: bool) -> bool:
    """Who gets the poll: everyone with an address but the convener; the individual only
    where the convener chooses (and has an address for them)."""
    if not spec.email or (spec.user is not None and spec.user.pk == convener.pk):
        return False
    if spec.kind == ParticipantKind.INDIVIDUAL:
        return ask_individual
    return True


def check_individual_reachable(template: Booking, ask_individual: bool):
    if not ask_individual:
        return
    individual = [p for p in template.participants if p.kind == ParticipantKind.INDIVIDUAL]
    if not individual:
        raise ValidationError({"ask_individual": _("Den enskilde är inte med bland deltagarna.")})
    if not individual[0].email:
        raise ValidationError(
            {"ask_individual": _("Det finns ingen e-postadress till den enskilde i ärendet.")}
        )


def propose_times(
    template: Booking,
    times: list[ProposedTime],
    *,
    answer_by: date,
    ask_individual: bool = False,
) -> TimePoll:
    """Save the poll and ask everyone (mail through the outbox), after every time passes
    the booking's hard rules and its warnings are accepted.

    Raises PollRefused (hard rules; nothing saved) or PollNeedsConfirmation (warnings).
    Side effects: TimePoll, its PollTimes and PollInvitees, one outbox row per asked
    person, one CaseEvent; all in one transaction, with the rooms locked."""
    try:
        check_number_of_times(times)
        check_answer_by(answer_by, times)
        check_individual_reachable(template, ask_individual)
    except ValidationError as error:
        raise PollRefused(general=[error]) from None
    per_time: dict[int, list[str]] = {i: [m] for i, m in check_distinct_times(times).items()}
    general, pending = [], {}
    for index, time in enumerate(times):
        row, whole, warnings = time_problems(template, time)
        if row:
            per_time.setdefault(index, []).extend(row)
        general += [m for m in whole if m not in general]
        if unaccepted(warnings, time.accepted):
            pending[index] = warnings
    if per_time or general:
        raise PollRefused(general=general, per_time=per_time)
    if pending:
        raise PollNeedsConfirmation(pending)
    with transaction.atomic():
        rooms = sorted({t.room.pk for t in times if t.room is not None})
        list(Room.objects.select_for_update().filter(pk__in=rooms))
        for time in times:  # again, under the locks: two proposals for one room
            try:
                check_room_free(time.room, time.starts_at, time.ends_at)
                check_room_not_held(time.room, time.starts_at, time.ends_at)
            except ValidationError as error:
                raise PollRefused(per_time={times.index(time): error.messages}) from None
        poll = TimePoll.objects.create(
            case=template.case,
            kind=template.kind,
            location=template.location.strip(),
            remote_link=template.remote_link.strip(),
            purpose=template.purpose,
            questions=template.questions,
            convening_organisation=template.convening_organisation,
            convened_by=template.convened_by,
            created_by=template.booker,
            premeeting=template.premeeting,
            answer_by=answer_by,
        )
        warnings_of = {}
        for index, time in enumerate(times):
            codes = sorted(w.code for w in time_problems(template, time)[2])
            warnings_of[index] = codes
        PollTime.objects.bulk_create(
            PollTime(
                poll=poll,
                starts_at=t.starts_at,
                ends_at=t.ends_at,
                room=t.room,
                accepted_warnings=warnings_of[i],
            )
            for i, t in enumerate(times)
        )
        specs = template.participants
        convener = template.convened_by
        PollInvitee.objects.bulk_create(
            PollInvitee(
                poll=poll,
                kind=spec.kind,
                user=spec.user,
                contact_person=spec.contact_person,
                organisation=spec.organisation,
                organisation_name=spec.organisation_name,
                name=spec.name,
                email=spec.email,
                note=spec.note,
                convenes=spec.user is not None and spec.user.pk == convener.pk,
                asked=is_asked(spec, convener=convener, ask_individual=ask_individual),
                is_key=_is_key(spec, specs),
            )
            for spec in specs
        )
        for invitee in poll.invitees.filter(asked=True):
            invitee.poll = poll
            queue_poll_mail(invitee, "poll-request")
        poll.case.log(
            template.booker,
            MeetingAction.POLL_CREATED,
            poll=poll.pk,
            kind=poll.kind,
            times=[t.starts_at.isoformat() for t in times],
            **_on_behalf(template.booker, convener),
        )
    return poll


def _on_behalf(user, convener) -> dict:
    return on_behalf(user, convener)


# --- links and mail -----------------------------------------------------------------


def poll_token(invitee: PollInvitee) -> str:
    """Signed, opaque: the invitee's random key and its signature."""
    return signing.Signer(salt=POLL_SALT).sign(invitee.answer_key)


def poll_url(invitee: PollInvitee) -> str:
    return absolute(reverse("meetings:poll_answer", args=[poll_token(invitee)]))


def time_label(time: PollTime) -> str:
    start, end = timezone.localtime(time.starts_at), timezone.localtime(time.ends_at)
    return f"{formats.date_format(start, 'l j F Y')} {start:%H.%M}–{end:%H.%M}"


def queue_poll_mail(invitee: PollInvitee, kind: str, **context):
    """One of the poll's mails (templates/emails/<kind>-*) to one person: no individual's
    name, no purpose; the convener and their party, the times, the link."""
    poll = invitee.poll
    times = list(poll.times.select_related("room"))
    context = {
        "poll": poll,
        "invitee": invitee,
        "times": [{"label": time_label(t), "room": t.room} for t in times],
        "answer_url": poll_url(invitee),
        "answer_by": formats.date_format(poll.answer_by, "l j F Y"),
        "convener": poll.convened_by,
        "organisation": poll.convening_organisation,
        **context,
    }
    return queue_templated(
        kind,
        context=context,
        to_email=invitee.email,
        to_name=invitee.name,
        reply_to=poll.convened_by.email,
        related=invitee,
    )


def _expired(poll: TimePoll, now=None) -> bool:
    today = timezone.localdate(now) if now else timezone.localdate()
    return poll.answer_by < today


def invitee_from_token(token: str, *, now=None) -> PollInvitee:
    """The person a poll link names, or PollLinkError with the reason (tampered, unknown,
    cancelled, closed, expired). The link is the person: a forwarded link opens the same
    person's answers, whoever is logged in."""
    key = links.unsign_link_key(token, salt=POLL_SALT, error=PollLinkError)
    invitee = (
        PollInvitee.objects.select_related(
            "poll", "poll__convened_by", "poll__convening_organisation"
        )
        .filter(answer_key=key, asked=True)
        .first()
    )
    if invitee is None:
        raise PollLinkError(_("Länken gäller inte längre. Kontakta den som frågade."))
    poll = invitee.poll
    if poll.status == PollStatus.CANCELLED:
        raise PollLinkError(_("Förfrågan om tider är avbruten. Du behöver inte svara."))
    if poll.status == PollStatus.PICKED:
        raise PollLinkError(
            _(
                "Förfrågan är avslutad: en tid är vald och kallelsen skickas till dem som ska "
                "delta. Du behöver inte svara."
            )
        )
    if _expired(poll, now):
        raise PollLinkError(
            _("Tiden för att svara gick ut %(day)s. Kontakta den som frågade om du vill svara.")
            % {"day": formats.date_format(poll.answer_by, "j F Y")}
        )
    return invitee


# --- answering ------------------------------------------------------------------------


def check_poll_open(poll: TimePoll, *, now=None):
    if poll.status != PollStatus.OPEN:
        raise ValidationError(_("Förfrågan är stängd och svaren kan inte ändras."))
    if _expired(poll, now):
        raise ValidationError(_("Tiden för att svara har gått ut."))


@transaction.atomic
def record_poll_answer(*, invitee: PollInvitee, choices: dict[int, str], comment: str = ""):
    """One person's answers for every time (replacing earlier ones) and a comment; until
    the poll closes. ``choices``: PollTime pk -> PollChoice. Refused with nothing saved for
    a closed or expired poll, a missing time or an unknown choice."""
    poll = TimePoll.objects.select_for_update().get(pk=invitee.poll_id)
    check_poll_open(poll)
    times = set(poll.times.values_list("pk", flat=True))
    if set(choices) != times:
        raise ValidationError(_("Svara för varje föreslagen tid."))
    if any(choice not in PollChoice.values for choice in choices.values()):
        raise ValidationError(_("Välj Passar, Passar om det behövs eller Passar inte."))
    PollAnswer.objects.filter(invitee=invitee).delete()
    PollAnswer.objects.bulk_create(
        PollAnswer(invitee=invitee, time_id=pk, choice=choice) for pk, choice in choices.items()
    )
    invitee.comment = comment.strip()
    invitee.answered_at = timezone.now()
    invitee.save(update_fields=["comment", "answered_at"])
    poll.case.log(None, MeetingAction.POLL_ANSWERED, poll=poll.pk, invitee=invitee.pk)
    return invitee


def answers_of(invitee: PollInvitee) -> dict[int, str]:
    return dict(invitee.answers.values_list("time_id", "choice"))


# --- the grid --------------------------------------------------------------------------


@dataclass
class GridRow:
    invitee: PollInvitee
    cells: list  # (choice or None, its label), one per time


@dataclass
class GridColumn:
    time: PollTime
    label: str
    yes: int = 0
    if_needed: int = 0
    no: int = 0
    key_no: int = 0


def poll_grid(poll: TimePoll):
    """(columns, rows) for the convener's grid: people × times, with the totals per time
    and the key people's "Passar inte" counted apart. Three queries, however many people
    and times."""
    times = list(poll.times.select_related("room"))
    invitees = list(poll.invitees.filter(asked=True).select_related("organisation"))
    answers = {
        (a.invitee_id, a.time_id): a.choice
        for a in PollAnswer.objects.filter(invitee__poll=poll).only(
            "invitee_id", "time_id", "choice"
        )
    }
    columns = [GridColumn(time=t, label=time_label(t)) for t in times]
    labels = {value: str(label) for value, label in PollChoice.choices}
    rows = []
    for invitee in invitees:
        cells = []
        for column in columns:
            choice = answers.get((invitee.pk, column.time.pk))
            if choice == PollChoice.YES:
                column.yes += 1
            elif choice == PollChoice.IF_NEEDED:
                column.if_needed += 1
            elif choice == PollChoice.NO:
                column.no += 1
                column.key_no += invitee.is_key
            cells.append((choice, labels.get(choice, "–")))
        rows.append(GridRow(invitee=invitee, cells=cells))
    return columns, rows


# --- picking, reminding, cancelling ---------------------------------------------------------


def booking_from_poll(poll: TimePoll, time: PollTime, *, user) -> Booking:
    specs = [
        ParticipantSpec(
            kind=i.kind,
            name=i.name,
            email=i.email,
            user=i.user,
            contact_person=i.contact_person,
            organisation=i.organisation,
            organisation_name=i.organisation_name,
            note=i.note,
            answer="attending" if i.convenes else "none",
        )
        for i in poll.invitees.select_related("user", "contact_person", "organisation")
    ]
    return Booking(
        case=poll.case,
        kind=poll.kind,
        starts_at=time.starts_at,
        ends_at=time.ends_at,
        convening_organisation=poll.convening_organisation,
        convened_by=poll.convened_by,
        purpose=poll.purpose,
        questions=poll.questions,
        room=time.room,
        location=poll.location,
        remote_link=poll.remote_link,
        premeeting=poll.premeeting,
        participants=specs,
        booked_by=user,
    )


def pick_time(
    *,
    poll: TimePoll,
    time: PollTime,
    user,
    accepted: set[str] = frozenset(),
    oral_consent_at_start: bool = False,
) -> Meeting:
    """Book the meeting at the picked time and send the kallelse to everyone; tell those
    asked that the poll is closed; the other times' rooms are free again (a closed poll
    holds none). The booking's rules run again now (a room taken since, a time passed):
    ValidationError or NeedsConfirmation, nothing changed. A second pick, also a double
    click, waits for the first on the poll's row lock and is refused."""
    if not can_manage_poll(user, poll):
        raise PermissionDenied
    with transaction.atomic():
        poll = TimePoll.objects.select_for_update().select_related("case").get(pk=poll.pk)
        if poll.status == PollStatus.PICKED:
            raise ValidationError(_("En tid är redan vald och mötet är bokat."))
        if poll.status == PollStatus.CANCELLED:
            raise ValidationError(_("Förfrågan är avbruten."))
        if time.poll_id != poll.pk:
            raise ValidationError(_("Tiden hör inte till den här förfrågan."))
        booking = booking_from_poll(poll, time, user=user)
        try:
            meeting = book_meeting(booking, accepted=accepted, exclude_poll=poll)
            poll.status, poll.meeting, poll.closed_at = PollStatus.PICKED, meeting, timezone.now()
            poll.save(update_fields=["status", "meeting", "closed_at"])
        except IntegrityError:
            raise ValidationError(_("En tid är redan vald och mötet är bokat.")) from None
        invitations.send_invitations(
            meeting=meeting, user=user, oral_consent_at_start=oral_consent_at_start
        )
        chosen = time_label(time)
        for invitee in poll.invitees.filter(asked=True):
            invitee.poll = poll
            queue_poll_mail(invitee, "poll-closed", chosen=chosen)
        poll.case.log(
            user,
            MeetingAction.POLL_PICKED,
            poll=poll.pk,
            meeting=meeting.pk,
            starts_at=meeting.starts_at.isoformat(),
            **_on_behalf(user, poll.convened_by),
        )
    return meeting


def pick_needs(poll: TimePoll, time: PollTime, *, user) -> tuple[list[Warning], list]:
    """What the pick page asks to confirm before picking: the warnings at that time now,
    and the parties consent does not cover (oral consent at the start)."""
    booking = booking_from_poll(poll, time, user=user)
    from consent.services import uncovered_parties

    day = timezone.localtime(time.starts_at).date()
    gaps = uncovered_parties(
        poll.case, booking.organisations, on=day, premeeting=poll.kind == "formote"
    )
    return booking_warnings(booking), gaps


def due_poll_reminders(*, now=None, days_before=None):
    """Those asked who have not answered nor been reminded, of open polls whose last day
    to answer is within POLL_REMINDER_DAYS_BEFORE days (as kallelse reminders before the
    meeting)."""
    now = now or timezone.now()
    days = POLL_REMINDER_DAYS_BEFORE if days_before is None else days_before
    today = timezone.localdate(now)
    return PollInvitee.objects.filter(
        asked=True,
        answered_at__isnull=True,
        reminded_at__isnull=True,
        poll__status=PollStatus.OPEN,
        poll__answer_by__gte=today,
        poll__answer_by__lte=today + timedelta(days=days),
    ).select_related("poll", "poll__case", "poll__convened_by", "poll__convening_organisation")


def send_poll_reminders(*, now=None, days_before=None) -> int:
    """The reminder to each due person (:func:`due_poll_reminders`), once; run with the
    kallelse reminders (manage.py send_reminders)."""
    count = 0
    for invitee in due_poll_reminders(now=now, days_before=days_before):
        with transaction.atomic():
            claimed = PollInvitee.objects.filter(pk=invitee.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            queue_poll_mail(invitee, "poll-reminder")
            invitee.poll.case.log(
                None, MeetingAction.POLL_REMINDED, poll=invitee.poll_id, invitee=invitee.pk
            )
            count += 1
    return count


@transaction.atomic
def remind_now(*, poll: TimePoll, user) -> int:
    """ "Påminn dem som inte har svarat": the reminder at once to those asked who have not
    answered (not again to one reminded in the last day)."""
    if not can_manage_poll(user, poll):
        raise PermissionDenied
    poll = TimePoll.objects.select_for_update().get(pk=poll.pk)
    check_poll_open(poll)
    since = timezone.now() - timedelta(days=1)
    people = list(
        poll.invitees.filter(asked=True, answered_at__isnull=True).filter(
            Q(reminded_at__isnull=True) | Q(reminded_at__lt=since)
        )
    )
    for invitee in people:
        invitee.poll = poll
        invitee.reminded_at = timezone.now()
        invitee.save(update_fields=["reminded_at"])
        queue_poll_mail(invitee, "poll-reminder")
    poll.case.log(user, MeetingAction.POLL_REMINDED, poll=poll.pk, count=len(people))
    return len(people)


@transaction.atomic
def cancel_poll(*, poll: TimePoll, user, reason: str = "") -> TimePoll:
    """Cancel an open poll: everyone asked is told; its rooms are free."""
    if not can_manage_poll(user, poll):
        raise PermissionDenied
    poll = TimePoll.objects.select_for_update().select_related("case").get(pk=poll.pk)
    if poll.status != PollStatus.OPEN:
        raise ValidationError(_("Förfrågan är redan stängd."))
    poll.status, poll.closed_at = PollStatus.CANCELLED, timezone.now()
    poll.cancelled_reason = reason.strip()
    poll.save(update_fields=["status", "closed_at", "cancelled_reason"])
    for invitee in poll.invitees.filter(asked=True):
        invitee.poll = poll
        queue_poll_mail(invitee, "poll-cancelled", reason=poll.cancelled_reason)
    poll.case.log(
        user,
        MeetingAction.POLL_CANCELLED,
        poll=poll.pk,
        reason=poll.cancelled_reason,
        **_on_behalf(user, poll.convened_by),
    )
    return poll


def answer_counts(polls) -> dict[int, tuple[int, int]]:
    """(answered, asked) per poll, in one query: the ärende's list of polls."""
    rows = (
        PollInvitee.objects.filter(poll__in=polls, asked=True)
        .values("poll_id")
        .annotate(asked=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
    )
    return {r["poll_id"]: (r["answered"], r["asked"]) for r in rows}


def individual_prefers_email(case) -> bool:
    return case.contact_preference == ContactPreference.EMAIL
