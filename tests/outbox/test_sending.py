"""Queueing and sending: what leaves, when, and never twice."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from outbox.builders import register
from outbox.enums import MessageState
from outbox.models import OutboundMessage
from outbox.sending import send_message
from outbox.services import messages_for, queue_message
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_queued_message_is_sent_after_commit(queue):
    message = queue(
        html_body="<p>Välkommen till mötet.</p>",
        reply_to="sammankallande@savsjo.se",
    )

    assert message.state == MessageState.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == "Kallelse till samverkansmöte"
    assert sent.to == ["Anna Berg <anna.berg@example.se>"]
    assert sent.reply_to == ["sammankallande@savsjo.se"]
    assert sent.body == "Välkommen till mötet."
    assert sent.alternatives[0][0] == "<p>Välkommen till mötet.</p>"
    assert sent.extra_headers["Message-ID"] == message.message_id
    # Without a provider id (not anymail) the row keeps our own Message-ID.
    assert message.provider_message_id == message.message_id
    assert message.message_id.endswith("@samverk.local>")


def test_nothing_is_enqueued_before_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = queue_message(to_email="a@example.se", subject="Hej", text_body="Text")
    assert len(callbacks) == 1
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.state == MessageState.QUEUED


def test_rolled_back_message_is_neither_saved_nor_sent(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_message(to_email="a@example.se", subject="Hej", text_body="Text")
        raise RuntimeError("the booking failed")
    assert not OutboundMessage.objects.exists()
    assert mail.outbox == []


def test_name_with_comma_and_non_ascii_is_quoted(queue):
    queue(to_name="Öberg, Åsa")
    assert mail.outbox[0].to == ['"Öberg, Åsa" <anna.berg@example.se>']
    # The whole message renders (headers are encoded without error).
    assert b"anna.berg@example.se" in mail.outbox[0].message().as_bytes()


def test_subject_and_name_are_one_line(queue):
    message = queue(subject="Kallelse\r\nBcc: x@evil.example", to_name="Anna\nBerg")
    assert message.subject == "Kallelse Bcc: x@evil.example"
    assert message.state == MessageState.SENT
    assert mail.outbox[0].to == ["Anna Berg <anna.berg@example.se>"]


@pytest.mark.parametrize("address", ["", "   ", "inte-en-adress"])
def test_unusable_address_is_refused_and_nothing_saved(address):
    with pytest.raises(ValidationError):
        queue_message(to_email=address, subject="Hej", text_body="Text")
    assert not OutboundMessage.objects.exists()


def test_unknown_attachment_builder_is_refused_at_the_door():
    with pytest.raises(ValueError, match="No attachment builder"):
        queue_message(
            to_email="a@example.se", subject="Hej", text_body="Text", attachments_builder="nope"
        )
    assert not OutboundMessage.objects.exists()


def test_attachments_are_built_in_the_worker(queue):
    message = queue(attachments_builder="tests.outbox.letter", builder_args={"filename": "k.txt"})
    assert message.state == MessageState.SENT
    assert mail.outbox[0].attachments == [("k.txt", "Kallelse till samverkansmöte", "text/plain")]


def test_send_message_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = queue_message(to_email="a@example.se", subject="Hej", text_body="Text")

    assert send_message(message.pk).state == MessageState.SENT
    assert send_message(message.pk) is None
    assert len(mail.outbox) == 1


class ReentrantBackend:
    """Stands in for a second worker that tries to send the same row mid-send."""

    second_claim = "not called"

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        ReentrantBackend.second_claim = send_message(ReentrantBackend.message_pk)
        mail.outbox.extend(messages)
        return len(messages)


def test_second_claim_while_sending_gets_none(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.outbox.test_sending.ReentrantBackend"
    with django_capture_on_commit_callbacks(execute=False):
        message = queue_message(to_email="a@example.se", subject="Hej", text_body="Text")
    ReentrantBackend.message_pk = message.pk

    assert send_message(message.pk).state == MessageState.SENT
    assert ReentrantBackend.second_claim is None
    assert len(mail.outbox) == 1


def test_anymail_message_id_is_recorded(settings, queue):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    message = queue()
    assert message.state == MessageState.SENT
    # anymail's test backend numbers messages from 0.
    assert message.provider_message_id == "0"
    assert message.provider_message_id != message.message_id


def test_message_is_linked_to_its_related_object(queue):
    participant = ParticipantFactory()
    message = queue(related=participant)
    assert message.related == participant


def test_messages_for_gives_latest_per_object_in_one_query(queue, django_assert_num_queries):
    first, second, silent = ParticipantFactory.create_batch(3)
    queue(related=first, subject="Första")
    latest_first = queue(related=first, subject="Ändrad tid")
    latest_second = queue(related=second, subject="Kallelse")
    queue(subject="Utan koppling")
    ContentType.objects.get_for_model(first)  # the content type cache is warm in a running app

    with django_assert_num_queries(1):
        found = messages_for([first, second, silent])

    assert found == {first.pk: latest_first, second.pk: latest_second}
    assert found[first.pk].subject == "Ändrad tid"
    assert messages_for([]) == {}


def test_messages_for_can_leave_out_other_mail_about_the_same_object(queue):
    participant = ParticipantFactory()
    invitation = queue(related=participant, attachments_builder="tests.outbox.letter")
    queue(related=participant, subject="Svar på kallelse", to_email="convener@example.se")

    found = messages_for([participant], attachments_builder="tests.outbox.letter")
    assert found == {participant.pk: invitation}


def test_latest_state_annotates_the_state_messages_for_finds(queue):
    from meetings.models import Participant
    from outbox.enums import MessageState
    from outbox.services import latest_state

    first, second, silent = ParticipantFactory.create_batch(3)
    queue(related=first, attachments_builder="tests.outbox.letter")
    latest = queue(related=first, attachments_builder="tests.outbox.letter")
    OutboundMessage.objects.filter(pk=latest.pk).update(state=MessageState.FAILED)
    queue(related=first, subject="Svar på kallelse", to_email="convener@example.se")
    queue(related=second, attachments_builder="tests.outbox.letter")

    rows = Participant.objects.filter(pk__in=[first.pk, second.pk, silent.pk]).annotate(
        state=latest_state(Participant, attachments_builder="tests.outbox.letter")
    )
    states = {row.pk: row.state for row in rows}
    found = messages_for([first, second, silent], attachments_builder="tests.outbox.letter")
    assert states == {
        first.pk: MessageState.FAILED,
        second.pk: found[second.pk].state,
        silent.pk: None,
    }
    assert {pk: message.state for pk, message in found.items()} == {
        pk: state for pk, state in states.items() if state
    }


# --- attachments at send time: no personnummer, one charset -------------------------------

LONG_LOCATION = "LOCATION:Hemma hos den enskilde, Storgatan 12, 571 31 Sävsjö, pnr 19811228-9874"


@register("tests.outbox.leaky")
def build_leaky(message):
    # As a careless builder might: the number in file names, a CSV and a folded calendar
    # line (split in the middle of the number by the 75-octet folding).
    from icalendar.parser import Contentline

    folded = Contentline(LONG_LOCATION).to_ical().decode()
    assert "19811228-9874" not in folded
    ics = f"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n{folded}\r\nEND:VCALENDAR\r\n"
    return [
        ("kallelse-198112289874.pdf", b"%PDF-1.7 binary", "application/pdf"),
        ("deltagare.csv", b"namn;pnr\r\nAlva;811228-9874\r\n", "text/csv"),
        ("inbjudan.ics", ics.encode(), "text/calendar; method=REQUEST; charset=utf-8"),
    ]


def test_attachments_and_their_names_leave_without_personnummer(queue):
    queue(attachments_builder="tests.outbox.leaky")
    (sent,) = mail.outbox
    (pdf_name, pdf, _type), (_csv_name, csv, _t), (_ics_name, ics, _t2) = sent.attachments
    assert pdf_name == "kallelse-[personnummer borttaget].pdf"
    assert pdf == b"%PDF-1.7 binary"  # not text: as built
    assert csv == "namn;pnr\r\nAlva;[personnummer borttaget]\r\n"
    unfolded = ics.replace("\r\n ", "")
    assert "pnr [personnummer borttaget]" in unfolded and "9874" not in unfolded
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    raw = sent.message().as_string()
    assert "9874" not in raw.replace("\r\n ", "").replace("\n ", "")


def test_a_text_attachment_with_parameters_has_one_charset(queue):
    queue(attachments_builder="tests.outbox.leaky")
    (sent,) = mail.outbox
    calendar = [
        part for part in sent.message().walk() if part.get_content_type() == "text/calendar"
    ]
    (part,) = calendar
    header = part["Content-Type"]
    assert header.lower().count("charset") == 1, header
    assert part.get_param("method") == "REQUEST" and part.get_content_charset() == "utf-8"
