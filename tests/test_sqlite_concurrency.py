"""The embedded default, SQLite in a file, under the app's own concurrency: no 500.

Writes that meet in SQLite's default (deferred) transactions fail at once with "database is
locked" when one of them has to turn its read into a write while another holds the write
lock: an autosave at the moment of "Lägg till beslut" lost the new row in 8 of 32 pairs.
samverk/settings.py opens every transaction IMMEDIATE (the write lock first, so a second
writer waits its turn) with a busy timeout.

A test database of pytest-django's is in memory and shared by the live server's threads,
which would prove nothing: this test migrates a SQLite file of its own, fills it, and serves
it with gunicorn (two processes with four threads each, as a small production would), then
sends concurrent writes from threads: autosaves and new plan rows, answers through the
e-mailed links, bookings. Each runs a fixed number of rounds; the server is stopped by the
test, by its process id.
"""

import json
import sqlite3
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.live import Browser, manage, served, sqlite_env, together

ROUNDS = 16

SETUP = """
import json
from django.conf import settings
from django.test import Client
from meetings.services import invitations
from plans.services.start import get_or_create_plan
from tests.factories import (
    CaseFactory, ConsentFactory, MeetingFactory, OrganisationFactory, ParticipantFactory,
    SamverkAreaFactory, UserFactory,
)

area = SamverkAreaFactory(municipality="Sävsjö", slug="savsjo")
kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
user = UserFactory(username="kallande", organisation=kommun, is_caseworker=True)
case = CaseFactory(area=area, owner=user)
ConsentFactory(case=case, organisations=[kommun])
meeting = MeetingFactory(case=case, convened_by=user, convening_organisation=kommun)
people = [ParticipantFactory(meeting=meeting, name=f"Deltagare {n}") for n in range(%(people)d)]
plan = get_or_create_plan(meeting)
settings.ALLOWED_HOSTS = ["testserver"]
client = Client()
client.force_login(user)
print(json.dumps({
    "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
    "case": case.pk,
    "meeting": meeting.pk,
    "plan": plan.pk,
    "tokens": {p.pk: invitations.answer_token(p) for p in people},
}))
"""


@pytest.fixture
def server(tmp_path):
    database = tmp_path / "samtidigt.sqlite3"
    env = sqlite_env(database)
    migrated = manage(env, "migrate", "--noinput", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    filled = manage(env, "shell", "--no-imports", "-c", SETUP % {"people": ROUNDS})
    assert filled.returncode == 0, filled.stderr
    world = json.loads(filled.stdout.strip().splitlines()[-1])
    # gunicorn as the README says to run it (Tokens in logs): its access log, here in the
    # server's log, must name no answer link's token.
    env["GUNICORN_CMD_ARGS"] = "--logger-class common.logging.GunicornLogger --access-logfile -"
    with served(env, tmp_path / "gunicorn.log") as base:
        yield Browser(base, world["session"]), world, database, tmp_path / "gunicorn.log"


def rows(database, sql, *params):
    with sqlite3.connect(database) as db:
        return db.execute(sql, params).fetchall()


def test_concurrent_writes_are_all_kept_and_none_is_a_500(server):
    browser, world, database, log_path = server
    meeting = world["meeting"]
    autosave = f"/moten/{meeting}/handlingsplan/spara/"
    add_row = f"/moten/{meeting}/handlingsplan/rader/"
    statuses = []

    # An autosave at the moment of "Lägg till beslut", and the same with a second field.
    for n in range(1, ROUNDS + 1):
        statuses += together(
            lambda n=n: browser.post(
                autosave,
                {"current_situation": f"Läget {n}", "version-current_situation": n - 1},
                htmx=True,
            ),
            lambda: browser.post(add_row, {"op": "action_add"}, htmx=True),
            lambda n=n: browser.post(
                autosave, {"way_forward": f"Vägen {n}", "version-way_forward": n - 1}, htmx=True
            ),
        )

    # Every participant answers at once, while the plan is written.
    tokens = list(world["tokens"].values())
    statuses += together(
        *(
            lambda token=token: browser.post(
                f"/svar/{token}/", {"answer": "attending"}, logged_in=False
            )
            for token in tokens[:8]
        ),
        lambda: browser.post(add_row, {"op": "action_add"}, htmx=True),
    )
    statuses += together(
        *(
            lambda token=token: browser.post(
                f"/svar/{token}/", {"answer": "declined"}, logged_in=False
            )
            for token in tokens[8:]
        ),
        lambda: browser.post(add_row, {"op": "goal_add"}, htmx=True),
    )

    # Bookings of the same ärende at different times, at once.
    def book(n):
        day = timezone.localdate() + timedelta(days=40 + n)
        return browser.post(
            f"/arenden/{world['case']}/boka/",
            {
                "kind": "avstamningsmote",
                "date": day.isoformat(),
                "start_time": "10:00",
                "length": "60",
                "location": "Kommunhuset",
                "purpose": "Planera stöd",
                "questions": "Vilka insatser behövs?",
                "individual_attends": "on",
                "extern-TOTAL_FORMS": "0",
                "extern-INITIAL_FORMS": "0",
                "extern-MIN_NUM_FORMS": "0",
                "extern-MAX_NUM_FORMS": "20",
            },
        )

    booked = together(*(lambda n=n: book(n) for n in range(6)))

    log = log_path.read_text()
    assert "database is locked" not in log
    assert "POST /svar/[dold]/ HTTP/1.1" in log
    assert not any(token.split(":")[1] in log for token in tokens)
    assert all(status == 200 for status in statuses), (statuses, log[-3000:])
    assert booked == [302] * 6, (booked, log[-3000:])
    plan = world["plan"]
    assert rows(database, "SELECT COUNT(*) FROM plans_action WHERE plan_id = ?", plan) == [
        (ROUNDS + 1,)
    ]
    assert rows(database, "SELECT COUNT(*) FROM plans_goal WHERE plan_id = ?", plan) == [(1,)]
    assert rows(
        database, "SELECT current_situation, way_forward FROM plans_actionplan WHERE id = ?", plan
    ) == [(f"Läget {ROUNDS}", f"Vägen {ROUNDS}")]
    answers = rows(
        database,
        "SELECT answer, COUNT(*) FROM meetings_participant WHERE meeting_id = ? "
        "AND name LIKE 'Deltagare %' GROUP BY answer ORDER BY answer",
        meeting,
    )
    assert answers == [("attending", 8), ("declined", ROUNDS - 8)]
    assert rows(database, "SELECT COUNT(*) FROM meetings_meeting") == [(7,)]
