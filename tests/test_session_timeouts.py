"""Session limits (issue 14, common.middleware.SessionTimeoutMiddleware): logged out after
SESSION_IDLE_TIMEOUT without a request and SESSION_ABSOLUTE_TIMEOUT after login; the
keep-alive moves only the idle limit. The clock is the middleware's, moved by the test."""

import pytest
from django.urls import reverse

from common import middleware

HTMX = {"HTTP_HX_REQUEST": "true"}
MINUTE = 60
HOUR = 60 * MINUTE


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = 1_800_000_000.0

        def advance(self, seconds):
            self.now += seconds

    clock = Clock()
    monkeypatch.setattr(middleware, "_now", lambda: clock.now)
    return clock


@pytest.fixture
def limits(settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * MINUTE
    settings.SESSION_ABSOLUTE_TIMEOUT = 10 * HOUR
    return settings


@pytest.fixture
def logged_in(client_for, caseworker, clock, limits):
    client = client_for(caseworker)
    assert client.get(reverse("dashboard")).status_code == 200  # the clocks start
    return client


def is_logged_out(response):
    return response.status_code == 302 and reverse("login") in response["Location"]


def test_a_request_within_the_idle_limit_keeps_the_session(logged_in, clock):
    clock.advance(29 * MINUTE)
    assert logged_in.get(reverse("dashboard")).status_code == 200
    clock.advance(29 * MINUTE)  # counted from the last request, not from login
    assert logged_in.get(reverse("dashboard")).status_code == 200


def test_idle_past_the_limit_logs_out_and_ends_the_session(logged_in, clock):
    key = logged_in.session.session_key
    clock.advance(31 * MINUTE)
    assert is_logged_out(logged_in.get(reverse("dashboard")))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()
    assert is_logged_out(logged_in.get(reverse("dashboard")))  # stays logged out


def test_an_htmx_request_of_an_expired_session_gets_401(logged_in, clock):
    clock.advance(31 * MINUTE)
    response = logged_in.get(reverse("keepalive"), **HTMX)
    assert response.status_code == 401
    assert b"data-logged-out" in response.content


def test_the_keepalive_moves_the_idle_limit(logged_in, clock):
    for _ in range(4):
        clock.advance(25 * MINUTE)
        assert logged_in.get(reverse("keepalive"), **HTMX).status_code == 204
    clock.advance(25 * MINUTE)
    assert logged_in.get(reverse("dashboard")).status_code == 200


def test_the_keepalive_does_not_move_the_absolute_limit(logged_in, clock):
    start = clock.now
    for _ in range(30):  # more than ten hours of pings, 29 minutes apart
        clock.advance(29 * MINUTE)
        response = logged_in.get(reverse("keepalive"), **HTMX)
        if response.status_code != 204:
            break
    assert response.status_code == 401
    assert 10 * HOUR < clock.now - start <= 10 * HOUR + 29 * MINUTE


def test_the_absolute_limit_counts_from_login(logged_in, clock, limits):
    limits.SESSION_IDLE_TIMEOUT = 24 * HOUR
    clock.advance(10 * HOUR - MINUTE)
    assert logged_in.get(reverse("dashboard")).status_code == 200
    clock.advance(2 * MINUTE)
    assert is_logged_out(logged_in.get(reverse("dashboard")))


def test_logging_in_again_starts_the_clocks_anew(client_for, caseworker, clock, limits):
    client = client_for(caseworker)
    client.get(reverse("dashboard"))
    clock.advance(9 * HOUR)
    client.force_login(caseworker)  # the same user again: Django keeps the session's data
    clock.advance(2 * HOUR)
    assert client.get(reverse("dashboard")).status_code == 302  # idle: 2 h without a request
    client.force_login(caseworker)
    for _ in range(5):
        clock.advance(25 * MINUTE)
        assert client.get(reverse("dashboard")).status_code == 200


def test_logging_out_ends_the_session(logged_in):
    key = logged_in.session.session_key
    assert logged_in.post(reverse("logout")).status_code == 302
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()
    assert is_logged_out(logged_in.get(reverse("dashboard")))


def test_the_page_carries_the_limits_for_the_warning(logged_in, limits):
    limits.SESSION_IDLE_WARNING = 3 * MINUTE
    html = logged_in.get(reverse("dashboard")).content.decode()
    assert 'data-session-idle="1800"' in html and 'data-session-warning="180"' in html
    assert "Fortsätt vara inloggad" in html
