"""manage.py read_reply_mailbox against a real IMAP server (Debian's dovecot, started here on
127.0.0.1): the calendar answers in the reply mailbox count, each message is marked Seen
and moved, and a second run reads nothing again."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from meetings.enums import Answer
from meetings.services import invitations
from tests.factories import ConsentFactory, MeetingFactory, ParticipantFactory
from tests.imap_server import dovecot, dovecot_missing_reason
from tests.meetings.calendar_replies import reply_email, reply_ics, sent_request

REPLY_ADDRESS = "svar@samverk.example"
PROCESSED = "Behandlade"


@pytest.fixture
def reply_mailbox(tmp_path, settings):
    reason = dovecot_missing_reason()
    if reason:
        pytest.skip(reason)
    with dovecot(tmp_path) as mailbox:
        settings.REPLY_IMAP_HOST = mailbox.host
        settings.REPLY_IMAP_PORT = mailbox.port
        settings.REPLY_IMAP_USER = mailbox.user
        settings.REPLY_IMAP_PASSWORD = mailbox.password
        settings.REPLY_IMAP_SSL = False
        settings.REPLY_IMAP_MAILBOX = "INBOX"
        settings.REPLY_IMAP_PROCESSED_MAILBOX = PROCESSED
        yield mailbox


@pytest.fixture(autouse=True)
def reply_address(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CALENDAR_REPLY_ADDRESS = REPLY_ADDRESS


@pytest.fixture
def meeting(case, convener, orgs):
    meeting = MeetingFactory(
        case=case, convened_by=convener, convening_organisation=convener.organisation
    )
    ConsentFactory(
        case=case,
        organisations=list(orgs.values()),
        given_on=timezone.localdate() - timedelta(days=1),
    )
    return meeting


@pytest.fixture
def people(meeting, orgs, convener):
    erik = ParticipantFactory(
        meeting=meeting, kind="staff", organisation=orgs["af"], email="erik@af.example"
    )
    vera = ParticipantFactory(
        meeting=meeting, kind="external", organisation=orgs["vc"], email="vera@rjl.example"
    )
    invitations.send_invitations(meeting=meeting, user=convener)
    return erik, vera


def run_command() -> str:
    out = StringIO()
    call_command("read_reply_mailbox", stdout=out)
    return out.getvalue()


def test_answers_in_the_reply_mailbox_count_and_are_moved(reply_mailbox, people):
    erik, vera = people
    erik_reply = reply_ics(sent_request(erik.email), "ACCEPTED")
    vera_reply = reply_ics(sent_request(vera.email), "DECLINED")
    reply_mailbox.deliver(reply_email(erik_reply, sender=erik.email, to=REPLY_ADDRESS).as_bytes())
    reply_mailbox.deliver(
        reply_email(vera_reply, sender=vera.email, to=REPLY_ADDRESS, subject="Avböjt").as_bytes()
    )
    # Mail that is no calendar answer (an out-of-office) is read, ignored and moved too.
    reply_mailbox.deliver(
        b"From: x@example.se\r\nTo: svar@samverk.example\r\nSubject: Autosvar\r\n\r\nBorta.\r\n"
    )

    output = run_command()

    assert "3 meddelanden lästa, 2 svar registrerade, 1 ignorerade" in output
    erik.refresh_from_db()
    vera.refresh_from_db()
    assert erik.answer == Answer.ATTENDING and vera.answer == Answer.DECLINED
    assert reply_mailbox.flags("INBOX") == []
    moved = reply_mailbox.flags(PROCESSED)
    assert len(moved) == 3 and all("\\Seen" in flags for flags in moved)
    # Nothing is read twice.
    assert "0 meddelanden lästa" in run_command()


def test_without_a_processed_mailbox_messages_are_marked_seen(reply_mailbox, people, settings):
    settings.REPLY_IMAP_PROCESSED_MAILBOX = ""
    erik, _vera = people
    reply = reply_ics(sent_request(erik.email), "DECLINED")
    reply_mailbox.deliver(reply_email(reply, sender=erik.email, to=REPLY_ADDRESS).as_bytes())
    assert "1 svar registrerade" in run_command()
    [flags] = reply_mailbox.flags("INBOX")
    assert "\\Seen" in flags
    assert "0 meddelanden lästa" in run_command()
    erik.refresh_from_db()
    assert erik.answer == Answer.DECLINED


def test_a_forged_attendee_in_the_mailbox_changes_nothing(reply_mailbox, people):
    erik, _vera = people
    forged = reply_ics(sent_request(erik.email), "DECLINED", attendee="mallory@evil.example")
    reply_mailbox.deliver(reply_email(forged, sender=erik.email, to=REPLY_ADDRESS).as_bytes())
    assert "0 svar registrerade, 1 ignorerade" in run_command()
    erik.refresh_from_db()
    assert erik.answer == Answer.NONE


def test_a_wrong_password_is_a_clear_error(reply_mailbox, settings, db):
    settings.REPLY_IMAP_PASSWORD = "fel"
    with pytest.raises(CommandError, match="Svarsbrevlådan kunde inte läsas"):
        run_command()


def test_missing_settings_are_a_clear_error(settings, db):
    settings.REPLY_IMAP_HOST = ""
    with pytest.raises(CommandError, match="REPLY_IMAP_HOST"):
        run_command()
