"""Booking rules for meetings.

Hard rules refuse a booking with a Swedish ValidationError and nothing saved;
guidelines return warnings the user may accept. Each rule is one function.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases import access as case_access
from cases.models import Case
from consent.services import has_premeeting_consent, uncovered_parties
from parties.enums import OrganisationKind
from parties.models import ContactPerson, Organisation, User

from ..access import can_manage_booking
from ..enums import (
    Answer,
    MeetingAction,
    MeetingKind,
    MeetingStatus,
    ParticipantKind,
    PollStatus,
)
from ..models import Meeting, Participant, PollTime, Room
from . import invitations
from .participation import sync_participation

NOTICE_DAYS = 21
USUAL_LENGTH = (45, 75)  # "about an hour"
FOLLOW_UP_DAYS = 14


@dataclass
class ParticipantSpec:
    """One person to invite, before anything is saved."""

    kind: str
    name: str
    email: str = ""
    user: object = None
    contact_person: ContactPerson | None = None
    organisation: Organisation | None = None
    organisation_name: str = ""
    note: str = ""
    answer: str = Answer.NONE

    @property
    def party_key(self):
        """What counts as one party: an organisation, or an outside organisation's name."""
        if self.organisation is not None:
            return ("org", self.organisation.pk)
        if self.organisation_name.strip():
            return ("name", self.organisation_name.strip().lower())
        return None


@dataclass
class Booking:
    case: Case
    kind: str
    starts_at: datetime
    ends_at: datetime
    convening_organisation: Organisation
    convened_by: object
    purpose: str
    questions: str
    room: Room | None = None
    location: str = ""
    remote_link: str = ""
    premeeting: Meeting | None = None
    participants: list[ParticipantSpec] = field(default_factory=list)
    # Who makes the booking, when not the convener: the area's coordinator, for the
    # ärende's handläggare (issue 16).
    booked_by: object = None
    # The need for a tolk (the language; "" for none) and whether it is booked (issue 16).
    interpreter_language: str = ""
    interpreter_booked: bool = False

    @property
    def booker(self):
        return self.booked_by or self.convened_by

    @property
    def organisations(self) -> list[Organisation]:
        orgs = {self.convening_organisation.pk: self.convening_organisation}
        for spec in self.participants:
            if spec.organisation is not None:
                orgs[spec.organisation.pk] = spec.organisation
        return list(orgs.values())

    @property
    def has_individual(self) -> bool:
        return any(p.kind == ParticipantKind.INDIVIDUAL for p in self.participants)


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


class NeedsConfirmation(Exception):
    """The booking breaks guidelines the user has not yet accepted."""

    def __init__(self, warnings):
        super().__init__("warnings")
        self.warnings = warnings


# --- hard rules ---------------------------------------------------------------


def may_convene(kind: str, organisation: Organisation) -> bool:
    """A SIP is convened only by the kommun or the region; any party convenes the rest."""
    if kind != MeetingKind.SIP:
        return True
    return organisation.kind in {OrganisationKind.KOMMUN, *OrganisationKind.region_kinds()}


def check_may_convene(booking: Booking):
    if not may_convene(booking.kind, booking.convening_organisation):
        raise ValidationError(
            {"kind": _("En SIP kan bara kallas till av kommunen eller regionen.")}
        )


def check_no_fk_at_premeeting(booking: Booking):
    """Försäkringskassan takes part only where the individual is present."""
    if booking.kind != MeetingKind.PREMEETING:
        return
    if any(o.kind == OrganisationKind.FORSAKRINGSKASSAN for o in booking.organisations):
        raise ValidationError(
            _("Försäkringskassan kan inte delta i ett förmöte, eftersom den enskilde inte är med.")
        )


def check_individual_not_at_premeeting(booking: Booking):
    if booking.kind == MeetingKind.PREMEETING and booking.has_individual:
        raise ValidationError({"individual_attends": _("Den enskilde deltar inte i ett förmöte.")})


def check_premeeting_consent(booking: Booking):
    if booking.kind != MeetingKind.PREMEETING:
        return
    day = timezone.localtime(booking.starts_at).date()
    if not has_premeeting_consent(booking.case, on=day):
        raise ValidationError(
            _(
                "Ett förmöte kräver den enskildes samtycke till möte utan hen. "
                "Registrera ett samtycke som gäller förmöte först."
            )
        )


def check_times(starts_at: datetime, ends_at: datetime, *, now: datetime | None = None):
    now = now or timezone.now()
    if ends_at <= starts_at:
        raise ValidationError({"length": _("Mötet måste sluta efter att det börjar.")})
    if starts_at < now:
        raise ValidationError({"date": _("Mötet kan inte bokas bakåt i tiden.")})


def check_two_parties(booking: Booking):
    """A samverkansmöte is for needs from at least two parties."""
    if booking.kind != MeetingKind.COLLABORATION:
        return
    keys = {("org", booking.convening_organisation.pk)}
    keys |= {p.party_key for p in booking.participants if p.party_key}
    if len(keys) < 2:
        raise ValidationError(
            _("Ett samverkansmöte kräver minst två parter. Bjud in minst en part till.")
        )


def check_room_free(room: Room | None, starts_at, ends_at, *, exclude: Meeting | None = None):
    """Call with the room row locked (select_for_update) so two bookings can't both pass."""
    if room is None:
        return
    clash = Meeting.objects.planned().filter(room=room).overlapping(starts_at, ends_at)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ValidationError(
            {"room": _("Rummet %(room)s är redan bokat den tiden.") % {"room": room.name}}
        )


def check_room_not_held(room, starts_at, ends_at, *, exclude_poll=None):
    """An open poll's time holds its room: nobody else books it meanwhile."""
    if room is None:
        return
    held = PollTime.objects.filter(
        room=room, poll__status=PollStatus.OPEN, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude_poll is not None:
        held = held.exclude(poll=exclude_poll)
    if held.exists():
        raise ValidationError(
            {
                "room": _("Rummet %(room)s är preliminärt hållet den tiden för föreslagna tider.")
                % {"room": room.name}
            }
        )


def check_has_place(booking: Booking):
    if not (booking.room or booking.location.strip() or booking.remote_link.strip()):
        raise ValidationError({"location": _("Ange rum, plats eller en telefon-/videolänk.")})


def check_premeeting_link(booking: Booking):
    """A tampered förmöte id must belong to the same ärende and be a förmöte."""
    pre = booking.premeeting
    if pre is not None and (pre.case_id != booking.case.pk or pre.kind != MeetingKind.PREMEETING):
        raise ValidationError(_("Förmötet hör inte till det här ärendet."))


def check_booked_by(booking: Booking):
    """One books as the convener, or as the area's coordinator for the ärende's handläggare
    (who stays sammankallande); nobody books in someone else's name otherwise."""
    booker = booking.booker
    if booker.pk == booking.convened_by.pk:
        return
    for_owner = booking.convened_by.pk == booking.case.owner_id
    if not (for_owner and case_access.books_for_owner(booker, booking.case)):
        raise ValidationError(
            _("Du kan bara boka i eget namn, eller för ärendets handläggare i ditt område.")
        )
    if not case_access.may_convene(booking.convened_by):
        raise ValidationError(
            _("Ärendets handläggare kan inte stå som sammankallande (saknar organisation).")
        )


HARD_RULES = [
    check_booked_by,
    check_may_convene,
    check_no_fk_at_premeeting,
    check_individual_not_at_premeeting,
    check_premeeting_consent,
    check_two_parties,
    check_has_place,
    check_premeeting_link,
]


def hard_rule_errors(booking: Booking, *, now=None) -> list[ValidationError]:
    errors = []
    try:
        check_times(booking.starts_at, booking.ends_at, now=now)
    except ValidationError as error:
        errors.append(error)
    if booking.case.pk and not booking.case.is_open:
        errors.append(ValidationError(_("Ärendet är avslutat; öppna det igen för att boka.")))
    for rule in HARD_RULES:
        try:
            rule(booking)
        except ValidationError as error:
            errors.append(error)
    return errors


# --- guidelines -----------------------------------------------------------------


def warn_short_notice(starts_at: datetime, *, today: date | None = None) -> list[Warning]:
    today = today or timezone.localdate()
    days = (timezone.localtime(starts_at).date() - today).days
    if days < NOTICE_DAYS:
        return [
            Warning(
                "short_notice",
                _("Mötet är om %(days)s dagar. Riktlinjen är att kalla minst tre veckor i förväg.")
                % {"days": days},
            )
        ]
    return []


def warn_unusual_length(starts_at: datetime, ends_at: datetime) -> list[Warning]:
    minutes = int((ends_at - starts_at).total_seconds() // 60)
    low, high = USUAL_LENGTH
    if not low <= minutes <= high:
        return [
            Warning(
                "length",
                _("Mötet är %(minutes)s minuter. Riktlinjen är ungefär en timme.")
                % {"minutes": minutes},
            )
        ]
    return []


def warn_age_outside_target(case: Case, starts_at: datetime) -> list[Warning]:
    age = case.age_on(timezone.localtime(starts_at).date())
    area = case.area
    if age is None or area.target_age_min <= age <= area.target_age_max:
        return []
    return [
        Warning(
            "age",
            _("Den enskilde är %(age)s år. Målgruppen för %(area)s är %(min)s–%(max)s år.")
            % {"age": age, "area": area, "min": area.target_age_min, "max": area.target_age_max},
        )
    ]


def warn_double_booked(
    participants: list[ParticipantSpec], starts_at, ends_at, *, exclude: Meeting | None = None
) -> list[Warning]:
    user_ids = {p.user.pk for p in participants if p.user is not None}
    contact_ids = {p.contact_person.pk for p in participants if p.contact_person is not None}
    if not user_ids and not contact_ids:
        return []
    clashes = Participant.objects.filter(
        Q(user__in=user_ids) | Q(contact_person__in=contact_ids),
        meeting__status=MeetingStatus.PLANNED,
        meeting__starts_at__lt=ends_at,
        meeting__ends_at__gt=starts_at,
    )
    if exclude is not None:
        clashes = clashes.exclude(meeting=exclude)
    names = sorted({p.name for p in clashes.only("name")})
    if not names:
        return []
    return [
        Warning(
            "double_booked:" + ",".join(names),
            _("Redan bokade på ett annat möte samma tid: %(names)s.") % {"names": ", ".join(names)},
        )
    ]


def warn_parties_without_consent(booking: Booking) -> list[Warning]:
    day = timezone.localtime(booking.starts_at).date()
    missing = uncovered_parties(
        booking.case,
        booking.organisations,
        on=day,
        premeeting=booking.kind == MeetingKind.PREMEETING,
    )
    if not missing:
        return []
    return [
        Warning(
            "consent:" + ",".join(str(o.pk) for o in missing),
            _(
                "Samtycke saknas för: %(parties)s. Registrera samtycke, eller ta muntligt samtycke "
                "vid mötets start."
            )
            % {"parties": ", ".join(o.name for o in missing)},
        )
    ]


def booking_warnings(booking: Booking, *, exclude: Meeting | None = None) -> list[Warning]:
    return [
        *warn_short_notice(booking.starts_at),
        *warn_unusual_length(booking.starts_at, booking.ends_at),
        *warn_age_outside_target(booking.case, booking.starts_at),
        *warn_double_booked(
            booking.participants, booking.starts_at, booking.ends_at, exclude=exclude
        ),
        *warn_parties_without_consent(booking),
    ]


def guideline_names(codes: list[str]) -> list[str]:
    """What each accepted warning's code (Meeting.accepted_warnings) says was departed
    from, for the meeting page: "kallelse minst tre veckor i förväg", "…"."""
    names = []
    for code in codes:
        kind, _sep, detail = code.partition(":")
        if kind == "short_notice":
            names.append(_("kallelse minst tre veckor i förväg"))
        elif kind == "length":
            names.append(_("mötet ungefär en timme långt"))
        elif kind == "age":
            names.append(_("den enskilde inom målgruppens ålder"))
        elif kind == "double_booked":
            names.append(_("ingen dubbelbokad (%(names)s)") % {"names": detail.replace(",", ", ")})
        elif kind == "consent":
            names.append(_("samtycke för varje inbjuden part"))
        else:
            names.append(code)
    return names


def unaccepted(warnings: list[Warning], accepted: set[str]) -> list[Warning]:
    return [w for w in warnings if w.code not in accepted]


# --- actions ----------------------------------------------------------------------


def on_behalf(user, convener) -> dict:
    """What the history shows of a booking, move or cancellation made for the convener:
    "Bokat av <user> för <convener>"."""
    if user is None or convener is None or user.pk == convener.pk:
        return {}
    return {"by_name": str(user), "on_behalf_of": convener.pk, "on_behalf_of_name": str(convener)}


def check_may_manage(user, meeting: Meeting):
    """Move and cancel: the convener, the ärende's owner and the area's coordinator."""
    if not can_manage_booking(user, meeting):
        raise PermissionDenied


def _lock_room(room: Room | None) -> None:
    # Serialises bookings of one room: a second booking waits here until the first commits.
    if room is not None:
        Room.objects.select_for_update().filter(pk=room.pk).first()


def book_meeting(
    booking: Booking, *, accepted: set[str] = frozenset(), exclude_poll=None
) -> Meeting:
    """Book a meeting after every hard rule passes and every warning is accepted.

    Raises ValidationError (hard rule) or NeedsConfirmation (guidelines).
    Side effects: one Meeting, its Participants, the invited parties become
    involved in the ärende, one CaseEvent. All in one transaction.
    """
    errors = hard_rule_errors(booking)
    if errors:
        raise ValidationError(errors)
    warnings = booking_warnings(booking)
    if unaccepted(warnings, accepted):
        raise NeedsConfirmation(warnings)
    with transaction.atomic():
        _lock_room(booking.room)
        check_room_free(booking.room, booking.starts_at, booking.ends_at)
        # A poll's time holds its room; the poll being picked (exclude_poll) does not count.
        check_room_not_held(
            booking.room, booking.starts_at, booking.ends_at, exclude_poll=exclude_poll
        )
        meeting = Meeting.objects.create(
            case=booking.case,
            kind=booking.kind,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            room=booking.room,
            location=booking.location.strip(),
            remote_link=booking.remote_link.strip(),
            purpose=booking.purpose,
            questions=booking.questions,
            convening_organisation=booking.convening_organisation,
            convened_by=booking.convened_by,
            premeeting=booking.premeeting,
            accepted_warnings=sorted(w.code for w in warnings),
            interpreter_language=booking.interpreter_language.strip(),
            interpreter_booked=booking.interpreter_booked and bool(booking.interpreter_language),
        )
        Participant.objects.bulk_create(
            Participant(
                meeting=meeting,
                kind=spec.kind,
                user=spec.user,
                contact_person=spec.contact_person,
                organisation=spec.organisation,
                organisation_name=spec.organisation_name,
                name=spec.name,
                email=spec.email,
                note=spec.note,
                answer=spec.answer,
            )
            for spec in booking.participants
        )
        booking.case.involved_organisations.add(*booking.organisations)
        sync_participation(booking.case)
        booking.case.log(
            booking.booker,
            MeetingAction.BOOKED,
            meeting=meeting.pk,
            kind=meeting.kind,
            starts_at=meeting.starts_at.isoformat(),
            warnings=meeting.accepted_warnings,
            **on_behalf(booking.booker, booking.convened_by),
        )
    return meeting


def existing_participant_specs(meeting: Meeting) -> list[ParticipantSpec]:
    return [
        ParticipantSpec(
            kind=p.kind,
            name=p.name,
            email=p.email,
            user=p.user,
            contact_person=p.contact_person,
            organisation=p.organisation,
            organisation_name=p.organisation_name,
        )
        for p in meeting.participants.select_related("user", "contact_person", "organisation")
    ]


def reschedule_meeting(
    *,
    meeting: Meeting,
    user,
    starts_at,
    ends_at,
    room=None,
    location="",
    remote_link="",
    accepted: set[str] = frozenset(),
) -> Meeting:
    """Move a meeting; participants and their answers stay. The change is logged and
    the calendar SEQUENCE goes up so invitations update."""
    check_may_manage(user, meeting)
    if meeting.is_cancelled:
        raise ValidationError(_("Mötet är inställt och kan inte flyttas."))
    check_times(starts_at, ends_at)
    if not (room or location.strip() or remote_link.strip()):
        raise ValidationError({"location": _("Ange rum, plats eller en telefon-/videolänk.")})
    participants = existing_participant_specs(meeting)
    warnings = [
        *warn_short_notice(starts_at),
        *warn_unusual_length(starts_at, ends_at),
        *warn_double_booked(participants, starts_at, ends_at, exclude=meeting),
    ]
    if unaccepted(warnings, accepted):
        raise NeedsConfirmation(warnings)
    with transaction.atomic():
        _lock_room(room)
        # Work on the locked, current row: a stale copy would undo concurrent changes.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        meeting.refresh_from_db()
        check_room_free(room, starts_at, ends_at, exclude=meeting)
        check_room_not_held(room, starts_at, ends_at)
        before = {
            "starts_at": meeting.starts_at.isoformat(),
            "ends_at": meeting.ends_at.isoformat(),
            "place": meeting.place,
        }
        meeting.starts_at, meeting.ends_at = starts_at, ends_at
        meeting.room, meeting.location, meeting.remote_link = (
            room,
            location.strip(),
            remote_link.strip(),
        )
        meeting.sequence += 1
        meeting.save()
        # A later end lengthens the participants' access, an earlier one shortens it.
        sync_participation(meeting.case)
        invitations.notify_changed(meeting)
        meeting.case.log(
            user,
            MeetingAction.RESCHEDULED,
            meeting=meeting.pk,
            before=before,
            after={
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
                "place": meeting.place,
            },
            warnings=sorted(w.code for w in warnings),
            **on_behalf(user, meeting.convened_by),
        )
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, user, reason: str) -> Meeting:
    check_may_manage(user, meeting)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    meeting.refresh_from_db()
    if meeting.is_cancelled:
        raise ValidationError(_("Mötet är redan inställt."))
    if not reason.strip():
        raise ValidationError({"reason": _("Ange varför mötet ställs in.")})
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.cancelled_reason = reason.strip()
    meeting.sequence += 1
    meeting.save()
    sync_participation(meeting.case)
    invitations.notify_cancelled(meeting)
    meeting.case.log(
        user,
        MeetingAction.CANCELLED,
        meeting=meeting.pk,
        reason=reason.strip(),
        **on_behalf(user, meeting.convened_by),
    )
    return meeting


# --- the next meeting: where the booking form starts -----------------------------------


def _same_participants(earlier: Meeting, *, user=None) -> tuple[dict, list[dict]]:
    """The earlier meeting's people (not removed) as the booking form's initial data and
    its external rows. `user`, the one booking, is left out of the staff: the form adds
    them anyway."""
    people = list(
        earlier.participants.filter(removed_at__isnull=True).select_related(
            "contact_person", "organisation"
        )
    )
    booking_user = getattr(user, "pk", None)
    named_rows = named_by_contact(earlier)
    named = [p for p in people if p.pk in named_rows and p.contact_person_id]
    staff = [p.user_id for p in people if p.user_id and p.user_id != booking_user]
    externals = []
    for person in named:
        account = _account_of(person)
        if account is not None:
            if account.pk != booking_user and account.pk not in staff:
                staff.append(account.pk)
        else:
            externals.append(_external_row(person))
    initial = {
        "contacts": [p.contact_person_id for p in people if p.contact_person_id and p not in named],
        "staff": staff,
        "individual_attends": True,
    }
    support = [p.name for p in people if p.kind == ParticipantKind.SUPPORT_PERSON]
    if support:
        initial["support_person"] = support[0]
    externals += [_external_row(p) for p in people if p.kind == ParticipantKind.EXTERNAL]
    return initial, externals


def named_by_contact(meeting: Meeting) -> set[int]:
    """The meeting's rows on which a contact person named the handläggare who comes
    (invitations.name_caseworker, which writes it to the history)."""
    events = meeting.case.events.filter(
        action=MeetingAction.CASEWORKER_NAMED, data__meeting=meeting.pk
    )
    return {pk for pk in events.values_list("data__participant", flat=True) if pk}


def _account_of(participant: Participant):
    """The active user of the participant's party with the participant's address, if any."""
    if not participant.organisation_id or not participant.email:
        return None
    return User.objects.filter(
        organisation_id=participant.organisation_id,
        email__iexact=participant.email.strip(),
        is_active=True,
    ).first()


def _external_row(participant: Participant) -> dict:
    """An external row of the booking form for someone invited before: a substitute or a
    named handläggare keeps their party (the organisation, not just its name)."""
    row = {
        "name": participant.name,
        "organisation_name": participant.organisation_name,
        "email": participant.email,
    }
    if participant.organisation_id:
        row["organisation"] = participant.organisation_id
    return row


def collaboration_initial(premeeting: Meeting, *, user=None) -> tuple[dict, list[dict]]:
    """ "Boka samverkansmöte" from a förmöte: the booking form's (initial, externals), a
    samverkansmöte linked to the förmöte, with its people, purpose and questions."""
    initial, externals = _same_participants(premeeting, user=user)
    initial.update(
        kind=MeetingKind.COLLABORATION,
        premeeting=premeeting.pk,
        purpose=premeeting.purpose,
        questions=premeeting.questions,
    )
    return initial, externals


def follow_up_initial(
    earlier: Meeting, *, user=None, day=None, start_time=None, location: str = ""
) -> tuple[dict, list[dict]]:
    """ "Boka uppföljning" from a held meeting: the booking form's (initial, externals), an
    avstämningsmöte with the same people, on the day, time and place agreed for it where
    they are known (the plan holds them; the booking page gets them from its link)."""
    initial, externals = _same_participants(earlier, user=user)
    held = formats.date_format(timezone.localtime(earlier.starts_at), "j F Y")
    initial.update(
        kind=MeetingKind.CHECKPOINT,
        purpose=_("Uppföljning av handlingsplanen från %(day)s") % {"day": held},
        questions=_("Hur har det gått med det vi bestämde? Behöver planen ändras?"),
    )
    if day:
        initial["date"] = day
    if start_time:
        initial["start_time"] = start_time
    if location:
        initial["location"] = location[: Meeting._meta.get_field("location").max_length]
    return initial, externals
