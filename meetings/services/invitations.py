"""Kallelse: sending invitations, updates, cancellations and reminders; answers.

Everything that leaves by e-mail is queued in the outbox inside the caller's
transaction and sent by the worker, which also renders the PDF and the
calendar file. Nothing here puts a personnummer into a message.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.enums import ContactPreference
from common.links import absolute
from consent.services import uncovered_parties
from outbox.enums import MessageState
from outbox.services import latest_state, queue_templated

from ..enums import Answer, MeetingAction, MeetingKind, ParticipantKind
from ..models import Meeting, Participant, new_answer_key
from .participation import sync_participation

ANSWER_SALT = "samverk.meetings.answer"
DELEGATE_SALT = "samverk.meetings.delegate"
INVITATION_BUILDER = "meetings.invitation"


# --- links ------------------------------------------------------------------------


def _signer(salt):
    return signing.Signer(salt=salt)


def answer_token(participant: Participant) -> str:
    """Signed, opaque: a random key plus its signature. Reveals nothing by itself."""
    return _signer(ANSWER_SALT).sign(participant.answer_key)


def delegate_token(participant: Participant) -> str:
    return _signer(DELEGATE_SALT).sign(participant.answer_key)


class LinkError(Exception):
    """A tampered, unknown or expired link; the message is shown to the visitor."""


def participant_from_token(token: str, *, salt=ANSWER_SALT, now=None) -> Participant:
    try:
        key = _signer(salt).unsign(token)
    except signing.BadSignature:
        raise LinkError(
            _("Länken är ogiltig. Kontrollera att du använt hela länken från e-posten.")
        ) from None
    participant = (
        Participant.objects.select_related(
            "meeting", "meeting__room", "meeting__convening_organisation", "meeting__convened_by"
        )
        .filter(answer_key=key)
        .first()
    )
    if participant is None or participant.is_removed:
        raise LinkError(_("Länken gäller inte längre. Kontakta den som kallade till mötet."))
    meeting = participant.meeting
    if meeting.ends_at <= (now or timezone.now()):
        raise LinkError(_("Mötet har redan varit, så länken gäller inte längre."))
    if meeting.is_cancelled:
        raise LinkError(_("Mötet är inställt. Du behöver inte svara."))
    return participant


# --- who gets what -------------------------------------------------------------------


def consent_gaps(meeting: Meeting, participants=None):
    """Invited parties that current consent does not cover on the meeting's day.

    `participants`: the meeting's people if already read (removed ones are skipped here).
    """
    if participants is None:
        participants = active_participants(meeting)
    organisations = {meeting.convening_organisation}
    organisations |= {
        p.organisation for p in participants if p.organisation_id and not p.is_removed
    }
    day = timezone.localtime(meeting.starts_at).date()
    return uncovered_parties(
        meeting.case, organisations, on=day, premeeting=meeting.kind == MeetingKind.PREMEETING
    )


def active_participants(meeting: Meeting):
    return meeting.participants.filter(removed_at__isnull=True).select_related(
        "organisation", "contact_person", "user"
    )


def participants_for_page(meeting: Meeting) -> list[Participant]:
    """Everyone on the meeting, the removed last, for the meeting page, in one query.

    Each participant carries ``delivery``: the state (a MessageState) of the latest
    kallelse queued to them (the rule of outbox.services.messages_for, read here as a
    subquery of the same query: outbox.services.latest_state), None before any; and
    ``kind_label`` and ``answer_label``, the display texts of kind and answer.
    The page's other checks (:func:`key_person_declines`, :func:`consent_gaps`) take
    this list instead of reading the participants again.
    """
    people = list(
        meeting.participants.select_related("organisation")
        .annotate(delivery_state=latest_state(Participant, attachments_builder=INVITATION_BUILDER))
        .order_by(F("removed_at").asc(nulls_first=True), "kind", "organisation__name", "name", "pk")
    )
    # The labels once per page, not get_FOO_display() per row (it rebuilds the choices).
    kinds, answers = dict(ParticipantKind.choices), dict(Answer.choices)
    for person in people:
        person.delivery = MessageState(person.delivery_state) if person.delivery_state else None
        person.kind_label, person.answer_label = kinds[person.kind], answers[person.answer]
    return people


def receives_email(participant: Participant) -> bool:
    """Staff and outside participants by e-mail; the individual only if they asked for e-mail.

    The convener answers for the meeting and gets no kallelse from themselves.
    """
    if not participant.email or participant.is_removed:
        return False
    if participant.user_id and participant.user_id == participant.meeting.convened_by_id:
        return False
    if participant.kind == ParticipantKind.INDIVIDUAL:
        case = participant.meeting.case
        return case.contact_preference == ContactPreference.EMAIL
    return True


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    return f"{formats.date_format(start, 'l j F Y')} {start:%H.%M}–{end:%H.%M}"


def _queue(participant: Participant, kind: str, *, method: str = "REQUEST", **context):
    """A message of ``kind`` (templates/emails/<kind>-*) to a participant, with the
    kallelse PDF and calendar file the worker attaches."""
    meeting = participant.meeting
    context = {
        "meeting": meeting,
        "participant": participant,
        "when": _when(meeting),
        "answer_url": absolute(reverse("meetings:answer", args=[answer_token(participant)])),
        "delegate_url": absolute(reverse("meetings:delegate", args=[delegate_token(participant)]))
        if participant.kind == ParticipantKind.CONTACT
        else "",
        **context,
    }
    return queue_templated(
        kind,
        context=context,
        to_email=participant.email,
        to_name=participant.name,
        reply_to=meeting.convened_by.email,
        attachments_builder=INVITATION_BUILDER,
        builder_args={"participant": participant.pk, "method": method},
        related=participant,
    )


def queue_invitation(participant: Participant):
    return _queue(participant, "invitation")


def queue_update(participant: Participant):
    return _queue(participant, "update")


def queue_cancellation(participant: Participant, *, reason: str = ""):
    return _queue(participant, "cancellation", method="CANCEL", reason=reason)


def queue_reminder(participant: Participant):
    return _queue(participant, "reminder")


# --- actions -------------------------------------------------------------------------


@transaction.atomic
def send_invitations(*, meeting: Meeting, user, oral_consent_at_start: bool = False) -> int:
    """ "Skicka kallelse": one message per participant who receives e-mail.

    Refused while consent does not cover every invited party, unless the
    convener records that oral consent is taken at the start of the meeting.
    Side effects: meeting.oral_consent_at_start / invitations_sent_at, one
    outbox row per recipient, one CaseEvent. Returns the number queued.
    """
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    meeting.refresh_from_db()
    if meeting.is_cancelled:
        raise ValidationError(_("Mötet är inställt."))
    if meeting.ends_at <= timezone.now():
        raise ValidationError(_("Mötet har redan varit."))
    gaps = consent_gaps(meeting)
    if gaps and not oral_consent_at_start:
        raise ValidationError(
            {
                "oral_consent_at_start": _(
                    "Samtycke saknas för %(parties)s. Registrera samtycket, eller kryssa i att "
                    "muntligt samtycke inhämtas vid mötets start."
                )
                % {"parties": ", ".join(o.name for o in gaps)}
            }
        )
    meeting.oral_consent_at_start = oral_consent_at_start or meeting.oral_consent_at_start
    first_time = meeting.invitations_sent_at is None
    meeting.invitations_sent_at = timezone.now()
    meeting.save(update_fields=["oral_consent_at_start", "invitations_sent_at", "updated_at"])
    recipients = [p for p in active_participants(meeting) if receives_email(p)]
    for participant in recipients:
        queue_invitation(participant)
    meeting.case.log(
        user,
        MeetingAction.INVITATIONS_SENT,
        meeting=meeting.pk,
        recipients=len(recipients),
        first_time=first_time,
        oral_consent_at_start=meeting.oral_consent_at_start,
    )
    return len(recipients)


def notify_changed(meeting: Meeting) -> int:
    """After a reschedule: an updated invitation (same UID, higher SEQUENCE) to everyone."""
    if meeting.invitations_sent_at is None:
        return 0
    recipients = [p for p in active_participants(meeting) if receives_email(p)]
    for participant in recipients:
        queue_update(participant)
    return len(recipients)


def notify_cancelled(meeting: Meeting) -> int:
    if meeting.invitations_sent_at is None:
        return 0
    recipients = [p for p in active_participants(meeting) if receives_email(p)]
    for participant in recipients:
        queue_cancellation(participant, reason=meeting.cancelled_reason)
    return len(recipients)


def _lock_not_cancelled(meeting: Meeting, refusal: str) -> None:
    """Inside the caller's transaction: lock the meeting's row, read its state afresh and
    refuse a cancelled meeting. The lock orders the change after a concurrent
    cancel_meeting (which locks the row too), so nothing goes out after the cancellation."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    meeting.refresh_from_db(fields=["status", "invitations_sent_at"])
    if meeting.is_cancelled:
        raise ValidationError(refusal)


@transaction.atomic
def add_participant(*, meeting: Meeting, user, participant: Participant) -> Participant:
    """Add someone after booking; they get the kallelse if it has gone out already.
    Refused for a cancelled meeting."""
    _lock_not_cancelled(meeting, _("Mötet är inställt, så ingen kan läggas till."))
    participant.meeting = meeting
    participant.save()
    if participant.organisation_id:
        meeting.case.involved_organisations.add(participant.organisation_id)
    sync_participation(meeting.case)
    meeting.case.log(
        user, MeetingAction.PARTICIPANT_ADDED, meeting=meeting.pk, participant=participant.pk
    )
    if meeting.invitations_sent_at and receives_email(participant):
        queue_invitation(participant)
    return participant


@transaction.atomic
def remove_participant(*, participant: Participant, user) -> Participant:
    """Take someone off the meeting; their calendar gets a cancellation. History is kept.
    Refused for a cancelled meeting (everyone's calendar has its cancellation already)."""
    meeting = participant.meeting
    _lock_not_cancelled(meeting, _("Mötet är inställt, så ingen kan tas bort."))
    if participant.is_removed:
        return participant
    if participant.user_id and participant.user_id == meeting.convened_by_id:
        raise ValidationError(_("Den som kallat till mötet kan inte tas bort."))
    was_receiving = receives_email(participant)
    participant.removed_at = timezone.now()
    participant.save(update_fields=["removed_at"])
    sync_participation(meeting.case)
    meeting.case.log(
        user, MeetingAction.PARTICIPANT_REMOVED, meeting=meeting.pk, participant=participant.pk
    )
    if meeting.invitations_sent_at and was_receiving:
        queue_cancellation(participant, reason=_("Du är inte längre kallad till mötet."))
    return participant


def key_person_declines(meeting: Meeting, participants=None) -> list[Participant]:
    """Declines by the only invited person of a party: the meeting may need a new time.

    `participants`: the meeting's people if already read (removed ones are skipped here).
    """
    if participants is None:
        participants = active_participants(meeting)
    people = [p for p in participants if p.organisation_id and not p.is_removed]
    by_party = {}
    for person in people:
        by_party.setdefault(person.organisation_id, []).append(person)
    return [
        group[0]
        for group in by_party.values()
        if len(group) == 1 and group[0].answer == Answer.DECLINED
    ]


def _notify_convener(participant: Participant, text: str):
    meeting = participant.meeting
    convener = meeting.convened_by
    if not convener.email:
        return None
    context = {
        "meeting": meeting,
        "participant": participant,
        "text": text,
        "when": _when(meeting),
        "meeting_url": absolute(meeting.get_absolute_url()),
    }
    return queue_templated(
        "answer-to-convener",
        context=context,
        to_email=convener.email,
        to_name=str(convener),
        related=participant,
    )


@transaction.atomic
def record_answer(
    *, participant: Participant, answer: str, substitute_name: str = "", substitute_email: str = ""
) -> Participant:
    """An answer through the link. Only the convener hears of it (never the other participants).

    A substitute is added as a new participant from the same party and gets the kallelse.
    """
    if answer not in {Answer.ATTENDING, Answer.DECLINED, Answer.SUBSTITUTE, Answer.REMOTE}:
        raise ValidationError(_("Välj ett av svaren."))
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    participant.answer = answer
    participant.answered_at = timezone.now()
    participant.save(update_fields=["answer", "answered_at"])
    meeting = participant.meeting
    text = participant.get_answer_display()
    if answer == Answer.SUBSTITUTE:
        if not substitute_name.strip() or not substitute_email.strip():
            raise ValidationError(_("Ange ersättarens namn och e-post."))
        substitute = Participant.objects.create(
            meeting=meeting,
            kind=ParticipantKind.EXTERNAL,
            organisation=participant.organisation,
            organisation_name=participant.organisation_name,
            name=substitute_name.strip(),
            email=substitute_email.strip(),
            substitute_for=participant,
            note=_("Ersätter %(name)s") % {"name": participant.name},
        )
        sync_participation(meeting.case)
        text = _("Skickar ersättare: %(name)s") % {"name": substitute.name}
        queue_invitation(substitute)
    meeting.case.log(
        None, MeetingAction.ANSWERED, meeting=meeting.pk, participant=participant.pk, answer=answer
    )
    _notify_convener(participant, text)
    return participant


@transaction.atomic
def name_caseworker(*, participant: Participant, name: str, email: str) -> Participant:
    """A party's contact person names the handläggare who will attend; they get the kallelse."""
    if not name.strip() or not email.strip():
        raise ValidationError(_("Ange handläggarens namn och e-post."))
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    contact_name = participant.name
    participant.name = name.strip()
    participant.email = email.strip()
    participant.note = _("Anmäld av kontaktperson %(name)s") % {"name": contact_name}
    participant.answer = Answer.NONE
    participant.answered_at = None
    # A new key: the contact person's link stops working for the handläggare's answers.
    participant.answer_key = new_answer_key()
    participant.save()
    # The handläggare's address replaces the contact person's: access moves with it.
    sync_participation(participant.meeting.case)
    participant.meeting.case.log(
        None,
        MeetingAction.CASEWORKER_NAMED,
        meeting=participant.meeting_id,
        participant=participant.pk,
    )
    queue_invitation(participant)
    _notify_convener(
        participant,
        _("%(contact)s anmäler %(name)s") % {"contact": contact_name, "name": participant.name},
    )
    return participant


def due_reminders(*, now=None, days_before=None):
    now = now or timezone.now()
    days = settings.REMINDER_DAYS_BEFORE if days_before is None else days_before
    return (
        Participant.objects.filter(
            answer=Answer.NONE,
            reminded_at__isnull=True,
            removed_at__isnull=True,
            meeting__status="planned",
            meeting__invitations_sent_at__isnull=False,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + timedelta(days=days),
        )
        .exclude(email="")
        .select_related("meeting", "meeting__case", "meeting__convened_by", "organisation")
    )


def send_reminders(*, now=None, days_before=None) -> int:
    """Remind those who have not answered, once, a configurable number of days before."""
    sent = 0
    for participant in due_reminders(now=now, days_before=days_before):
        if not receives_email(participant):
            continue
        with transaction.atomic():
            claimed = Participant.objects.filter(
                pk=participant.pk, reminded_at__isnull=True
            ).update(reminded_at=timezone.now())
            if claimed != 1:  # another run got there first
                continue
            queue_reminder(participant)
            sent += 1
    return sent
