"""Several app servers, as DESIGN.md promises (issue 20; README, Flera servrar).

Two gunicorn servers started with deploy/gunicorn.conf.py on two ports over ONE fresh
PostgreSQL database and ONE Redis (the cache, the sessions with SESSION_STORE=cache, the
RQ queue with TASKS_BACKEND=rq), an RQ worker with its scheduler (`manage.py rqworker
default --with-scheduler`), and a real SMTP relay (aiosmtpd) that refuses every recipient
(451) until it is switched to accept. Over HTTP, as a browser would (CSRF token from the
form, cookies):

- a handläggare logs in on server A and the same session cookie is logged in on server B;
- books a meeting with three contact persons and sends the kallelse on A;
- the relay refuses each kallelse; once it accepts, the worker's scheduled retry
  (OUTBOX_RETRY_DELAYS, enqueued by the RQ scheduler, no periodic command) delivers it:
  every participant gets exactly one kallelse, counted at the relay by recipient;
- a participant answers through the link in the delivered e-mail, which points at server B
  (SITE_URL), and the convener's notice of the answer leaves through the worker too;
- /readyz on both servers reports the RQ worker's heartbeat.

Skipped, with the reason, only when PostgreSQL or Redis does not answer on 127.0.0.1.
Every subprocess runs in its own process group and is stopped in `finally`; the database
is dropped and the Redis database flushed afterwards. Every wait is bounded.
"""

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes, policy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_DB = 11  # this test's own Redis database number, flushed before and after
PASSWORD = "lösenord-för-test"  # tests/factories.UserFactory's
CONTACTS = ["anna.arbete@af.example", "frida.forsakring@fk.example", "karl.kommun@tvastad.example"]
CONVENER = "tea.tvaserver@tvastad.example"


def _postgres_answers() -> str:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # not installed, refused, no such role: all mean "cannot test"
        return f"PostgreSQL svarar inte på 127.0.0.1:5432 ({type(exc).__name__})"
    return ""


def _redis_answers() -> str:
    try:
        import redis

        redis.Redis(host="127.0.0.1", port=6379, socket_timeout=3).ping()
    except Exception as exc:
        return f"Redis svarar inte på 127.0.0.1:6379 ({type(exc).__name__})"
    return ""


SKIP_REASON = _postgres_answers() or _redis_answers()
pytestmark = pytest.mark.skipif(bool(SKIP_REASON), reason=SKIP_REASON)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Relay:
    """An SMTP relay that refuses every recipient (451, "try later") while ``refusing``,
    and records what it refused and what it was handed."""

    def __init__(self):
        self.refusing = True
        self.refused = Counter()
        self.delivered = []  # (recipient, email.message.EmailMessage)
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        with self.lock:
            if self.refusing:
                self.refused[address] += 1
                return "451 4.3.0 Tillfälligt fel, försök igen senare"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.delivered.append((recipient, message))
        return "250 Message accepted for delivery"

    def kallelser(self) -> Counter:
        with self.lock:
            return Counter(
                to
                for to, message in self.delivered
                # Folded by the sender, the parsed header keeps the fold's leading space.
                if str(message["Subject"]).strip().startswith("Kallelse")
            )

    def to(self, recipient):
        with self.lock:
            return [message for to, message in self.delivered if to == recipient]


SETUP = """
import json
from datetime import timedelta
from django.utils import timezone
from tests.factories import (
    CaseFactory, ConsentFactory, ContactPersonFactory, OrganisationFactory,
    SamverkAreaFactory, UserFactory,
)
area = SamverkAreaFactory(municipality="Tvåstad", slug="tvastad")
kommun = OrganisationFactory(name="Tvåstads kommun", kind="kommun")
af = OrganisationFactory(name="Arbetsförmedlingen", kind="arbetsformedlingen")
fk = OrganisationFactory(name="Försäkringskassan", kind="forsakringskassan")
user = UserFactory(
    username="tvaserver", first_name="Tea", last_name="Tvåserver",
    email="tea.tvaserver@tvastad.example", organisation=kommun, is_caseworker=True,
)
case = CaseFactory(area=area, owner=user)
ConsentFactory(
    case=case, organisations=[kommun, af, fk],
    given_on=timezone.localdate() - timedelta(days=1),
)
people = [
    ("Anna Arbete", af, "anna.arbete@af.example"),
    ("Frida Försäkring", fk, "frida.forsakring@fk.example"),
    ("Karl Kommun", kommun, "karl.kommun@tvastad.example"),
]
contacts = [
    ContactPersonFactory(area=area, organisation=org, name=name, email=email).pk
    for name, org, email in people
]
print(json.dumps({"case": case.pk, "contacts": contacts}))
"""


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, html[:2000]
    return match.group(1)


def wait_for(what, check, *, timeout, logs):
    """Poll ``check`` until it returns something true; fail with the logs after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: inte inom {timeout} s\n{logs()}")
        time.sleep(0.2)


def stop(processes):
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_two_app_servers_share_database_sessions_queue_and_worker(tmp_path):
    import psycopg
    import redis
    import requests
    from aiosmtpd.controller import Controller

    database = f"samverk_twoservers_{os.getpid()}"
    admin = psycopg.connect(PG_ADMIN, autocommit=True)
    redis_db = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    relay = Relay()
    controller = Controller(relay, hostname="127.0.0.1", port=free_port())
    port_a, port_b = free_port(), free_port()
    a, b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samverk.settings",
        "DEBUG": "1",
        "MFA_REQUIRED": "0",
        # The same on every server: the sessions, the CSRF tokens and the answer links'
        # signatures must be valid on each.
        "SECRET_KEY": "two-servers-test-" + "k" * 40,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "CONN_MAX_AGE": "60",
        "CACHE_URL": f"rediscache://127.0.0.1:6379/{REDIS_DB}",
        "SESSION_STORE": "cache",
        "TASKS_BACKEND": "rq",
        "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(controller.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_TIMEOUT": "10",
        # Short retries, and enough of them for a slow machine: the relay may refuse one
        # message several times before it has refused the last one once.
        "OUTBOX_RETRY_DELAYS": "3,3,3,3,3,3,3,3,3,3",
        # The links in the e-mail lead to server B.
        "SITE_URL": b,
        "LOG_LEVEL": "WARNING",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "2",
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    processes, log_paths = [], {}

    def logs():
        with relay.lock:
            seen = [(to, str(message["Subject"])) for to, message in relay.delivered]
            refused = dict(relay.refused)
        try:
            outbox = rows("SELECT to_email, subject, state, attempts FROM outbox_outboundmessage")
        except Exception as exc:  # the database is what failed
            outbox = repr(exc)
        return "\n".join(
            [
                f"--- relay --- refused {refused}; delivered {seen}",
                f"--- outbox --- {outbox}",
                *(
                    f"--- {name} ---\n{path.read_text(errors='replace')[-3000:]}"
                    for name, path in log_paths.items()
                    if path.exists()
                ),
            ]
        )

    def start(name, argv, **extra):
        log_paths[name] = tmp_path / f"{name}.log"
        with open(log_paths[name], "wb") as log:
            process = subprocess.Popen(  # noqa: S603 - fixed argv, our own manage.py/gunicorn
                argv,
                cwd=ROOT,
                env={**env, **extra},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped with its children
            )
        processes.append(process)
        return process

    def manage(*args):
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def rows(sql, *params):
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{database}") as conn:
            return conn.execute(sql, params).fetchall()

    admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{database}"')
    redis_db.flushdb()
    controller.start()
    try:
        manage("migrate", "--noinput", "-v", "0")
        # The servers and the worker boot while the data is made (they need the tables only).
        gunicorn = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
        for name, port in (("a", port_a), ("b", port_b)):
            start(f"server-{name}", gunicorn, GUNICORN_BIND=f"127.0.0.1:{port}")
        start(
            "worker",
            [sys.executable, "manage.py", "rqworker", "default", "--with-scheduler"],
        )
        world = json.loads(manage("shell", "--no-imports", "-c", SETUP).strip().splitlines()[-1])

        def ready(base):
            assert all(p.poll() is None for p in processes), logs()
            try:
                response = requests.get(f"{base}/readyz", timeout=10)
            except requests.RequestException:  # not listening yet, or still loading the app
                return None
            body = response.json()
            return body if body["checks"].get("worker", {}).get("ok") else None

        # /readyz on both servers: database, cache and the RQ worker's heartbeat.
        for base in (a, b):
            body = wait_for(
                f"{base}/readyz med arbetarens puls",
                lambda base=base: ready(base),
                timeout=60,
                logs=logs,
            )
            assert body["status"] == "ok", body
            assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"], body
            assert body["checks"]["worker"]["last_heartbeat_age_s"] is not None, body
        assert [w for (w,) in rows("SELECT worker FROM outbox_workerheartbeat")] == [
            f"rqworker@{socket.gethostname()}"
        ]

        # Log in on A.
        browser = requests.Session()
        page = browser.get(f"{a}/logga-in/", timeout=30)
        assert page.status_code == 200
        login = browser.post(
            f"{a}/logga-in/",
            {
                "login": "tvaserver",
                "password": PASSWORD,
                "csrfmiddlewaretoken": csrf_token(page.text),
            },
            allow_redirects=False,
            timeout=30,
        )
        assert login.status_code == 302, login.text[-2000:]
        session_id = browser.cookies["sessionid"]

        # The same session cookie is logged in on B; without it B sends to the login page.
        on_b = requests.Session()
        on_b.cookies.set("sessionid", session_id)
        overview = on_b.get(f"{b}/", allow_redirects=False, timeout=30)
        assert overview.status_code == 200, (overview.status_code, overview.headers)
        assert "Tea Tvåserver" in overview.text
        stranger = requests.get(f"{b}/", allow_redirects=False, timeout=30)
        assert stranger.status_code == 302 and "/logga-in/" in stranger.headers["Location"]

        # Book on A: three contact persons of the area's list.
        book = f"{a}/arenden/{world['case']}/boka/"
        form = browser.get(book, timeout=30)
        assert form.status_code == 200
        booked = browser.post(
            book,
            {
                "csrfmiddlewaretoken": csrf_token(form.text),
                "kind": "samverkansmote",
                "date": time.strftime("%Y-%m-%d", time.localtime(time.time() + 30 * 86400)),
                "start_time": "10:00",
                "length": "60",
                "location": "Kommunhuset, rum 3",
                "purpose": "Planera vägen till arbete",
                "questions": "Vilka insatser behövs?",
                "contacts": world["contacts"],
                "extern-TOTAL_FORMS": "0",
                "extern-INITIAL_FORMS": "0",
                "extern-MIN_NUM_FORMS": "0",
                "extern-MAX_NUM_FORMS": "20",
            },
            allow_redirects=False,
            timeout=30,
        )
        assert booked.status_code == 302, booked.text[-3000:]
        meeting_path = booked.headers["Location"]
        assert re.fullmatch(r"/moten/\d+/", meeting_path), meeting_path

        # "Skicka kallelse" on A, twice (a double click): one kallelse each.
        meeting = browser.get(f"{a}{meeting_path}", timeout=30)
        assert meeting.status_code == 200
        for _click in range(2):
            sent = browser.post(
                f"{a}{meeting_path}kallelse/",
                {"csrfmiddlewaretoken": csrf_token(meeting.text)},
                allow_redirects=False,
                timeout=30,
            )
            assert sent.status_code == 302, sent.text[-3000:]

        # The relay refuses each of them first; nothing is delivered.
        wait_for(
            "varje kallelse nekad av SMTP-servern",
            lambda: all(relay.refused[to] for to in CONTACTS),
            timeout=60,
            logs=logs,
        )
        assert relay.delivered == []
        queued = rows(
            "SELECT to_email, state, last_error FROM outbox_outboundmessage "
            "WHERE subject LIKE 'Kallelse%%' ORDER BY to_email"
        )
        assert [to for to, _state, _error in queued] == sorted(CONTACTS)
        # Queued for their retry (or being retried), each after the relay's 451.
        assert {state for _to, state, _error in queued} <= {"queued", "sending"}, queued
        assert all("451" in error for _to, _state, error in queued), queued

        # The relay accepts again: the worker's scheduled retries deliver them.
        with relay.lock:
            relay.refusing = False
        kallelse_rows = (
            "SELECT to_email, state, attempts FROM outbox_outboundmessage "
            "WHERE subject LIKE 'Kallelse%%' ORDER BY to_email"
        )

        def all_sent():
            # At the relay, and recorded as sent (the worker saves after the relay's 250).
            if set(relay.kallelser()) != set(CONTACTS):
                return None
            found = rows(kallelse_rows)
            return found if {state for _to, state, _attempts in found} == {"sent"} else None

        sent_rows = wait_for(
            "kallelserna levererade efter omförsöket", all_sent, timeout=60, logs=logs
        )
        assert [to for to, _state, _attempts in sent_rows] == sorted(CONTACTS)
        assert all(attempts >= 2 for _to, _state, attempts in sent_rows), sent_rows

        # A participant answers on B through the link in the e-mail they got.
        (kallelse,) = relay.to("anna.arbete@af.example")
        text = kallelse.get_body(preferencelist=("plain",)).get_content()
        link = re.search(r"(https?://\S+?/svar/\S+?/)(?=\s|$)", text).group(1)
        assert link.startswith(f"{b}/svar/"), link
        participant = requests.Session()
        answer_page = participant.get(link, timeout=30)
        assert answer_page.status_code == 200, answer_page.text[-2000:]
        answered = participant.post(
            link,
            {"answer": "attending", "csrfmiddlewaretoken": csrf_token(answer_page.text)},
            timeout=30,
        )
        assert answered.status_code == 200, answered.text[-3000:]
        assert rows(
            "SELECT answer FROM meetings_participant WHERE email = %s", "anna.arbete@af.example"
        ) == [("attending",)]
        # The convener's notice, queued by B, sent by the worker.
        notices = wait_for(
            "sammankallandes besked om svaret",
            lambda: relay.to(CONVENER),
            timeout=30,
            logs=logs,
        )
        assert (
            len(notices) == 1
            and "Anna Arbete" in notices[0].get_body(preferencelist=("plain",)).get_content()
        )

        # Every participant got exactly one kallelse; nothing is left in the queue.
        time.sleep(4)  # longer than a retry delay: a second copy would have left by now
        assert relay.kallelser() == Counter(dict.fromkeys(CONTACTS, 1))
        assert relay.to(CONVENER) == notices
        for base in (a, b):
            body = requests.get(f"{base}/readyz", timeout=10).json()
            assert body["status"] == "ok" and body["checks"]["worker"]["ok"], body
            assert body["checks"]["outbox"]["queued"] == 0, body
        for name, path in log_paths.items():  # whole logs: no error anywhere, no 500
            text = path.read_text(errors="replace")
            assert "Traceback" not in text and '" 500 ' not in text, f"{name}:\n{text[-5000:]}"
    finally:
        stop(processes)
        controller.stop()
        redis_db.flushdb()
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()
