"""Kallelse: sending invitations, updates, cancellations and reminders; answers.

Everything that leaves by e-mail is queued in the outbox inside the caller's
transaction and sent by the worker, which also renders the PDF and the
calendar file. Nothing here puts a personnummer into a message.

A message is composed for one state of the meeting: its ``sequence`` (bumped by every
move and by the cancellation; the calendar file's SEQUENCE) goes into the row's
builder_args, and the worker renders the attachments from the meeting only while that
state holds (:func:`message_superseded`, checked when a worker claims the row). A change
marks every message of the meeting that has not left "Ersatt" (outbox.services.supersede)
and queues what holds now, and "Skicka igen" sends what holds now
(:func:`resend_current`, :func:`send_current`), never an old body.
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
from django.utils.translation import gettext_lazy

from cases.enums import ContactPreference
from common import links
from common.links import absolute
from consent.services import uncovered_parties
from outbox.enums import MessageState
from outbox.services import (
    delivery_status,
    latest_state,
    latest_value,
    messages_about,
    queue_templated,
    supersede,
)
from parties.email_domains import domain_of, is_public_mail_domain
from parties.models import ContactPerson, User

from ..enums import Answer, MeetingAction, MeetingKind, ParticipantKind
from ..models import Meeting, Participant, new_answer_key
from .participation import sync_participation

ANSWER_SALT = "samverk.meetings.answer"
DELEGATE_SALT = "samverk.meetings.delegate"
INVITATION_BUILDER = "meetings.invitation"
# The messages that, to the individual, are the plain-language letter (templates/emails/letter-*).
LETTER_KINDS = ("invitation", "update", "reminder")
# Messages that went out (as far as Samverk knows): what a participant has received.
LEFT = (MessageState.SENT, MessageState.DELIVERED)
# A message on its way: sending it again would only send it twice.
ON_ITS_WAY = (MessageState.QUEUED, MessageState.SENDING)


def removed_reason():
    return _("Du är inte längre kallad till mötet.")


# --- links ------------------------------------------------------------------------


def _signer(salt):
    return signing.Signer(salt=salt)


def answer_token(participant: Participant) -> str:
    """Signed, opaque: a random key plus its signature. Reveals nothing by itself."""
    return _signer(ANSWER_SALT).sign(participant.answer_key)


def delegate_token(participant: Participant) -> str:
    return _signer(DELEGATE_SALT).sign(participant.answer_key)


class LinkError(links.LinkError):
    """A tampered, unknown or expired link; the message is shown to the visitor."""


def participant_from_token(token: str, *, salt=ANSWER_SALT, now=None) -> Participant:
    key = links.unsign_link_key(token, salt=salt, error=LinkError)
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
    latest = {"attachments_builder": INVITATION_BUILDER}
    people = list(
        meeting.participants.select_related("organisation")
        .annotate(
            delivery_state=latest_state(Participant, **latest),
            delivery_attempts=latest_value(Participant, "attempts", **latest),
            delivery_next=latest_value(Participant, "next_attempt_at", **latest),
        )
        .order_by(F("removed_at").asc(nulls_first=True), "kind", "organisation__name", "name", "pk")
    )
    # The labels once per page, not get_FOO_display() per row (it rebuilds the choices).
    kinds, answers = dict(ParticipantKind.choices), dict(Answer.choices)
    for person in people:
        person.delivery = MessageState(person.delivery_state) if person.delivery_state else None
        # "Misslyckades, nytt försök 14:05" rather than "Köad" (outbox.services.delivery_status)
        person.delivery_status = (
            delivery_status(person.delivery, person.delivery_attempts or 0, person.delivery_next)
            if person.delivery
            else None
        )
        person.kind_label, person.answer_label = kinds[person.kind], answers[person.answer]
        person.may_remind = may_remind(person, meeting)
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


def _queue(
    participant: Participant,
    kind: str,
    *,
    method: str = "REQUEST",
    pdf: bool = True,
    **context,
):
    """A message of ``kind`` (templates/emails/<kind>-*) to a participant, with the
    kallelse PDF (unless ``pdf`` is False) and calendar file the worker attaches, composed
    for the meeting's state now (its sequence, in builder_args)."""
    meeting = participant.meeting
    context = {
        "meeting": meeting,
        "participant": participant,
        "when": _when(meeting),
        "answer_url": absolute(reverse("meetings:answer", args=[answer_token(participant)])),
        "delegate_url": absolute(reverse("meetings:delegate", args=[delegate_token(participant)]))
        if participant.kind == ParticipantKind.CONTACT
        else "",
        # "Acceptera"/"Avböj" reach Samverk only through the reply mailbox (ical.organizer_address).
        "calendar_answers": bool(settings.CALENDAR_REPLY_ADDRESS),
        **context,
    }
    builder_args = {"participant": participant.pk, "method": method, "sequence": meeting.sequence}
    if not pdf:
        builder_args["pdf"] = False
    if participant.kind == ParticipantKind.INDIVIDUAL:
        # The individual who prefers e-mail gets the plain-language letter as the e-mail
        # and as the PDF (a cancellation too: the letter says INSTÄLLT), never the staff
        # kallelse (issue 16).
        if pdf:
            builder_args["pdf"] = "letter"
        if kind in LETTER_KINDS:
            from .documents import letter_context

            context = {**letter_context(meeting), **context, "change": kind}
            kind = "letter"
    return queue_templated(
        kind,
        context=context,
        to_email=participant.email,
        to_name=participant.name,
        reply_to=meeting.convened_by.email,
        attachments_builder=INVITATION_BUILDER,
        builder_args=builder_args,
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


# --- which message holds ---------------------------------------------------------------


def _sequence(message) -> int | None:
    """The meeting's sequence the message was composed for; None for a row queued before
    the sequence was recorded (taken to be current: nothing says otherwise)."""
    value = message.builder_args.get("sequence")
    return value if isinstance(value, int) else None


def _is_cancel(message) -> bool:
    return message.builder_args.get("method") == "CANCEL"


def _composed_now(message, meeting: Meeting) -> bool:
    sequence = _sequence(message)
    return sequence is None or sequence == meeting.sequence


def message_superseded(message) -> bool:
    """Whether a later change has made a kallelse, update, reminder or cancellation untrue
    (the invitation builder's ``superseded``, outbox.builders): the meeting moved or was
    cancelled since it was composed, the participant was removed (for all but their
    cancellation), or their address is no longer the one it was written to (a contact
    person named the handläggare who comes). The worker then never sends it."""
    participant = (
        Participant.objects.select_related("meeting")
        .filter(pk=message.builder_args.get("participant"))
        .first()
    )
    if participant is None:
        return True
    meeting = participant.meeting
    if message.to_email.strip().lower() != participant.email.strip().lower():
        return True
    if not _is_cancel(message) and (meeting.is_cancelled or participant.is_removed):
        return True
    return not _composed_now(message, meeting)


def resend_current(message):
    """ "Skicka igen" on a superseded message (the invitation builder's ``resend``): the
    message that says what holds now for its participant, one already on its way or sent,
    or a new one (:func:`send_current`). The message itself when there is no one to send
    to any more."""
    participant = Participant.objects.filter(pk=message.builder_args.get("participant")).first()
    if participant is None:
        return message
    return send_current(participant) or message


@transaction.atomic
def send_current(participant: Participant):
    """What "Skicka igen" sends one participant: what holds now. A cancellation once the
    meeting is cancelled or they are removed from it, else the kallelse, or "ändrad tid"
    to someone who received the meeting at an earlier time or place; their messages of the
    meeting that have not left are superseded by it. A message of what holds now still on
    its way is returned instead of queuing another (a double click sends once). Returns
    None for a participant without an address. Locks the meeting's row, so a concurrent
    change is ordered before or after it."""
    meeting = _locked(participant.meeting)
    participant = Participant.objects.get(pk=participant.pk)
    participant.meeting = meeting
    if not participant.email:
        return None
    closing = meeting.is_cancelled or participant.is_removed
    address = participant.email.strip().lower()
    theirs = [
        m
        for m in messages_about([participant], attachments_builder=INVITATION_BUILDER).exclude(
            state=MessageState.SUPERSEDED
        )
        if m.to_email.strip().lower() == address
    ]
    for message in theirs:  # newest first
        if (
            message.state in ON_ITS_WAY
            and _composed_now(message, meeting)
            and _is_cancel(message) == closing
        ):
            return message
    supersede([participant], attachments_builder=INVITATION_BUILDER)
    if closing:
        reason = removed_reason() if participant.is_removed else meeting.cancelled_reason
        return queue_cancellation(participant, reason=reason)
    received_before = any(
        message.state in LEFT and not _is_cancel(message) and not _composed_now(message, meeting)
        for message in theirs
    )
    return queue_update(participant) if received_before else queue_invitation(participant)


def _invited_now(meeting: Meeting, people) -> set[int]:
    """The pks of those of ``people`` who have a kallelse, update or reminder for the
    meeting's state now (not superseded, to the address they have now)."""
    address = {p.pk: p.email.strip().lower() for p in people}
    rows = messages_about(people, attachments_builder=INVITATION_BUILDER).exclude(
        state=MessageState.SUPERSEDED
    )
    return {
        m.related_id
        for m in rows.only("related_id", "to_email", "builder_args")
        if m.to_email.strip().lower() == address[m.related_id]
        and not _is_cancel(m)
        and _composed_now(m, meeting)
    }


def _supersede_for_change(meeting: Meeting) -> None:
    """Before a change's own messages (a move, the cancellation): every kallelse, update,
    reminder or cancellation of the meeting that has not left is untrue now. A removed
    person's cancellation still has to arrive, so it is queued again for the new state;
    everyone else gets the change's message."""
    people = list(meeting.participants.all())
    had_pending = supersede(people, attachments_builder=INVITATION_BUILDER)
    for person in people:
        if person.pk in had_pending and person.is_removed and person.email:
            queue_cancellation(person, reason=removed_reason())


def _locked(meeting: Meeting) -> Meeting:
    """Inside the caller's transaction: the meeting's row locked and read afresh."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    meeting.refresh_from_db()
    return meeting


# --- actions -------------------------------------------------------------------------


@transaction.atomic
def send_invitations(*, meeting: Meeting, user, oral_consent_at_start: bool = False) -> int:
    """ "Skicka kallelse": one message per participant who receives e-mail and has not had
    the kallelse for the meeting as it is now (its time and place: the sequence). Clicked
    twice, or six times at once, it sends each person one; sending to someone again is
    :func:`resend_invitation`.

    Refused while consent does not cover every invited party, unless the
    convener records that oral consent is taken at the start of the meeting.
    Side effects: meeting.oral_consent_at_start / invitations_sent_at (when someone was
    sent to), one outbox row per new recipient, one CaseEvent. Returns the number queued.
    The meeting's row is locked first: simultaneous clicks wait for each other and the
    second sees the first's messages.
    """
    _locked(meeting)
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
    receiving = [p for p in active_participants(meeting) if receives_email(p)]
    invited = _invited_now(meeting, receiving)
    recipients = [p for p in receiving if p.pk not in invited]
    if recipients or first_time:
        meeting.invitations_sent_at = timezone.now()
    meeting.save(update_fields=["oral_consent_at_start", "invitations_sent_at", "updated_at"])
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


@transaction.atomic
def resend_invitation(*, participant: Participant, user):
    """ "Skicka igen till <namn>": the kallelse (or "ändrad tid", :func:`send_current`)
    once more to one participant, e.g. one who lost it. A message to them still on its
    way is not doubled. Refused for a cancelled or past meeting, before the kallelse has
    gone out, and for someone removed or without e-mail. Side effects: one outbox row,
    one CaseEvent. Returns the message."""
    meeting = _locked(participant.meeting)
    participant = Participant.objects.get(pk=participant.pk)
    participant.meeting = meeting
    if meeting.is_cancelled:
        raise ValidationError(_("Mötet är inställt."))
    if meeting.ends_at <= timezone.now():
        raise ValidationError(_("Mötet har redan varit."))
    if meeting.invitations_sent_at is None:
        raise ValidationError(_("Kallelsen har inte skickats än. Skicka kallelse till alla först."))
    if participant.is_removed:
        raise ValidationError(_("%(name)s är borttagen från mötet.") % {"name": participant.name})
    if not receives_email(participant):
        raise ValidationError(
            _("%(name)s får inte kallelsen med e-post.") % {"name": participant.name}
        )
    message = send_current(participant)
    meeting.case.log(
        user,
        MeetingAction.INVITATION_RESENT,
        meeting=meeting.pk,
        participant=participant.pk,
        message=message.pk,
    )
    return message


def notify_changed(meeting: Meeting) -> int:
    """After a reschedule: an updated invitation (same UID, higher SEQUENCE) to everyone;
    what had not left of the earlier state is superseded. In the change's transaction,
    with the meeting's row locked and its sequence bumped."""
    _supersede_for_change(meeting)
    if meeting.invitations_sent_at is None:
        return 0
    recipients = [p for p in active_participants(meeting) if receives_email(p)]
    for participant in recipients:
        queue_update(participant)
    return len(recipients)


def notify_cancelled(meeting: Meeting) -> int:
    """After the cancellation: CANCEL to everyone; what had not left is superseded (a
    kallelse still queued would put the meeting back into a calendar)."""
    _supersede_for_change(meeting)
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
    meeting.refresh_from_db(fields=["status", "invitations_sent_at", "sequence"])
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
    # A kallelse, update or reminder to them not yet sent must not follow the cancellation.
    supersede([participant], attachments_builder=INVITATION_BUILDER)
    if meeting.invitations_sent_at and was_receiving:
        queue_cancellation(participant, reason=removed_reason())
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


def of_the_party(participant: Participant, email: str) -> bool:
    """Whether ``email`` belongs to the party ``participant`` was invited for: an address
    at one of the party's e-mail domains (kept by the administrator,
    Organisation.email_domains), of one of its contact persons or users, or at the domain
    of the very address the kallelse was sent to (unless that is a public mail service,
    where anyone can have an address: parties.email_domains).

    The answer and delegate links may have been forwarded, and whoever they name gets the
    kallelse with the individual's name, the purpose and the questions: only someone of
    the invited party may be named (a substitute, the handläggare who comes)."""
    email = email.strip()
    organisation = participant.organisation
    if organisation is not None:
        if organisation.has_email_domain(email):
            return True
        people = {"organisation": organisation, "email__iexact": email, "is_active": True}
        if ContactPerson.objects.filter(**people).exists():
            return True
        if User.objects.filter(**people).exists():
            return True
    invited_at = domain_of(participant.email)
    return (
        bool(invited_at)
        and invited_at == domain_of(email)
        and not is_public_mail_domain(invited_at)
    )


def _party_domains(participant: Participant) -> str:
    """The domains an address of the participant's party may end in, for a message."""
    invited_at = domain_of(participant.email)
    domains = [invited_at] if invited_at and not is_public_mail_domain(invited_at) else []
    if participant.organisation is not None:
        domains += [d for d in participant.organisation.email_domain_list if d not in domains]
    return _(" eller ").join(f"@{domain}" for domain in domains)


# The refusals in whole sentences (a translator sees each as it is shown): with the
# party's domains to use, and without any that can be checked here.
_PARTY_REFUSALS = {
    "substitute": (
        gettext_lazy(
            "Ersättaren ska arbeta hos %(party)s. Ange hens e-postadress där (som slutar på "
            "%(domains)s), eller be den som kallade att lägga till ersättaren."
        ),
        gettext_lazy(
            "Ersättaren ska arbeta hos %(party)s, och den adressen kan inte kontrolleras här. "
            "Be den som kallade att lägga till ersättaren."
        ),
    ),
    "caseworker": (
        gettext_lazy(
            "Handläggaren ska arbeta hos %(party)s. Ange hens e-postadress där (som slutar "
            "på %(domains)s), eller be den som kallade att lägga till handläggaren."
        ),
        gettext_lazy(
            "Handläggaren ska arbeta hos %(party)s, och den adressen kan inte kontrolleras här. "
            "Be den som kallade att lägga till handläggaren."
        ),
    ),
}


def _party_refusal(participant: Participant, email: str, who: str) -> str:
    if of_the_party(participant, email):
        return ""
    party = participant.party_name or _("samma organisation som du")
    domains = _party_domains(participant)
    with_domains, without = _PARTY_REFUSALS[who]
    if domains:
        return str(with_domains) % {"party": party, "domains": domains}
    return str(without) % {"party": party}


def substitute_refusal(participant: Participant, email: str) -> str:
    """Why ``email`` may not be named through ``participant``'s answer link as their
    substitute (:func:`of_the_party`); "" when it may."""
    return _party_refusal(participant, email, "substitute")


def caseworker_refusal(participant: Participant, email: str) -> str:
    """Why a contact person's delegate link may not name ``email`` as the handläggare who
    comes (:func:`of_the_party`); "" when it may."""
    return _party_refusal(participant, email, "caseworker")


def may_name_substitute(participant: Participant) -> bool:
    """A substitute cannot name a substitute (a forwarded link would go on and on), and
    the individual sends none."""
    return participant.substitute_for_id is None and participant.kind != ParticipantKind.INDIVIDUAL


def _withdraw_substitute(substitute: Participant) -> None:
    """A substitute named before is replaced: off the meeting, and told so, with the
    cancellation of the calendar entry (no kallelse again: they are no longer invited)."""
    substitute.removed_at = timezone.now()
    substitute.save(update_fields=["removed_at"])
    supersede([substitute], attachments_builder=INVITATION_BUILDER)
    if substitute.email:
        _queue(substitute, "substitute-withdrawn", method="CANCEL", pdf=False)


@transaction.atomic
def record_answer(
    *,
    participant: Participant,
    answer: str,
    substitute_name: str = "",
    substitute_email: str = "",
    via: str = "link",
    comment: str = "",
    contribution_text: str = "",
    contribution_file=None,
) -> Participant:
    """An answer through the link, or through the calendar's "Acceptera"/"Avböj" (``via``
    "calendar": meetings.services.replies). Only the convener hears of it (never the other
    participants).

    A substitute is added as a new participant from the same party and gets the kallelse:
    one of the party (:func:`substitute_refusal`), one per invitation (naming another
    replaces the one before, who is told, :func:`_withdraw_substitute`), never named by a
    substitute (:func:`may_name_substitute`). Refusals are ValidationErrors by the field
    they concern, with nothing saved. The convener's notice goes at once, as for any answer.
    """
    if answer not in {Answer.ATTENDING, Answer.DECLINED, Answer.SUBSTITUTE, Answer.REMOTE}:
        raise ValidationError(_("Välj ett av svaren."))
    check_contribution(answer, contribution_text, contribution_file)
    # The meeting first, as every change of it does: a move or cancellation at the same
    # moment then sees the substitute and sends them its message.
    _locked(participant.meeting)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    meeting = participant.meeting
    substitute = None
    if answer == Answer.SUBSTITUTE:
        substitute, replaced = _name_substitute(participant, substitute_name, substitute_email)
    participant.answer = answer
    participant.answered_at = timezone.now()
    fields = ["answer", "answered_at"]
    if via == "link":
        # The latest answer by the link holds: its comment, and its contribution
        # (:func:`_keep_contribution`). A calendar answer carries neither and keeps them.
        participant.answer_comment = comment.strip()
        fields += [
            "answer_comment",
            *_keep_contribution(participant, contribution_text, contribution_file),
        ]
    participant.save(update_fields=fields)
    text = participant.get_answer_display()
    if substitute is not None:
        text = _("Skickar ersättare: %(name)s, %(email)s") % {
            "name": substitute.name,
            "email": substitute.email,
        }
        if replaced:
            text += " " + _("(i stället för %(names)s, som har fått besked)") % {
                "names": ", ".join(p.name for p in replaced)
            }
    if via == "calendar":
        text += " " + _("(svar från kalendern)")
    if participant.answer_comment and via == "link":
        text += "\n" + _("Kommentar: %(comment)s") % {"comment": participant.answer_comment}
    if answer == Answer.DECLINED and (
        participant.contribution_text or participant.contribution_file
    ):
        text += "\n" + _("Hen har lämnat skriftligt underlag: se mötessidan.")
    meeting.case.log(
        None,
        MeetingAction.ANSWERED,
        meeting=meeting.pk,
        participant=participant.pk,
        answer=answer,
        via=via,
    )
    _notify_convener(participant, text)
    return participant


def check_contribution(answer: str, text: str, upload) -> None:
    """A written contribution ("skriftligt underlag") goes with "Kommer inte" only: it is
    what the meeting hears from someone who is not there. Refused by the field otherwise."""
    if answer == Answer.DECLINED:
        return
    refusal = _("Skriftligt underlag lämnas när du svarar att du inte kan komma.")
    errors = {}
    if text and text.strip():
        errors["contribution_text"] = refusal
    if upload:
        errors["contribution_file"] = refusal
    if errors:
        raise ValidationError(errors)


def _keep_contribution(participant: Participant, text: str, upload) -> list[str]:
    """The contribution a decline by the link leaves: the new text, and the new PDF or the
    one sent before (a changed text need not mean a new file). Any other answer clears it
    (they come after all: the meeting hears them there), the stored file removed.
    Returns the fields changed."""
    old_name = participant.contribution_file.name
    storage = participant.contribution_file.storage
    if participant.answer != Answer.DECLINED:
        participant.contribution_text = ""
        participant.contribution_file = ""
    else:
        participant.contribution_text = (text or "").strip()
        if upload:
            participant.contribution_file.save("skriftligt-underlag.pdf", upload, save=False)
    if old_name and old_name != participant.contribution_file.name:
        # Only once the answer is saved: a rollback keeps the row's file.
        transaction.on_commit(lambda: storage.delete(old_name))
    return ["contribution_text", "contribution_file"]


def _name_substitute(participant: Participant, name: str, email: str):
    """(the substitute, the substitutes they replace) for :func:`record_answer`."""
    name, email = name.strip(), email.strip()
    if not may_name_substitute(participant):
        raise ValidationError(
            {
                "answer": _(
                    "Du är själv ersättare och kan inte skicka en ersättare. Svara om du "
                    "kommer, eller kontakta den som kallade till mötet."
                )
                if participant.substitute_for_id
                else _("Du kan inte skicka en ersättare. Svara om du kommer eller inte.")
            }
        )
    if not name or not email:
        raise ValidationError(_("Ange ersättarens namn och e-post."))
    refusal = substitute_refusal(participant, email)
    if refusal:
        raise ValidationError({"substitute_email": refusal})
    meeting = participant.meeting
    earlier = list(participant.substitutes.filter(removed_at__isnull=True))
    same = [p for p in earlier if p.email.strip().lower() == email.lower()]
    if same:
        # The same person again (a double click, a corrected name): nothing new to send.
        return same[0], []
    if meeting.participants.filter(removed_at__isnull=True, email__iexact=email).exists():
        raise ValidationError(
            {"substitute_email": _("%(email)s är redan kallad till mötet.") % {"email": email}}
        )
    for previous in earlier:
        _withdraw_substitute(previous)
    substitute = Participant.objects.create(
        meeting=meeting,
        kind=ParticipantKind.EXTERNAL,
        organisation=participant.organisation,
        organisation_name=participant.organisation_name,
        name=name,
        email=email,
        substitute_for=participant,
        note=_("Ersätter %(name)s") % {"name": participant.name},
    )
    substitute.meeting = meeting
    sync_participation(meeting.case)
    queue_invitation(substitute)
    return substitute, earlier


@transaction.atomic
def name_caseworker(*, participant: Participant, name: str, email: str) -> Participant:
    """A party's contact person names the handläggare who will attend; they get the kallelse.
    Only someone of the party (:func:`caseworker_refusal`, by the field, nothing saved)."""
    if not name.strip() or not email.strip():
        raise ValidationError(_("Ange handläggarens namn och e-post."))
    _locked(participant.meeting)  # as every change of the meeting: see record_answer
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    refusal = caseworker_refusal(participant, email)
    if refusal:
        raise ValidationError({"email": refusal})
    contact_name = participant.name
    participant.name = name.strip()
    participant.email = email.strip()
    participant.note = _("Anmäld av kontaktperson %(name)s") % {"name": contact_name}
    participant.answer = Answer.NONE
    participant.answered_at = None
    # A new key: the contact person's link stops working for the handläggare's answers.
    participant.answer_key = new_answer_key()
    participant.save()
    # The handläggare's address replaces the contact person's: access moves with it, and
    # what was on its way to the contact person's address stays there.
    sync_participation(participant.meeting.case)
    supersede([participant], attachments_builder=INVITATION_BUILDER)
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
    """Remind those who have not answered, once, a configurable number of days before.
    Each reminder is in the ärende's history (who, when: the meeting page shows it)."""
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
            participant.meeting.case.log(
                None,
                MeetingAction.REMINDED,
                meeting=participant.meeting_id,
                participant=participant.pk,
                automatic=True,
            )
            sent += 1
    return sent


def may_remind(participant: Participant, meeting: Meeting) -> bool:
    """ "Påminn" is offered for someone who has had the kallelse and not answered: not
    removed, with an address the kallelse goes to, on a planned meeting still to come."""
    return (
        meeting.invitations_sent_at is not None
        and not meeting.is_cancelled
        and meeting.starts_at > timezone.now()
        and not participant.is_removed
        and not participant.has_answered
        and receives_email(participant)
    )


@transaction.atomic
def remind(*, participant: Participant, user):
    """ "Påminn": a reminder to one person who has not answered (:func:`may_remind`), now.
    A reminder to them for the meeting as it is still on its way is returned instead of
    queuing another, so a double click sends one. Sets reminded_at (the automatic reminder
    then does not follow) and writes the history. Refused with a ValidationError otherwise."""
    meeting = _locked(participant.meeting)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    participant.meeting = meeting
    if not may_remind(participant, meeting):
        raise ValidationError(
            _(
                "%(name)s kan inte påminnas: hen har svarat, är borttagen eller har inte fått "
                "kallelsen."
            )
            % {"name": participant.name}
        )
    address = participant.email.strip().lower()
    on_its_way = [
        m
        for m in messages_about([participant], attachments_builder=INVITATION_BUILDER).filter(
            state__in=ON_ITS_WAY
        )
        if m.to_email.strip().lower() == address
        and _composed_now(m, meeting)
        and m.subject.startswith(_("Påminnelse"))
    ]
    if on_its_way:
        return on_its_way[0]
    message = queue_reminder(participant)
    participant.reminded_at = timezone.now()
    participant.save(update_fields=["reminded_at"])
    meeting.case.log(user, MeetingAction.REMINDED, meeting=meeting.pk, participant=participant.pk)
    return message


@transaction.atomic
def set_interpreter(*, meeting: Meeting, user, language: str, booked: bool) -> Meeting:
    """The meeting's tolk: needed in ``language`` ("" for none) and whether it is booked
    (only with a language). Written to the history. Refused for a cancelled meeting."""
    _lock_not_cancelled(meeting, _("Mötet är inställt."))
    meeting.interpreter_language = language.strip()
    meeting.interpreter_booked = bool(booked and meeting.interpreter_language)
    meeting.save(update_fields=["interpreter_language", "interpreter_booked", "updated_at"])
    meeting.case.log(
        user,
        MeetingAction.INTERPRETER_CHANGED,
        meeting=meeting.pk,
        booked=meeting.interpreter_booked,
    )
    return meeting
