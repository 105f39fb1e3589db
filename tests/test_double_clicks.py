"""Double clicks and simultaneous users against a running server (issue 15).

"Skicka kallelse" clicked six times at once sent every participant six kallelser, and
clicked again later a second round; six simultaneous "Fastställ" made six identical
versions; a forwarded answer link named five substitutes. Here the same requests are sent
at the same moment, from threads, to a server that really serves them concurrently:

- on PostgreSQL, pytest-django's live server (a thread per request, each with its own
  connection) on the test database (transactional_db: the server's threads see the data);
- on SQLite, whose test database is in memory and shared by the live server's threads
  (everything would be serialised and prove nothing), a SQLite file of its own, migrated,
  filled by :func:`build_world` and served by gunicorn (tests/live.py), as
  tests/test_sqlite_concurrency.py does.

Each step is a fixed number of requests; every wait is bounded.
"""

import json
import sqlite3

import pytest
from django.db import connection

from tests.live import Browser, manage, served, sqlite_env, together

# On PostgreSQL the live server's threads must see the world the test commits; a
# transactional_db asked for inside the fixture comes too late for pytest-django.
pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 4
CLICKS = 6


def build_world(people=PEOPLE) -> dict:
    """A meeting of an ärende with ``people`` participants of Arbetsförmedlingen (e-mail at
    af.example, the party's domain), consent for both parties, and its plan; the
    convener's session and the first participants' answer links."""
    from datetime import timedelta

    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from meetings.services import invitations
    from plans.services.start import get_or_create_plan
    from tests.factories import (
        CaseFactory,
        ConsentFactory,
        MeetingFactory,
        OrganisationFactory,
        ParticipantFactory,
        SamverkAreaFactory,
        UserFactory,
    )

    area = SamverkAreaFactory(municipality="Sävsjö", slug="savsjo")
    kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
    af = OrganisationFactory(
        name="Arbetsförmedlingen", kind="arbetsformedlingen", email_domains="af.example"
    )
    user = UserFactory(username="kallande", organisation=kommun, is_caseworker=True)
    case = CaseFactory(area=area, owner=user)
    ConsentFactory(
        case=case, organisations=[kommun, af], given_on=timezone.localdate() - timedelta(days=1)
    )
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=30)
    meeting = MeetingFactory(
        case=case,
        convened_by=user,
        convening_organisation=kommun,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    participants = [
        ParticipantFactory(
            meeting=meeting,
            kind="external",
            organisation=af,
            name=f"Deltagare {n}",
            email=f"deltagare{n}@af.example",
        )
        for n in range(people)
    ]
    plan = get_or_create_plan(meeting)
    poll = _poll(case, user, participants)
    group_meeting, group_move = _group_meeting(area, kommun, af)
    client = Client()
    client.force_login(user)
    coordinator_client = Client()
    coordinator_client.force_login(group_meeting.created_by)
    return {
        "coordinator_session": coordinator_client.cookies[settings.SESSION_COOKIE_NAME].value,
        "group_meeting": group_meeting.pk,
        "group_move": group_move,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "meeting": meeting.pk,
        "plan": plan.pk,
        "participants": [p.pk for p in participants],
        "tokens": [invitations.answer_token(p) for p in participants],
        "poll": poll.pk,
        "poll_time": poll.times.first().pk,
    }


def _poll(case, user, participants):
    """An open "Föreslå tider" poll of the ärende (issue 16): two times, the participants
    asked."""
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import PollInvitee, PollTime, TimePoll

    poll = TimePoll.objects.create(
        case=case,
        kind="samverkansmote",
        location="Kommunhuset, rum 3",
        purpose="Planera vägen till arbete",
        questions="Vilka insatser behövs?",
        convening_organisation=user.organisation,
        convened_by=user,
        created_by=user,
        answer_by=timezone.localdate() + timedelta(days=7),
    )
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=40)
    for days in (0, 1):
        PollTime.objects.create(
            poll=poll,
            starts_at=start + timedelta(days=days),
            ends_at=start + timedelta(days=days, hours=1),
        )
    PollInvitee.objects.create(
        poll=poll,
        kind="staff",
        user=user,
        organisation=user.organisation,
        name=str(user),
        email=user.email,
        convenes=True,
        asked=False,
    )
    for p in participants:
        PollInvitee.objects.create(
            poll=poll, kind=p.kind, organisation=p.organisation, name=p.name, email=p.email
        )
    return poll


def _group_meeting(area, kommun, af):
    """A styrgrupp of the area (four members, two parties) whose meeting 30 days ahead has
    had its kallelse, booked by the area's coordinator; the form data that moves it a week."""
    from datetime import timedelta

    from django.utils import timezone

    from groups.enums import GroupKind
    from groups.models import Group, GroupMeeting, GroupMember
    from groups.services.booking import book_meeting
    from tests.factories import UserFactory

    coordinator = UserFactory(username="samordnare", organisation=kommun)
    area.coordinators.add(coordinator)
    group = Group.objects.create(area=area, kind=GroupKind.STEERING)
    for n, party in enumerate([kommun, af, kommun, af]):
        GroupMember.objects.create(
            group=group,
            name=f"Ledamot {n + 1}",
            organisation=party,
            email=f"ledamot{n + 1}@af.example",
            rotation_order=n + 1,
        )
    start = timezone.localtime(
        timezone.now().replace(second=0, microsecond=0) + timedelta(days=30)
    ).replace(hour=10, minute=0)
    meeting = book_meeting(
        group=group,
        user=coordinator,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Kommunhuset, Sävsjö",
        items=[{"title": "Ekonomi"}],
    )
    # As if the kallelse had gone (without its mail, which the other tests count).
    GroupMeeting.objects.filter(pk=meeting.pk).update(invitations_sent_at=timezone.now())
    move = {
        "date": (start + timedelta(days=7)).date().isoformat(),
        "start_time": "09:00",
        "length": "90",
        "place": "Stadshuset",
        "remote_link": "",
        "convener": str(meeting.convener_id or ""),
    }
    return meeting, move


SETUP = """
import json
from tests.test_double_clicks import build_world
print(json.dumps(build_world()))
"""


class Database:
    """Counts in the served database: the SQLite file, or the test database's connection."""

    def __init__(self, path=None):
        self.path = path

    def rows(self, sql, *params):
        if self.path is not None:
            with sqlite3.connect(self.path) as db:
                return db.execute(sql, params).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("%", "%%").replace("?", "%s"), params)
            return cursor.fetchall()

    def one(self, sql, *params):
        return self.rows(sql, *params)[0][0]

    def execute(self, sql, *params):
        if self.path is not None:
            with sqlite3.connect(self.path) as db:
                db.execute(sql, params)
            return
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("%", "%%").replace("?", "%s"), params)


@pytest.fixture
def server(request, tmp_path, settings):
    """(a Browser, the world, the served Database, the server's log text or "")."""
    if connection.vendor == "sqlite":
        database = tmp_path / "dubbelklick.sqlite3"
        env = sqlite_env(database)
        migrated = manage(env, "migrate", "--noinput", "-v", "0")
        assert migrated.returncode == 0, migrated.stderr
        filled = manage(env, "shell", "--no-imports", "-c", SETUP)
        assert filled.returncode == 0, filled.stderr
        world = json.loads(filled.stdout.strip().splitlines()[-1])
        log_path = tmp_path / "gunicorn.log"
        with served(env, log_path) as base:
            yield Browser(base, world["session"]), world, Database(database), log_path.read_text
        return
    live_server = request.getfixturevalue("live_server")
    settings.ALLOWED_HOSTS = ["*"]
    world = build_world()
    yield Browser(live_server.url, world["session"]), world, Database(), lambda: ""


def test_simultaneous_clicks_send_once_and_freeze_once(server):
    browser, world, db, log = server
    meeting, plan = world["meeting"], world["plan"]
    send = f"/moten/{meeting}/kallelse/"
    kallelser = "SELECT COUNT(*) FROM outbox_outboundmessage WHERE subject LIKE 'Kallelse%'"

    # "Skicka kallelse", six times at once: one kallelse each.
    statuses = together(*[lambda: browser.post(send, {})] * CLICKS)
    assert statuses == [302] * CLICKS, log()[-3000:]
    assert db.one(kallelser) == PEOPLE
    per_person = db.rows(
        "SELECT to_email, COUNT(*) FROM outbox_outboundmessage WHERE subject LIKE 'Kallelse%' "
        "GROUP BY to_email ORDER BY to_email"
    )
    assert per_person == [(f"deltagare{n}@af.example", 1) for n in range(PEOPLE)]

    # Clicked again later (six at once again): nobody gets a second round.
    assert together(*[lambda: browser.post(send, {})] * CLICKS) == [302] * CLICKS
    assert db.one(kallelser) == PEOPLE

    # "Skicka igen till Deltagare 0", six at once, once the first has left: one more.
    first = world["participants"][0]
    db.execute(
        "UPDATE outbox_outboundmessage SET state = 'sent' WHERE to_email = ?",
        "deltagare0@af.example",
    )
    again = together(*[lambda: browser.post(send, {"participant": first})] * CLICKS)
    assert again == [302] * CLICKS, log()[-3000:]
    assert db.one(kallelser) == PEOPLE + 1
    assert (
        db.one(
            "SELECT COUNT(*) FROM outbox_outboundmessage WHERE to_email = ? AND state = 'queued'",
            "deltagare0@af.example",
        )
        == 1
    )

    # "Fastställ", six at once: one version; after a change, six more: one more.
    freeze = f"/moten/{meeting}/handlingsplan/faststall/"
    versions = "SELECT COUNT(*) FROM plans_planversion WHERE plan_id = ?"
    assert together(*[lambda: browser.post(freeze, {})] * CLICKS) == [302] * CLICKS, log()[-3000:]
    assert db.one(versions, plan) == 1
    autosave = browser.post(
        f"/moten/{meeting}/handlingsplan/spara/",
        {"current_situation": "Ändrat", "version-current_situation": 0},
        htmx=True,
    )
    assert autosave == 200
    assert together(*[lambda: browser.post(freeze, {})] * CLICKS) == [302] * CLICKS
    assert db.one(versions, plan) == 2
    assert db.one("SELECT COUNT(*) FROM cases_caseevent WHERE action = 'plan.frozen'") == 2
    assert "database is locked" not in log()


def test_a_forwarded_link_posted_at_once_names_one_substitute_of_the_party(server):
    browser, world, db, log = server
    original = world["participants"][1]
    answer = f"/svar/{world['tokens'][1]}/"
    people = "SELECT COUNT(*) FROM meetings_participant WHERE meeting_id = ?"
    before = db.one(people, world["meeting"])

    def name(email):
        return lambda: browser.post(
            answer,
            {"answer": "substitute", "substitute_name": "Ersättare", "substitute_email": email},
            logged_in=False,
        )

    # Five attackers at once: nothing saved, nothing sent.
    outside = together(*(name(f"attacker{n}@evil.example") for n in range(5)))
    assert outside == [400] * 5, log()[-3000:]
    assert db.one(people, world["meeting"]) == before
    assert db.one("SELECT COUNT(*) FROM outbox_outboundmessage") == 0

    # Five of the party at once: one substitute stands, the four before were told.
    inside = together(*(name(f"kollega{n}@af.example") for n in range(5)))
    assert inside == [200] * 5, log()[-3000:]
    active = db.rows(
        "SELECT email FROM meetings_participant WHERE substitute_for_id = ? AND removed_at IS NULL",
        original,
    )
    assert len(active) == 1
    assert (
        db.one("SELECT COUNT(*) FROM meetings_participant WHERE substitute_for_id = ?", original)
        == 5
    )
    assert (
        db.one(
            "SELECT COUNT(*) FROM outbox_outboundmessage WHERE subject LIKE 'Du är inte längre%'"
        )
        == 4
    )
    assert "database is locked" not in log()


def test_simultaneous_picks_book_one_meeting(server):
    """ "Välj" on a time of a poll, six times at once: one meeting, one kallelse each."""
    browser, world, db, log = server
    pick = f"/tidsforfragningar/{world['poll']}/valj/"
    meetings = "SELECT COUNT(*) FROM meetings_meeting"
    before = db.one(meetings)
    statuses = together(*[lambda: browser.post(pick, {"time": world["poll_time"]})] * CLICKS)
    assert statuses == [302] * CLICKS, log()[-3000:]
    assert db.one(meetings) == before + 1
    assert db.one("SELECT status FROM meetings_timepoll WHERE id = ?", world["poll"]) == "picked"
    per_person = db.rows(
        "SELECT to_email, COUNT(*) FROM outbox_outboundmessage WHERE subject LIKE 'Kallelse%' "
        "GROUP BY to_email ORDER BY to_email"
    )
    assert per_person == [(f"deltagare{n}@af.example", 1) for n in range(PEOPLE)]
    assert "database is locked" not in log()


def test_a_group_meeting_moved_by_simultaneous_clicks_moves_once(server):
    """ "Spara den nya tiden" of a group meeting (issue 18), six times at once: moved once,
    SEQUENCE one up, one update kallelse per member."""
    browser, world, db, log = server
    coordinator = Browser(browser.base, world["coordinator_session"])
    meeting = world["group_meeting"]
    updates = "SELECT COUNT(*) FROM outbox_outboundmessage WHERE to_email LIKE 'ledamot%'"
    move = f"/grupper/moten/{meeting}/flytta/"
    statuses = together(*[lambda: coordinator.post(move, world["group_move"])] * CLICKS)
    assert statuses == [302] * CLICKS, log()[-3000:]
    assert db.one("SELECT sequence FROM groups_groupmeeting WHERE id = ?", meeting) == 1
    assert db.one(updates) == 4
    assert "database is locked" not in log()
