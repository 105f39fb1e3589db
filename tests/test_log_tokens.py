"""The answer, delegate and time-poll links' tokens never reach a log: whoever reads one can answer
in the participant's name (common/logging.py)."""

import io
import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from common.logging import GunicornLogger, RedactTokens, redact_tokens
from followup.models import SurveyInvitation, SurveyRound
from followup.services import spindeln
from meetings.models import PollInvitee, PollTime, TimePoll
from meetings.services import invitations, polls
from tests.factories import MeetingFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactTokens) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.fixture
def participant(db):
    return ParticipantFactory(meeting=MeetingFactory(), email="anna@af.example")


@pytest.fixture
def poll_invitee(participant):
    """Someone asked in a time poll of the same ärende (issue 16)."""
    meeting = participant.meeting
    poll = TimePoll.objects.create(
        case=meeting.case,
        kind=meeting.kind,
        purpose=meeting.purpose,
        questions=meeting.questions,
        convening_organisation=meeting.convening_organisation,
        convened_by=meeting.convened_by,
        created_by=meeting.convened_by,
        answer_by=timezone.localdate() + timedelta(days=7),
    )
    PollTime.objects.create(poll=poll, starts_at=meeting.starts_at, ends_at=meeting.ends_at)
    return PollInvitee.objects.create(
        poll=poll, kind="contact", name="Anna", email="anna@af.example"
    )


@pytest.fixture
def spindeln_link(db):
    """A member's link to a Spindeln round (issue 19)."""
    from tests.factories import SamverkAreaFactory

    survey = SurveyRound.objects.create(
        area=SamverkAreaFactory(),
        title="Hösten",
        closes_on=timezone.localdate() + timedelta(days=7),
    )
    return SurveyInvitation.objects.create(round=survey, name="Anna", email="anna@af.example")


@pytest.fixture
def links(participant, poll_invitee, spindeln_link):
    answer = invitations.answer_token(participant)
    delegate = invitations.delegate_token(participant)
    poll = polls.poll_token(poll_invitee)
    survey = spindeln.token(spindeln_link)
    return {
        "answer": (answer, reverse("meetings:answer", args=[answer])),
        "delegate": (delegate, reverse("meetings:delegate", args=[delegate])),
        "poll": (poll, reverse("meetings:poll_answer", args=[poll])),
        "spindeln": (survey, reverse("followup:spindeln_answer", args=[survey])),
    }


def secrets_of(token):
    # The token is "value:signature": neither part may be logged.
    return token.split(":")


@pytest.mark.parametrize("kind", ["answer", "delegate", "poll", "spindeln"])
def test_a_404_under_a_link_logs_no_token(client, links, console, kind):
    token, url = links[kind]
    assert client.get(url + "finns-inte/").status_code == 404
    log = console.getvalue()
    assert "Not Found" in log and "[dold]" in log
    assert not any(part in log for part in secrets_of(token))


@pytest.mark.parametrize("kind", ["answer", "delegate", "poll", "spindeln"])
def test_a_refused_answer_logs_no_token(client, links, console, kind):
    token, url = links[kind]
    assert client.post(url, {"answer": "inte-ett-svar", "name": "", "email": ""}).status_code == 400
    log = console.getvalue()
    assert "Bad Request" in log
    assert not any(part in log for part in secrets_of(token))


def test_a_tampered_link_logs_no_token(client, links, console):
    token, _url = links["answer"]
    tampered = token[:-4] + "AAAA"
    assert client.get(reverse("meetings:answer", args=[tampered])).status_code == 400
    assert not any(part in console.getvalue() for part in secrets_of(tampered))


def test_a_500_under_a_link_logs_no_token_in_message_or_traceback(
    client, links, console, monkeypatch
):
    token, url = links["answer"]

    def broken(value, **kwargs):
        raise RuntimeError(f"trasig länk {url}")

    monkeypatch.setattr(invitations, "participant_from_token", broken)
    client.raise_request_exception = False
    assert client.get(url).status_code == 500
    log = console.getvalue()
    assert "Internal Server Error" in log and "RuntimeError: trasig länk /svar/[dold]/" in log
    assert not any(part in log for part in secrets_of(token))


def test_runserver_lines_log_no_token(links, console):
    token, url = links["answer"]
    server_log = logging.getLogger("django.server")
    handler = server_log.handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        server_log.info('"%s" %s %s', f"GET {url} HTTP/1.1", "200", "1234")
    finally:
        handler.setStream(previous)
    assert "GET /svar/[dold]/ HTTP/1.1" in stream.getvalue()
    assert not any(part in stream.getvalue() for part in secrets_of(token))


def test_gunicorn_access_lines_log_no_token(links, tmp_path):
    from gunicorn.config import Config

    token, url = links["answer"]
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = GunicornLogger(config)

    class Response:
        status, sent, headers = "200 OK", 1234, []

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": url,
        "PATH_INFO": url,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        # A stylesheet loaded by the answer page has the link as its Referer.
        "HTTP_REFERER": f"https://samverk.example{url}",
        "HTTP_USER_AGENT": "test",
    }
    logger.access(Response(), [("Referer", environ["HTTP_REFERER"])], environ, timedelta(0))
    for handler in logger.access_log.handlers:
        handler.flush()
    line = (tmp_path / "access.log").read_text()
    assert '"GET /svar/[dold]/ HTTP/1.1" 200 1234 "https://samverk.example/svar/[dold]/"' in line
    assert not any(part in line for part in secrets_of(token))


def test_redact_tokens_leaves_other_paths_alone():
    assert redact_tokens("/moten/12/ and /kontakter/savsjo/import/abc/") == (
        "/moten/12/ and /kontakter/savsjo/import/abc/"
    )
    assert redact_tokens("/anmal-handlaggare/a:b?x=1") == "/anmal-handlaggare/[dold]?x=1"
    assert redact_tokens("GET /tider/a:b/ HTTP/1.1") == "GET /tider/[dold]/ HTTP/1.1"
