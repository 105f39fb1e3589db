"""Mail that no longer matches the meeting is never sent (issue 15).

A message is composed for one state of the meeting (its sequence, in the row's
builder_args). A move, the cancellation or a participant's removal marks what has not left
"Ersatt" (SUPERSEDED), the worker checks again when it claims a row, and "Skicka igen" on
an old message sends what holds now: never the old text with a calendar file of another
state. The issue's case: the original kallelse sent again after the meeting was moved and
then cancelled went out with the old time in the text and METHOD:REQUEST,
STATUS:CONFIRMED for the new time, and the cancelled meeting came back into calendars.
"""

import re
from datetime import timedelta
from email.utils import parseaddr

import pytest
from django.core import mail
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone

from meetings.enums import Answer
from meetings.models import Meeting
from meetings.services import booking, invitations
from outbox.enums import MessageState
from outbox.models import OutboundMessage
from outbox.sending import send_message
from outbox.services import retry
from tests.factories import ConsentFactory, MeetingFactory, ParticipantFactory, UserFactory
from tests.helpers import deliver_all

FAILING = "tests.outbox.conftest.FailingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = LOCMEM


@pytest.fixture
def meeting(case, convener, orgs):
    ConsentFactory(
        case=case,
        organisations=list(orgs.values()),
        given_on=timezone.localdate() - timedelta(days=1),
    )
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=30)
    return MeetingFactory(
        case=case,
        convened_by=convener,
        convening_organisation=convener.organisation,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        location="Kommunhuset",
    )


@pytest.fixture
def anna(meeting, orgs):
    return ParticipantFactory(
        meeting=meeting, kind="external", organisation=orgs["af"], name="Anna", email="a@af.example"
    )


@pytest.fixture
def bo(meeting, orgs):
    return ParticipantFactory(
        meeting=meeting, kind="external", organisation=orgs["vc"], name="Bo", email="bo@rjl.example"
    )


def to(message) -> str:
    return parseaddr(message.to[0])[1]


def calendar(message) -> str:
    content = next(c for name, c, _t in message.attachments if name.endswith(".ics"))
    text = content.decode() if isinstance(content, bytes) else content
    return re.sub(r"\r\n[ \t]", "", text)


def when(meeting) -> str:
    """How the e-mail's text writes the meeting's start (invitations._when)."""
    start = timezone.localtime(meeting.starts_at)
    return f"{formats.date_format(start, 'l j F Y')} {start:%H.%M}"


def fail_for_good(message, settings):
    """Every attempt of the message fails, as with a relay that refuses it: FAILED."""
    settings.EMAIL_BACKEND = FAILING
    message.refresh_from_db()
    while message.state == MessageState.QUEUED:
        message = send_message(message.pk, now=message.next_attempt_at)
    settings.EMAIL_BACKEND = LOCMEM
    assert message.state == MessageState.FAILED
    return message


def move(meeting, user, days=2):
    meeting.refresh_from_db()
    return booking.reschedule_meeting(
        meeting=meeting,
        user=user,
        starts_at=meeting.starts_at + timedelta(days=days),
        ends_at=meeting.ends_at + timedelta(days=days),
        location="Annan plats",
        accepted={"*"},
    )


def kallelse_to(participant):
    return OutboundMessage.objects.get(
        to_email=participant.email, subject__startswith="Kallelse", builder_args__sequence=0
    )


def test_the_issues_case_skicka_igen_after_a_move_and_the_cancellation(
    client, meeting, anna, convener, settings
):
    """The kallelse to Anna failed; the meeting was moved, then cancelled; then "Skicka
    igen" on the original kallelse. Nothing with METHOD:REQUEST leaves: Anna gets the
    cancellation, for the meeting as it is."""
    old_time = when(meeting)
    invitations.send_invitations(meeting=meeting, user=convener)
    original = fail_for_good(kallelse_to(anna), settings)
    move(meeting, convener)
    original.refresh_from_db()
    assert original.state == MessageState.SUPERSEDED  # the move made it untrue
    assert original.get_state_display() == "Ersatt"
    deliver_all()
    booking.cancel_meeting(meeting=meeting, user=convener, reason="Krockar")
    deliver_all()
    meeting.refresh_from_db()
    new_time = when(meeting)
    mail.outbox.clear()

    current = retry(original)
    # Clicked twice before the worker got to it: still one.
    assert retry(original).pk == current.pk
    deliver_all()

    original.refresh_from_db()
    assert original.state == MessageState.SUPERSEDED
    assert [to(m) for m in mail.outbox] == ["a@af.example"]
    sent = mail.outbox[0]
    assert sent.subject.startswith("Inställt")
    assert new_time in sent.body and old_time not in sent.body and "Krockar" in sent.body
    ics = calendar(sent)
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics
    assert "METHOD:REQUEST" not in ics and "STATUS:CONFIRMED" not in ics
    assert f"SEQUENCE:{meeting.sequence}" in ics
    start = timezone.localtime(meeting.starts_at)
    assert f"DTSTART;TZID=Europe/Stockholm:{start:%Y%m%dT%H%M%S}" in ics

    # The same through the admin's "Skicka igen".
    mail.outbox.clear()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:outbox_outboundmessage_changelist"),
        {"action": "send_again", "_selected_action": [original.pk]},
        follow=True,
    )
    assert "1 meddelande gällde inte längre (mötet har ändrats)" in response.content.decode()
    deliver_all()
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Inställt"]
    assert "METHOD:REQUEST" not in calendar(mail.outbox[0])
    # Of everything that ever left for Anna, nothing asked her calendar to keep the meeting
    # after it was cancelled.
    cancelled_at = meeting.cancelled_at
    after = OutboundMessage.objects.filter(to_email=anna.email, sent_at__gte=cancelled_at)
    assert after.exists()
    assert all(m.builder_args["method"] == "CANCEL" for m in after)


def test_skicka_igen_on_a_kallelse_from_before_a_move_sends_the_meeting_as_it_is(
    meeting, anna, convener, settings
):
    old_time = when(meeting)
    invitations.send_invitations(meeting=meeting, user=convener)
    original = fail_for_good(kallelse_to(anna), settings)
    move(meeting, convener)
    update = OutboundMessage.objects.get(to_email=anna.email, subject__startswith="Ändrad")
    fail_for_good(update, settings)  # she got neither
    meeting.refresh_from_db()
    mail.outbox.clear()

    current = retry(original)
    deliver_all()

    original.refresh_from_db()
    assert original.state == MessageState.SUPERSEDED
    assert current.pk not in (original.pk, update.pk)
    [sent] = mail.outbox
    # Anna never received the first time, so she gets the kallelse, for the new time.
    assert sent.subject.startswith("Kallelse") and when(meeting) in sent.subject
    assert old_time not in sent.body and "Annan plats" in sent.body
    ics = calendar(sent)
    assert "METHOD:REQUEST" in ics and f"SEQUENCE:{meeting.sequence}" in ics
    start = timezone.localtime(meeting.starts_at)
    assert f"DTSTART;TZID=Europe/Stockholm:{start:%Y%m%dT%H%M%S}" in ics


def test_skicka_igen_to_someone_who_had_the_old_time_is_an_andrad_tid(
    meeting, anna, convener, settings
):
    invitations.send_invitations(meeting=meeting, user=convener)
    deliver_all()  # Anna has the kallelse
    move(meeting, convener)
    update = OutboundMessage.objects.get(to_email=anna.email, subject__startswith="Ändrad")
    fail_for_good(update, settings)
    # Still current: "Skicka igen" sends the row itself again.
    assert retry(update).pk == update.pk
    assert [m.subject.split(":")[0] for m in deliver_all()] == ["Ändrad tid eller plats"]

    # It fails again, and the meeting moves again before anyone sends it: superseded; the
    # new move's update goes; "Skicka igen" on the old one sends a new ändrad tid.
    OutboundMessage.objects.filter(pk=update.pk).update(state=MessageState.FAILED)
    move(meeting, convener, days=1)
    update.refresh_from_db()
    assert update.state == MessageState.SUPERSEDED
    deliver_all()
    meeting.refresh_from_db()
    mail.outbox.clear()
    again = retry(update)
    deliver_all()
    [sent] = mail.outbox
    assert again.pk != update.pk and again.builder_args["sequence"] == meeting.sequence == 2
    assert sent.subject.startswith("Ändrad tid") and when(meeting) in sent.body
    assert f"SEQUENCE:{meeting.sequence}" in calendar(sent)


def test_a_move_supersedes_the_kallelse_still_queued(meeting, anna, bo, convener):
    invitations.send_invitations(meeting=meeting, user=convener)
    move(meeting, convener)  # before the worker got to the kallelser

    states = dict(
        OutboundMessage.objects.filter(subject__startswith="Kallelse").values_list(
            "to_email", "state"
        )
    )
    assert states == {anna.email: MessageState.SUPERSEDED, bo.email: MessageState.SUPERSEDED}
    deliver_all()
    assert sorted(m.subject.split(":")[0] for m in mail.outbox) == ["Ändrad tid eller plats"] * 2


def test_the_cancellation_supersedes_everything_that_had_not_left(
    meeting, anna, bo, convener, settings
):
    invitations.send_invitations(meeting=meeting, user=convener)
    fail_for_good(kallelse_to(bo), settings)
    deliver_all()  # Anna's kallelse leaves
    move(meeting, convener)  # updates queued
    assert invitations.send_reminders(days_before=60) == 2  # reminders queued
    booking.cancel_meeting(meeting=meeting, user=convener, reason="Krockar")
    mail.outbox.clear()
    deliver_all()

    assert sorted(to(m) for m in mail.outbox) == sorted([bo.email, anna.email])
    for message in mail.outbox:
        assert message.subject.startswith("Inställt")
        assert "METHOD:CANCEL" in calendar(message)
    superseded = OutboundMessage.objects.filter(state=MessageState.SUPERSEDED)
    # Bo's failed kallelse, both updates, both reminders.
    assert superseded.count() == 5
    assert not OutboundMessage.objects.filter(state=MessageState.QUEUED).exists()


def test_the_worker_checks_when_it_claims_the_row(meeting, anna, convener):
    invitations.send_invitations(meeting=meeting, user=convener)
    kallelse = kallelse_to(anna)
    # A change the row was never marked for (an import, the admin, a change that raced).
    Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1)

    claimed = send_message(kallelse.pk)

    assert claimed.state == MessageState.SUPERSEDED and claimed.attempts == 0
    assert mail.outbox == []
    # And a kallelse for a meeting cancelled behind its back.
    Meeting.objects.filter(pk=meeting.pk).update(sequence=0)
    meeting.refresh_from_db()
    invitations.resend_invitation(participant=anna, user=convener)
    Meeting.objects.filter(pk=meeting.pk).update(status="cancelled")
    assert [m.state for m in deliver_all()] == [MessageState.SUPERSEDED]
    assert mail.outbox == []


def test_a_removed_participant_gets_the_cancellation_not_the_kallelse(meeting, anna, convener):
    invitations.send_invitations(meeting=meeting, user=convener)
    invitations.remove_participant(participant=anna, user=convener)
    deliver_all()
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Inställt"]
    assert kallelse_to(anna).state == MessageState.SUPERSEDED


def test_a_removed_persons_cancellation_not_yet_sent_is_sent_for_the_new_time(
    meeting, anna, bo, convener
):
    invitations.send_invitations(meeting=meeting, user=convener)
    deliver_all()
    invitations.remove_participant(participant=anna, user=convener)
    move(meeting, convener)  # Anna's cancellation was still queued
    mail.outbox.clear()
    deliver_all()

    meeting.refresh_from_db()
    anna_mail = [m for m in mail.outbox if to(m) == anna.email]
    assert len(anna_mail) == 1 and anna_mail[0].subject.startswith("Inställt")
    assert f"SEQUENCE:{meeting.sequence}" in calendar(anna_mail[0])
    assert when(meeting) in anna_mail[0].body
    assert [m.subject.split(":")[0] for m in mail.outbox if to(m) == bo.email] == [
        "Ändrad tid eller plats"
    ]


def test_a_new_address_supersedes_what_was_on_its_way_to_the_old_one(meeting, convener, orgs):
    contact = ParticipantFactory(
        meeting=meeting,
        kind="contact",
        organisation=orgs["af"],
        name="AF Samverk",
        email="samverk@af.example",
    )
    invitations.send_invitations(meeting=meeting, user=convener)
    contact.refresh_from_db()
    invitations.name_caseworker(participant=contact, name="Hugo", email="hugo@af.example")
    deliver_all()
    kallelser = [m for m in mail.outbox if m.subject.startswith("Kallelse")]
    assert [to(m) for m in kallelser] == ["hugo@af.example"]
    assert kallelse_to(contact).state == MessageState.SUPERSEDED


def test_a_message_from_before_sequences_were_recorded_is_taken_as_current(meeting, anna, convener):
    invitations.send_invitations(meeting=meeting, user=convener)
    kallelse = kallelse_to(anna)
    args = {k: v for k, v in kallelse.builder_args.items() if k != "sequence"}
    OutboundMessage.objects.filter(pk=kallelse.pk).update(builder_args=args)
    assert [m.state for m in deliver_all()] == [MessageState.SENT]
    # ...and a second "Skicka kallelse" does not send it again.
    assert invitations.send_invitations(meeting=meeting, user=convener) == 0


def test_a_superseded_message_is_never_sent_itself(meeting, anna, convener):
    invitations.send_invitations(meeting=meeting, user=convener)
    move(meeting, convener)
    kallelse = kallelse_to(anna)
    assert kallelse.get_state_display() == "Ersatt" and kallelse.can_retry
    # The move's update is on its way: "Skicka igen" on the kallelse is that update.
    update = OutboundMessage.objects.get(to_email=anna.email, subject__startswith="Ändrad")
    assert retry(kallelse).pk == update.pk
    assert send_message(kallelse.pk) is None
    kallelse.refresh_from_db()
    assert kallelse.state == MessageState.SUPERSEDED


def test_answers_still_count_after_a_move(client, meeting, anna, convener):
    """The answer link of a superseded kallelse is the participant's: it still works."""
    invitations.send_invitations(meeting=meeting, user=convener)
    move(meeting, convener)
    url = reverse("meetings:answer", args=[invitations.answer_token(anna)])
    assert client.post(url, {"answer": Answer.ATTENDING}).status_code == 200
