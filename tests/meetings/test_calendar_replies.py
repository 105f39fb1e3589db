"""Calendar answers count (issue 16): "Acceptera"/"Avböj" in the participant's calendar sends
an iTIP REPLY to the ORGANIZER, the reply address; it is matched by UID and ATTENDEE and
recorded as the answer through the link is (history, the convener's notice)."""

import base64
import hashlib
import hmac
import logging
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseEvent
from meetings.enums import Answer, MeetingAction
from meetings.services import ical, invitations, replies
from outbox.models import OutboundMessage
from tests.factories import ConsentFactory, MeetingFactory, ParticipantFactory
from tests.meetings.calendar_replies import reply_email, reply_ics, sent_request

REPLY_ADDRESS = "svar@samverk.example"


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
def erik(meeting, orgs):
    return ParticipantFactory(
        meeting=meeting,
        kind="staff",
        organisation=orgs["af"],
        name="Erik Arbetsson",
        email="erik.arbetsson@af.example",
    )


@pytest.fixture
def invited(meeting, erik, convener):
    invitations.send_invitations(meeting=meeting, user=convener)
    return sent_request(erik.email)


def record(ics):
    return [replies.record_calendar_reply(r) for r in replies.parse_replies(ics)]


def notices(convener):
    return OutboundMessage.objects.filter(
        to_email=convener.email, subject__startswith="Svar på kallelse"
    )


def test_the_request_names_the_reply_address_as_organizer_with_the_conveners_name(
    meeting, erik, convener
):
    from icalendar import Calendar

    (event,) = Calendar.from_ical(ical.invitation_ics(meeting, erik)).walk("VEVENT")
    assert str(event["ORGANIZER"]) == f"mailto:{REPLY_ADDRESS}"
    assert convener.last_name in event["ORGANIZER"].params["CN"]


def test_without_a_reply_address_the_convener_is_the_organizer(meeting, erik, convener, settings):
    from icalendar import Calendar

    settings.CALENDAR_REPLY_ADDRESS = ""
    (event,) = Calendar.from_ical(ical.invitation_ics(meeting, erik)).walk("VEVENT")
    assert str(event["ORGANIZER"]) == f"mailto:{convener.email}"


def test_the_kallelse_says_the_link_and_the_calendar_both_work(invited, erik):
    kallelse = OutboundMessage.objects.get(to_email=erik.email, subject__startswith="Kallelse")
    line = "Du kan också svara med Acceptera eller Avböj i din kalender"
    assert line in kallelse.text_body and line in kallelse.html_body


def test_accept_in_the_calendar_counts_as_attending(invited, erik, convener, meeting):
    [outcome] = record(reply_ics(invited, "ACCEPTED"))
    assert outcome.status == "recorded"
    erik.refresh_from_db()
    assert erik.answer == Answer.ATTENDING and erik.answered_at
    # As an answer by the link: the history and the convener's notice.
    event = CaseEvent.objects.get(case=meeting.case, action=MeetingAction.ANSWERED)
    assert event.data["participant"] == erik.pk and event.data["via"] == "calendar"
    [notice] = notices(convener)
    assert "Kommer" in notice.subject and "svar från kalendern" in notice.text_body


def test_decline_in_the_calendar_counts_as_not_coming(invited, erik):
    record(reply_ics(invited, "DECLINED"))
    erik.refresh_from_db()
    assert erik.answer == Answer.DECLINED


def test_the_same_answer_again_is_recorded_once(invited, erik, convener):
    ics = reply_ics(invited, "ACCEPTED")
    assert [o.status for o in record(ics)] == ["recorded"]
    assert [o.status for o in record(ics)] == ["unchanged"]
    assert notices(convener).count() == 1


def test_a_tentative_answer_records_nothing(invited, erik):
    assert [o.status for o in record(reply_ics(invited, "TENTATIVE"))] == ["ignored"]
    erik.refresh_from_db()
    assert erik.answer == Answer.NONE


def test_an_unknown_uid_is_ignored_and_logged_without_personnummer(invited, erik, case, caplog):
    caplog.set_level(logging.INFO, logger="meetings.services.replies")
    ics = reply_ics(invited, "ACCEPTED", uid="040000008200E00074C5B7101A82E008@outlook.example")
    assert [o.status for o in record(ics)] == ["ignored"]
    erik.refresh_from_db()
    assert erik.answer == Answer.NONE
    assert "unknown uid" in caplog.text
    for secret in (case.personnummer, case.personnummer[2:], case.last_name, erik.email):
        assert secret not in caplog.text


def test_an_attendee_not_invited_to_that_meeting_is_ignored(invited, erik, case, convener):
    # Invited to another meeting of the same ärende: their address is known, not for this one.
    other = MeetingFactory(case=case, convened_by=convener)
    outsider = ParticipantFactory(meeting=other, email="olle@af.example")
    ics = reply_ics(invited, "DECLINED", attendee=outsider.email)
    assert [o.status for o in record(ics)] == ["ignored"]
    outsider.refresh_from_db()
    erik.refresh_from_db()
    assert outsider.answer == Answer.NONE and erik.answer == Answer.NONE


def test_the_from_header_is_not_trusted(invited, erik):
    # Someone else's ATTENDEE with Erik's From: nothing is recorded for Erik.
    ics = reply_ics(invited, "DECLINED", attendee="mallory@evil.example")
    message = reply_email(ics, sender=erik.email, to=REPLY_ADDRESS)
    assert [o.status for o in replies.record_replies_in(message)] == ["ignored"]
    erik.refresh_from_db()
    assert erik.answer == Answer.NONE


def test_a_reply_to_an_earlier_time_is_ignored(invited, erik, meeting):
    # The meeting moved after Erik's calendar got the REQUEST: accepting the old time says
    # nothing about the new one.
    meeting.sequence += 1
    meeting.save(update_fields=["sequence"])
    assert [o.status for o in record(reply_ics(invited, "ACCEPTED"))] == ["ignored"]
    erik.refresh_from_db()
    assert erik.answer == Answer.NONE


def test_a_removed_participant_records_nothing(invited, erik, convener):
    invitations.remove_participant(participant=erik, user=convener)
    assert [o.status for o in record(reply_ics(invited, "ACCEPTED"))] == ["ignored"]
    erik.refresh_from_db()
    assert erik.answer == Answer.NONE


def test_a_cancelled_meeting_records_nothing(invited, erik, meeting, convener):
    from meetings.services.booking import cancel_meeting

    cancel_meeting(meeting=meeting, user=convener, reason="Sjuk")
    # The CANCEL bumped the sequence; a reply to it would carry the new one.
    meeting.refresh_from_db()
    ics = reply_ics(invited, "ACCEPTED", sequence=meeting.sequence)
    assert [o.status for o in record(ics)] == ["ignored"]
    erik.refresh_from_db()
    assert erik.answer == Answer.NONE


def test_a_message_that_is_no_reply_records_nothing(invited, erik):
    request = reply_email(invited, sender=erik.email, to=REPLY_ADDRESS)  # METHOD:REQUEST
    assert replies.record_replies_in(request) == []
    erik.refresh_from_db()
    assert erik.answer == Answer.NONE


def test_a_reply_from_a_real_email_with_an_ics_attachment(invited, erik):
    message = reply_email(b"", sender=erik.email, to=REPLY_ADDRESS)
    message = type(message)()
    message["From"], message["To"], message["Subject"] = erik.email, REPLY_ADDRESS, "Avböjt"
    message.set_content("Kan inte.")
    message.add_attachment(
        reply_ics(invited, "DECLINED"), maintype="application", subtype="ics", filename="svar.ics"
    )
    assert [o.status for o in replies.record_replies_in(message)] == ["recorded"]
    erik.refresh_from_db()
    assert erik.answer == Answer.DECLINED


# --- the provider's inbound webhook (Mailgun, signature-checked) ------------------------

SIGNING_KEY = "test-key"
BASIC_AUTH = "samverk:webhook-hemlighet"


@pytest.fixture
def mailgun(settings):
    settings.MAIL_WEBHOOK_PROVIDER = "mailgun"
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY, "WEBHOOK_SECRET": BASIC_AUTH}


def mailgun_inbound(client, raw: str, *, provider="mailgun", auth=BASIC_AUTH):
    timestamp = str(int(time.time()))
    token = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
    signature = hmac.new(
        SIGNING_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    headers = {}
    if auth:
        headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(auth.encode()).decode()
    return client.post(
        reverse("anymail:inbound_webhook", args=[provider]),
        {
            "body-mime": raw,
            "recipient": REPLY_ADDRESS,
            "sender": "erik.arbetsson@af.example",
            "timestamp": timestamp,
            "token": token,
            "signature": signature,
        },
        **headers,
    )


def test_a_reply_through_the_providers_inbound_webhook_counts(client, mailgun, invited, erik):
    raw = reply_email(reply_ics(invited, "ACCEPTED"), sender=erik.email, to=REPLY_ADDRESS)
    response = mailgun_inbound(client, raw.as_string())
    assert response.status_code == 200
    erik.refresh_from_db()
    assert erik.answer == Answer.ATTENDING


def test_the_inbound_webhook_needs_the_secret_and_serves_only_the_provider(
    client, mailgun, invited, erik, settings
):
    raw = reply_email(reply_ics(invited, "ACCEPTED"), sender=erik.email, to=REPLY_ADDRESS)
    assert mailgun_inbound(client, raw.as_string(), auth="").status_code == 400
    assert mailgun_inbound(client, raw.as_string(), provider="postmark").status_code == 404
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    assert mailgun_inbound(client, raw.as_string()).status_code == 404
    erik.refresh_from_db()
    assert erik.answer == Answer.NONE
