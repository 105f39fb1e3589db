"""JSON log lines (LOG_FORMAT=json): a request id (also in the X-Request-ID header), the user's
id never a name, method, route, status, duration; no personal data and no tokens in any line
(common.logging, common.middleware.RequestLogMiddleware). And the Sentry scrubber."""

import io
import json
import logging

import pytest
from django.urls import reverse

from common.logging import JsonFormatter, RedactTokens
from common.sentry import scrub_event
from meetings.services import invitations
from tests.factories import CaseFactory, MeetingFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

PERSONNUMMER = "19121212-1212"


@pytest.fixture
def json_lines(settings):
    settings.LOG_FORMAT = "json"
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactTokens) for f in h.filters)
    )
    stream = io.StringIO()
    previous_stream, previous_formatter = handler.setStream(stream), handler.formatter
    handler.setFormatter(JsonFormatter())
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line]
    handler.setFormatter(previous_formatter)
    handler.setStream(previous_stream)


def test_every_request_is_one_json_line_without_personal_data_or_tokens(
    client, caseworker, json_lines
):
    case = CaseFactory(
        personnummer="198112289874", owner=caseworker, first_name="Greta", last_name="Enskildsson"
    )
    participant = ParticipantFactory(
        meeting=MeetingFactory(case=case), name="Anna Svensson", email="anna@af.example"
    )
    token = invitations.answer_token(participant)
    answer_url = reverse("meetings:answer", args=[token])

    assert client.get(answer_url).status_code == 200
    assert client.get(answer_url + "finns-inte/").status_code == 404
    client.force_login(caseworker)
    response = client.get("/", headers={"X-Request-ID": "lb-0123456789abcdef"})
    assert response["X-Request-ID"] == "lb-0123456789abcdef"
    bad = client.get("/", headers={"X-Request-ID": "<script>"})
    assert bad["X-Request-ID"] != "<script>" and len(bad["X-Request-ID"]) == 32
    client.get(reverse("cases:detail", args=[case.pk]))

    lines = json_lines()
    requests = [line for line in lines if line["logger"] == "samverk.request"]
    assert [r["route"] for r in requests] == [
        "meetings:answer",
        None,
        "dashboard",
        "dashboard",
        "cases:detail",
    ]
    assert [r["status"] for r in requests][:3] == [200, 404, 200]
    assert requests[2]["request_id"] == "lb-0123456789abcdef"
    assert requests[3]["request_id"] == bad["X-Request-ID"]
    assert requests[0]["user_id"] is None and requests[2]["user_id"] == caseworker.pk
    for request in requests:
        assert request["method"] == "GET" and request["duration_ms"] >= 0
        assert set(request) <= {
            "timestamp", "level", "logger", "message", "request_id", "user_id",
            "method", "route", "status", "duration_ms",
        }  # fmt: skip
    # The 404 under the link is logged by django.request with the same request id.
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert not_found and not_found[0]["request_id"] == requests[1]["request_id"]
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    for secret in (*token.split(":"), "198112289874", "Greta", "Enskildsson", "Anna", "Svensson"):
        assert secret not in text, secret
    assert caseworker.username not in text and caseworker.get_full_name() not in text


def test_the_sentry_scrubber_removes_personal_data_from_a_realistic_event():
    token = "MTIz:1tAbCdEf-signature"
    event = {
        "level": "error",
        "message": f"Kunde inte skapa kallelse för {PERSONNUMMER}",
        "logentry": {"message": "Ärende %s", "params": [PERSONNUMMER]},
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": f"personnummer 191212121212 på /svar/{token}/",
                    "stacktrace": {
                        "frames": [
                            {
                                "function": "post",
                                "vars": {"name": "'Anna Svensson'", "pnr": f"'{PERSONNUMMER}'"},
                            }
                        ]
                    },
                }
            ]
        },
        "request": {
            "url": f"https://samverk.example.se/svar/{token}/",
            "method": "POST",
            "data": {"name": "Anna Svensson", "comment": PERSONNUMMER},
            "query_string": "q=Anna",
            "cookies": {"sessionid": "abc123session"},
            "headers": {
                "Cookie": "sessionid=abc123session",
                "Referer": f"https://samverk.example.se/svar/{token}/",
                "User-Agent": "Mozilla/5.0",
                "X-Request-ID": "lb-0123456789abcdef",
            },
            "env": {"REMOTE_ADDR": "10.0.0.7"},
        },
        "user": {"id": 42, "username": "maria.bjork", "email": "maria@fk.example"},
        "extra": {"participant": "Anna Svensson"},
        "breadcrumbs": {"values": [{"message": f"SELECT … WHERE personnummer = '{PERSONNUMMER}'"}]},
    }
    scrubbed = scrub_event(event, {})
    text = json.dumps(scrubbed, ensure_ascii=False)
    for secret in (
        PERSONNUMMER, "191212121212", *token.split(":"), "Anna", "Svensson", "maria",
        "abc123session", "10.0.0.7",
    ):  # fmt: skip
        assert secret not in text, secret
    assert scrubbed["user"] == {"id": 42}
    assert scrubbed["request"]["headers"] == {
        "User-Agent": "Mozilla/5.0",
        "X-Request-ID": "lb-0123456789abcdef",
    }
    assert scrubbed["exception"]["values"][0]["type"] == "ValueError"
    assert "[personnummer borttaget]" in scrubbed["message"]
