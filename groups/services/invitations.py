"""Kallelse, update, cancellation and reminders of a group meeting through the outbox,
and the answers by signed link (kommer / kommer inte / ersättare from the same party).

Each message is composed for the meeting's SEQUENCE of the moment (builder_args); the
worker attaches the calendar file then (groups.invitation, registered in attachments.py)
and marks a row a later change made untrue as superseded instead of sending it."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common import links
from common.links import absolute
from common.personnummer import contains_personnummer
from outbox.services import queue_templated

from ..enums import CancelReason, GroupAnswer, GroupMeetingStatus
from ..models import GroupAttendee, GroupMeeting

ANSWER_SALT = "samverk.groups.answer"
INVITATION_BUILDER = "groups.invitation"


class LinkError(links.LinkError):
    """A tampered, unknown or expired link; the message is shown to the visitor."""


def answer_token(attendee: GroupAttendee) -> str:
    return signing.Signer(salt=ANSWER_SALT).sign(attendee.answer_key)


def attendee_from_token(token: str, *, now=None) -> GroupAttendee:
    key = links.unsign_link_key(token, salt=ANSWER_SALT, error=LinkError)
    attendee = (
        GroupAttendee.objects.select_related(
            "meeting", "meeting__group", "meeting__group__area", "organisation"
        )
        .filter(answer_key=key)
        .first()
    )
    if attendee is None:
        raise LinkError(_("Länken gäller inte längre. Kontakta den som kallade till mötet."))
    if attendee.meeting.ends_at <= (now or timezone.now()):
        raise LinkError(_("Mötet har redan varit, så länken gäller inte längre."))
    if attendee.meeting.is_cancelled:
        raise LinkError(_("Mötet är inställt. Du behöver inte svara."))
    return attendee


def when(meeting: GroupMeeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    return f"{formats.date_format(start, 'l j F Y')} {start:%H.%M}–{end:%H.%M}"


def _queue(attendee: GroupAttendee, kind: str, *, method: str = "REQUEST", **context):
    meeting = attendee.meeting
    context = {
        "meeting": meeting,
        "group": meeting.group,
        "attendee": attendee,
        "when": when(meeting),
        "items": list(meeting.items.all()),
        "answer_url": absolute(reverse("groups:answer", args=[answer_token(attendee)])),
        "meeting_url": absolute(meeting.get_absolute_url()),
        **context,
    }
    return queue_templated(
        kind,
        context=context,
        to_email=attendee.email,
        to_name=attendee.name,
        reply_to=meeting.convener.email if meeting.convener_id else "",
        attachments_builder=INVITATION_BUILDER,
        builder_args={"attendee": attendee.pk, "method": method, "sequence": meeting.sequence},
        related=attendee,
    )


def _locked(meeting: GroupMeeting) -> GroupMeeting:
    locked = GroupMeeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.status, meeting.sequence = locked.status, locked.sequence
    meeting.invitations_sent_at = locked.invitations_sent_at
    return meeting


def _mailed(meeting: GroupMeeting):
    return [a for a in meeting.attendees.select_related("organisation") if a.email]


@transaction.atomic
def send_invitations(meeting: GroupMeeting) -> int:
    """The kallelse to every invited member with an address (once: a second click while
    it is sent sends nothing more). Returns how many were queued."""
    meeting = _locked(meeting)
    if meeting.is_cancelled:
        raise ValidationError(_("Mötet är inställt."))
    if meeting.invitations_sent_at is not None:
        return 0
    count = 0
    for attendee in _mailed(meeting):
        attendee.meeting = meeting
        _queue(attendee, "group-invitation")
        count += 1
    meeting.invitations_sent_at = timezone.now()
    meeting.save(update_fields=["invitations_sent_at"])
    return count


@transaction.atomic
def notify_changed(meeting: GroupMeeting) -> int:
    """After a change of time or place: an update (same UID, higher SEQUENCE) to all."""
    meeting = _locked(meeting)
    if meeting.invitations_sent_at is None or meeting.is_cancelled:
        return 0
    meeting.sequence += 1
    meeting.save(update_fields=["sequence"])
    count = 0
    for attendee in _mailed(meeting):
        attendee.meeting = meeting
        _queue(attendee, "group-update")
        count += 1
    return count


@transaction.atomic
def cancel_meeting(meeting: GroupMeeting, *, reason: str, note: str = "") -> int:
    """Cancel with a reason the statistics count (CancelReason) and send cancellations
    (METHOD:CANCEL, higher SEQUENCE) to those who had the kallelse."""
    if reason not in CancelReason.values:
        raise ValidationError({"reason": _("Välj en anledning.")})
    if contains_personnummer(note):
        raise ValidationError({"note": _("Skriv inte personnummer här.")})
    meeting = _locked(meeting)
    if meeting.is_cancelled:
        return 0
    meeting.status = GroupMeetingStatus.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.cancel_reason = reason
    meeting.cancel_note = note
    meeting.sequence += 1
    meeting.save(
        update_fields=["status", "cancelled_at", "cancel_reason", "cancel_note", "sequence"]
    )
    if meeting.invitations_sent_at is None:
        return 0
    count = 0
    for attendee in _mailed(meeting):
        attendee.meeting = meeting
        _queue(attendee, "group-cancellation", method="CANCEL")
        count += 1
    return count


def cancel_for_low_turnout(meeting: GroupMeeting, *, note: str = "") -> int:
    """ "Ställ in på grund av lågt deltagande"."""
    return cancel_meeting(meeting, reason=CancelReason.LOW_TURNOUT, note=note)


def of_the_party(attendee: GroupAttendee, email: str) -> bool:
    """A substitute of the same party: an address on one of the party's e-mail domains,
    or a member of the group from that party."""
    if attendee.organisation.has_email_domain(email):
        return True
    return attendee.meeting.group.members.filter(
        organisation=attendee.organisation, email__iexact=email.strip()
    ).exists()


@transaction.atomic
def record_answer(attendee: GroupAttendee, *, answer: str, name: str = "", email: str = ""):
    """Kommer / kommer inte / ersättare (a name and an address of the same party)."""
    if answer not in (GroupAnswer.ATTENDING, GroupAnswer.DECLINED, GroupAnswer.SUBSTITUTE):
        raise ValidationError({"answer": _("Välj ett svar.")})
    attendee = (
        GroupAttendee.objects.select_for_update().select_related("organisation").get(pk=attendee.pk)
    )
    if answer == GroupAnswer.SUBSTITUTE:
        errors = {}
        if not name.strip():
            errors["substitute_name"] = _("Skriv ersättarens namn.")
        if not email.strip():
            errors["substitute_email"] = _("Skriv ersättarens e-postadress.")
        elif not of_the_party(attendee, email):
            errors["substitute_email"] = _(
                "Ersättaren ska vara från samma part (%(party)s): använd en adress från den."
            ) % {"party": attendee.organisation.name}
        if errors:
            raise ValidationError(errors)
        attendee.substitute_name, attendee.substitute_email = name.strip(), email.strip()
    else:
        attendee.substitute_name = attendee.substitute_email = ""
    attendee.answer = answer
    attendee.answered_at = timezone.now()
    attendee.save(update_fields=["answer", "answered_at", "substitute_name", "substitute_email"])
    return attendee


def due_reminders(*, now=None, days_before=None):
    now = now or timezone.now()
    days = settings.REMINDER_DAYS_BEFORE if days_before is None else days_before
    return (
        GroupAttendee.objects.filter(
            answer=GroupAnswer.NONE,
            reminded_at__isnull=True,
            meeting__status=GroupMeetingStatus.PLANNED,
            meeting__invitations_sent_at__isnull=False,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + timedelta(days=days),
        )
        .exclude(email="")
        .select_related("meeting", "meeting__group", "meeting__group__area", "meeting__convener")
    )


def send_reminders(*, now=None, days_before=None) -> int:
    """Remind, once, those who have not answered, REMINDER_DAYS_BEFORE days before."""
    sent = 0
    for attendee in due_reminders(now=now, days_before=days_before):
        with transaction.atomic():
            claimed = GroupAttendee.objects.filter(pk=attendee.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if claimed != 1:
                continue
            _queue(attendee, "group-reminder")
            sent += 1
    return sent


# --- the worker's side ------------------------------------------------------------------


def message_superseded(message) -> bool:
    meeting = (
        GroupMeeting.objects.filter(attendees__pk=message.builder_args.get("attendee"))
        .values("sequence", "status")
        .first()
    )
    if meeting is None:
        return True
    return message.builder_args.get("sequence") != meeting["sequence"]


def resend_current(message):
    """The message that holds now for a superseded row: the attendee's latest one."""
    from outbox.services import messages_about

    attendee = GroupAttendee.objects.filter(pk=message.builder_args.get("attendee")).first()
    if attendee is None:
        return None
    return messages_about([attendee]).order_by("-pk").first()
