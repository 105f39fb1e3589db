"""``manage.py bench --http``: the app under load, served the way production serves it.

A fresh file database (SQLite in a temp dir, or ``samverk_loadbench`` on the
PostgreSQL server DATABASE_URL / ``--database-url`` names) is migrated and filled
with the bench's data set plus 20,000 handlingsplaner. ``gunicorn samverk.wsgi``
(2 workers, DEBUG=0, bench.settings) serves it on 127.0.0.1, and ``wrk`` — a separate
process — drives one page at a time with 10 connections. Each page is compared with a
baseline page that reads one row and renders a tiny template (:mod:`bench.views`),
served by the same gunicorn in the same run. A second reference, the page floor,
does what every ärende page must before it shows anything of its own (access
check, audit row, layout); it is reported beside the pages, without a target.

Queries per request are counted in-process (the test Client against the same
database, :func:`bench.scenarios.measure`), once per page before the load.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection, connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from plans.models import TEXT_FIELDS

from . import dataset, scenarios
from .plan_data import (  # noqa: F401 - PLANS, AUTOSAVE_MEETINGS for callers
    AUTOSAVE_MEETINGS,
    FIELD_VERSION,
    PLANS,
    LoadBenchError,
    PlanData,
    build_plans,
)

PG_DATABASE = "samverk_loadbench"
# The targets (issue 20), each measured in the same run: the page floor at least 0.6 of the
# baseline's req/s; every HTML page at least 0.5 of the floor's; p95 under 250 ms.
TARGET_FLOOR_RATIO = 0.6
TARGET_PAGE_FLOOR_RATIO = 0.5
TARGET_P95_MS = 250.0
QUERY_NOTE = (
    "frågor/req räknas i processen med Djangos testklient mot samma databas "
    "(en mätning per sida före lasten), inte i gunicorn"
)


# ---------------------------------------------------------------------------
# Data: handlingsplaner in bulk
# ---------------------------------------------------------------------------


def give_second_factor(user) -> None:
    """An authenticator app for the measured user: the server runs at DEBUG=0, where
    MFA_REQUIRED holds every handläggare without a second factor at the enrolment page (a
    403 for the bench's htmx requests). Every page then pays the check as in production."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secrets.token_hex(10))


# ---------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------


@contextmanager
def bench_database(database_url: str | None, tmpdir: Path, *, keep: bool = False):
    """A fresh, migrated database, dropped afterwards unless ``keep``: a SQLite file in
    ``tmpdir`` (or, kept, in the working directory), or ``samverk_loadbench`` on the
    PostgreSQL server of ``database_url`` (else of the configured database). Yields the
    DATABASE_URL the app server should use."""
    import environ

    db = settings.DATABASES["default"]
    saved = {key: (value.copy() if isinstance(value, dict) else value) for key, value in db.items()}
    swapped = False
    if database_url:
        connections["default"].close()
        del connections["default"]
        db.clear()
        db.update(swapped_database(saved, environ.Env.db_url_config(database_url)))
        swapped = True
    vendor = connections["default"].vendor
    if vendor == "postgresql":
        name = PG_DATABASE
    elif vendor == "sqlite":
        name = str((Path.cwd() if keep else tmpdir) / "loadbench.sqlite3")
    else:
        raise LoadBenchError(f"--http stöder SQLite och PostgreSQL, inte {vendor}.")
    old_name = db["NAME"]
    old_test = db.setdefault("TEST", {}).get("NAME")
    db["TEST"]["NAME"] = name
    try:
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False, keepdb=False
        )
        try:
            yield server_database_url(db)
        finally:
            if keep:
                connection.close()
                db["NAME"] = old_name
            else:
                connection.creation.destroy_test_db(old_name, verbosity=0)
    finally:
        if old_test is None:
            db["TEST"].pop("NAME", None)
        else:
            db["TEST"]["NAME"] = old_test
        if swapped:
            connections["default"].close()
            del connections["default"]
            db.clear()
            db.update(saved)


# What a configured database keeps when --database-url names another: the settings that
# mean the same on every engine. OPTIONS are the engine's own (SQLite's init_command,
# transaction_mode and timeout are refused by psycopg: "invalid connection option").
ENGINE_NEUTRAL = (
    "ATOMIC_REQUESTS",
    "AUTOCOMMIT",
    "CONN_MAX_AGE",
    "CONN_HEALTH_CHECKS",
    "TIME_ZONE",
)


def swapped_database(configured: dict, config: dict) -> dict:
    """The DATABASES entry the bench uses for ``--database-url``: ``config`` (django-environ's
    parse of the URL, with its own OPTIONS only) and the configured database's engine-neutral
    settings, whatever engine DATABASE_URL names."""
    db = {key: configured[key] for key in ENGINE_NEUTRAL if key in configured}
    db.update({key: "" for key in ("USER", "PASSWORD", "HOST", "PORT")})
    db.update(config)
    db["OPTIONS"] = dict(config.get("OPTIONS") or {})
    db["TEST"] = {"CHARSET": None, "COLLATION": None, "MIGRATE": True, "MIRROR": None}
    return db


def server_database_url(db: dict) -> str:
    """The DATABASE_URL (django-environ) naming the database ``db`` describes."""
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "", safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{quote(db['NAME'], safe='')}"


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str
    # "html" pages have targets; "pdf" pages and the "reference" page floor are reported only
    kind: str = "html"
    baseline: bool = False
    # The autosave: POSTs of the next version of one field after another.
    autosave_meeting_ids: list[int] | None = None


def pages(data: dataset.BenchData, plans: PlanData) -> list[Page]:
    case, meeting, week = data.measured_case, data.measured_meeting, data.measured_week
    measured = plans.measured_meeting_id
    return [
        Page("Baslinje", reverse("bench_baseline"), baseline=True),
        Page("Sidgolv (ärende)", reverse("bench_page_floor", args=[case.pk]), kind="reference"),
        Page("Översikt", reverse("dashboard")),
        Page("Ärendesida", reverse("cases:detail", args=[case.pk])),
        Page("Min vecka", f"{reverse('meetings:my_week')}?vecka={week.param}"),
        Page("Kontaktlista", reverse("parties:contact_list", args=[data.measured_area.slug])),
        Page("Mötessida", reverse("meetings:detail", args=[meeting.pk])),
        Page("Handlingsplan (sida)", reverse("plans:edit", args=[measured])),
        Page(
            "Autosave (POST)",
            reverse("plans:autosave", args=[plans.autosave_meeting_ids[0]]),
            autosave_meeting_ids=plans.autosave_meeting_ids,
        ),
        Page("Kallelse-PDF", reverse("meetings:invitation_pdf", args=[meeting.pk]), kind="pdf"),
        Page("Handlingsplan-PDF", reverse("plans:pdf", args=[measured]), kind="pdf"),
    ]


def autosave_data(field_name: str, version: int, text: str) -> dict:
    return {field_name: text, f"version-{field_name}": str(version)}


def count_queries(client: Client, page: Page, spare_meeting_id: int) -> tuple[int | None, str]:
    """Queries of one request (after a warm-up request), in-process."""
    if page.autosave_meeting_ids is not None:
        url = reverse("plans:autosave", args=[spare_meeting_id])
        scenario = scenarios.Scenario(
            page.name,
            url,
            warmup=0,
            post_data=autosave_data(TEXT_FIELDS[0], FIELD_VERSION, "Räknas i processen"),
        )
        result = scenarios.measure(client, scenario, 1)
    else:
        result = scenarios.measure(client, scenarios.Scenario(page.name, page.path), 2)
    return result.query_count, result.error or ""


# ---------------------------------------------------------------------------
# wrk
# ---------------------------------------------------------------------------

WRK_MARK = "WRK_JSON "

DONE_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %.0f, "duration_us": %.0f, "bytes": %.0f, "median_us": %.0f, '
    .. '"p95_us": %.0f, "p99_us": %.0f, "max_us": %.0f, "mean_us": %.1f, '
    .. '"errors": {"connect": %.0f, "read": %.0f, "write": %.0f, "status": %.0f, '
    .. '"timeout": %.0f}}\\n',
    "WRK_JSON ", summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
"""

AUTOSAVE_LUA = """
local meetings = {%(meetings)s}
local fields = {%(fields)s}
local start_version = %(version)d
local nthreads = %(threads)d
local counter = 0
local versions = {}
local next_id = 0

setup = function(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end

init = function(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

-- Thread n writes slots n, n + nthreads, ...: no two threads share a field, and a
-- thread's slot comes round again only after all its others, so every POST
-- carries the version the previous save of that field returned.
request = function()
  local slots = #meetings * #fields
  local slot = (thread_id + counter * nthreads) %% slots
  counter = counter + 1
  local meeting = meetings[math.floor(slot / #fields) + 1]
  local name = fields[slot %% #fields + 1]
  local key = meeting .. ":" .. name
  local version = versions[key] or start_version
  versions[key] = version + 1
  local body = name .. "=Sparad+under+last+" .. thread_id .. "-" .. counter
    .. "&version-" .. name .. "=" .. version
  return wrk.format("POST", "/moten/" .. meeting .. "/handlingsplan/spara/", nil, body)
end
"""


def autosave_lua(meeting_ids: list[int], *, threads: int) -> str:
    slots = len(meeting_ids) * len(TEXT_FIELDS)
    if not meeting_ids or slots % threads:
        raise LoadBenchError("Autosave: antalet platser måste vara en multipel av trådarna.")
    script = AUTOSAVE_LUA % {
        "meetings": ", ".join(str(pk) for pk in meeting_ids),
        "fields": ", ".join(f'"{name}"' for name in TEXT_FIELDS),
        "version": FIELD_VERSION,
        "threads": threads,
    }
    return script + DONE_LUA


def parse_wrk_output(text: str) -> dict:
    """The JSON line the ``done`` hook printed, in ms and requests per second."""
    for line in text.splitlines():
        if line.startswith(WRK_MARK):
            raw = json.loads(line[len(WRK_MARK) :])
            break
    else:
        raise LoadBenchError("wrk skrev inget resultat:\n" + text[-2000:])
    seconds = raw["duration_us"] / 1e6
    errors = {key: int(value) for key, value in raw["errors"].items()}
    return {
        "requests": int(raw["requests"]),
        "seconds": round(seconds, 2),
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "median_ms": round(raw["median_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "mean_ms": round(raw["mean_us"] / 1000, 1),
        "bytes": int(raw["bytes"]),
        "errors": errors,
        "failed": sum(errors.values()),
    }


def ensure_wrk(log) -> str:
    """wrk's path; installed from Debian when we are root and it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        log("wrk saknas: installerar Debian-paketet wrk …")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([apt, "update", "-qq"], check=True, env=env)  # noqa: S603
        subprocess.run([apt, "install", "-y", "-qq", "wrk"], check=True, env=env)  # noqa: S603
        found = shutil.which("wrk")
        if found:
            return found
    raise LoadBenchError(
        "wrk saknas. Installera det (Debian/Ubuntu: sudo apt-get install wrk; "
        "macOS: brew install wrk) och kör igen."
    )


def run_wrk(wrk: str, url: str, *, seconds, connections, threads, headers, script: Path) -> dict:
    args = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    args += ["--timeout", "10s", "-s", str(script)]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    done = subprocess.run(  # noqa: S603 - our own arguments
        [*args, url], capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if done.returncode != 0:
        raise LoadBenchError(f"wrk avslutades med {done.returncode}: {done.stderr[-1000:]}")
    return parse_wrk_output(done.stdout)


# ---------------------------------------------------------------------------
# gunicorn
# ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, tmpdir: Path, secret_key: str) -> dict:
    return {
        **os.environ,
        # The app's settings plus the bench's reference pages.
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        # As a production server would run: persistent database connections.
        "CONN_MAX_AGE": "60",
        "STATIC_ROOT": str(tmpdir / "static"),
        "CACHE_URL": "locmemcache://",
        "LOG_LEVEL": "WARNING",
    }


def collect_static(env: dict) -> None:
    """DEBUG=0 serves the hashed static files of the manifest: collect them first."""
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
    )


@contextmanager
def gunicorn(env: dict, tmpdir: Path, *, workers: int):
    """``gunicorn samverk.wsgi`` (with ``env``'s settings: bench.settings) on a free loopback
    port; yields its base URL."""
    port = free_port()
    log_path = tmpdir / "gunicorn.log"
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "samverk.wsgi",
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise LoadBenchError("gunicorn startade inte:\n" + _tail(log_path))
            try:
                status, _ = fetch(f"{base}{reverse('login')}")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise LoadBenchError("gunicorn svarar inte:\n" + _tail(log_path))
            time.sleep(0.2)
        yield base, log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, headers: dict | None = None, data: dict | None = None) -> tuple[int, bytes]:
    """One request without following redirects: (status, body)."""
    body = None
    if data is not None:
        from urllib.parse import urlencode

        body = urlencode(data).encode()
    request = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310
    try:
        with _opener.open(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------


@dataclass
class PageResult:
    name: str
    path: str
    kind: str
    baseline: bool = False
    queries: int | None = None
    stats: dict | None = None
    error: str = ""
    ratio: float | None = None
    # req/s over the page floor's, each against its own neighbouring baseline
    # (ratio / floor's ratio): the share of what no page can save that the page reaches.
    floor_ratio: float | None = None
    # The baseline's req/s measured just before this page: the machine's speed drifts
    # over a run (other tenants, CPU frequency), so each page is compared with its own.
    neighbour_baseline_rps: float | None = None

    @property
    def has_targets(self) -> bool:
        return (self.kind == "html" and not self.baseline) or self.kind == "reference"

    @property
    def misses(self) -> list[str]:
        """The targets missed: "× bas" (the floor under 0.6 × baseline), "× golv" (an HTML
        page under 0.5 × floor), "p95"; a failed page misses them all ("fel")."""
        if not self.has_targets:
            return []
        if self.stats is None or self.error:
            return ["fel"]
        if self.kind == "reference":
            return [] if self.ratio is not None and self.ratio >= TARGET_FLOOR_RATIO else ["× bas"]
        missed = []
        if self.floor_ratio is None or self.floor_ratio < TARGET_PAGE_FLOOR_RATIO:
            missed.append("× golv")
        if self.stats["p95_ms"] >= TARGET_P95_MS:
            missed.append("p95")
        return missed

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "path": self.path,
            "kind": self.kind,
            "baseline": self.baseline,
            **(self.stats or {}),
            "ratio_to_baseline": self.ratio,
            "ratio_to_floor": self.floor_ratio,
            "baseline_rps_before_page": self.neighbour_baseline_rps,
            "queries_per_request": self.queries,
            "error": self.error or None,
            "meets_targets": (not self.misses) if self.has_targets else None,
        }


def run(
    *,
    log,
    contacts,
    cases,
    meetings,
    plans,
    seconds,
    connections_,
    threads,
    workers,
    database_url,
    only,
    keep_database=False,
):
    """Everything ``bench --http`` does; returns (report dict, results). Runs with
    bench.settings (``manage.py bench``): the baseline and page floor are its routes."""
    wrk = ensure_wrk(log)
    if cases < 1 or meetings < len(dataset.DETAIL_MEETINGS):
        raise LoadBenchError("--http behöver ärenden och minst 12 möten.")
    started = time.perf_counter()
    secret_key = secrets.token_urlsafe(50)
    with tempfile.TemporaryDirectory(prefix="samverk-loadbench-") as tmp:
        tmpdir = Path(tmp)
        with bench_database(database_url, tmpdir, keep=keep_database) as server_url:
            vendor = connection.vendor
            log(f"Databas: {vendor} ({connection.settings_dict['NAME']}).")
            log(f"Skapar {contacts} kontaktpersoner, {cases} ärenden, {meetings} möten …")
            built = time.perf_counter()
            with override_settings(DEBUG=False):
                data = dataset.build_dataset(contacts, cases=cases, meetings=meetings)
                log(f"Skapar {plans} handlingsplaner …")
                plan_data = build_plans(data, plans)
                give_second_factor(data.user)
            build_seconds = time.perf_counter() - built
            log(f"Data byggd på {build_seconds:.0f} s.")

            page_list = pages(data, plan_data)
            if only:
                wanted = [text.lower() for text in only]
                page_list = [
                    p
                    for p in page_list
                    if p.baseline
                    or p.kind == "reference"
                    or any(w in p.name.lower() for w in wanted)
                ]
            results = [PageResult(p.name, p.path, p.kind, p.baseline) for p in page_list]

            # The session gunicorn will accept: signed with its key, stored in the bench DB.
            csrf = _get_new_csrf_string()
            with override_settings(
                SECRET_KEY=secret_key,
                ALLOWED_HOSTS=["testserver"],
                SECURE_SSL_REDIRECT=False,
                CACHES=_private_cache(),
                # As the server at DEBUG=0: the second-factor check is one of each page's queries.
                MFA_REQUIRED=True,
            ):
                client = Client()
                client.force_login(data.user)
                session = client.cookies[settings.SESSION_COOKIE_NAME].value
                log("Räknar frågor per sida i processen …")
                for page, result in zip(page_list, results, strict=True):
                    result.queries, result.error = count_queries(
                        client, page, plan_data.spare_meeting_ids[0]
                    )

            env = server_env(server_url, tmpdir, secret_key)
            log("collectstatic …")
            collect_static(env)
            connection.close()  # the server's connections only, during the load
            headers = {
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}",
                "X-CSRFToken": csrf,
                "HX-Request": "true",
            }
            log(f"Startar gunicorn ({workers} arbetare) …")
            with gunicorn(env, tmpdir, workers=workers) as (base, log_path):
                baseline_page = next(p for p in page_list if p.baseline)
                for page, result in zip(page_list, results, strict=True):
                    if not page.baseline:
                        result.neighbour_baseline_rps = _neighbour_baseline(
                            wrk,
                            base,
                            baseline_page,
                            headers,
                            tmpdir,
                            seconds=max(2, seconds // 2),
                            connections=connections_,
                            threads=threads,
                            log_path=log_path,
                        )
                    log(f"  {page.name} ({seconds} s) …")
                    _load_page(
                        wrk,
                        base,
                        page,
                        result,
                        headers,
                        tmpdir,
                        seconds=seconds,
                        connections=connections_,
                        threads=threads,
                        check_meeting=plan_data.spare_meeting_ids[1],
                        log_path=log_path,
                    )
            counts = {
                "contacts": contacts,
                "cases": data.cases,
                "meetings": data.meetings,
                "participants": data.participants,
                "plans": plan_data.plans,
                "plan_goals": plan_data.goals,
                "plan_actions": plan_data.actions,
                "plan_versions": plan_data.versions,
            }
            connection.close()
            if keep_database:
                log(kept_database_help(server_url, secret_key, headers, page_list))

    set_ratios(results)
    report = {
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "mode": "http",
        "database": vendor,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": sys.platform,
            "python": sys.version.split()[0],
        },
        "server": f"gunicorn samverk.wsgi -w {workers} (sync), DEBUG=0, 127.0.0.1",
        "load": f"wrk -t{threads} -c{connections_} -d{seconds}s",
        "seconds_per_page": seconds,
        "connections": connections_,
        **counts,
        "build_seconds": round(build_seconds, 1),
        "targets": target_summary(results),
        "queries_note": QUERY_NOTE,
        "results": [r.as_dict() for r in results],
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    return report, results


def kept_database_help(server_url, secret_key, headers, page_list) -> str:
    """How to serve the kept database by hand (to profile a page under load)."""
    env = server_env(server_url, Path.cwd(), secret_key)
    names = (
        "DATABASE_URL",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "DJANGO_SETTINGS_MODULE",
        "CONN_MAX_AGE",
        "SECURE_SSL_REDIRECT",
        "LOG_LEVEL",
    )
    exports = " ".join(f"{name}={env[name]}" for name in names)
    header_args = " ".join(f"-H '{key}: {value}'" for key, value in headers.items())
    paths = "\n".join(f"  {page.name}: {page.path}" for page in page_list)
    return (
        "\nDatabasen är kvar (--keep-database). Servera den så här:\n"
        f"  {exports} gunicorn samverk.wsgi -w 2 -b 127.0.0.1:8001\n"
        f"  wrk -t2 -c10 -d10s {header_args} http://127.0.0.1:8001<sökväg>\n"
        f"Sidor:\n{paths}\n"
        "Statiska filer kräver collectstatic med samma miljö och STATIC_ROOT.\n"
    )


def _private_cache():
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "samverk-loadbench",
        }
    }


def _load_page(
    wrk,
    base,
    page,
    result,
    headers,
    tmpdir,
    *,
    seconds,
    connections,
    threads,
    check_meeting,
    log_path,
):
    url = base + page.path
    try:
        if page.autosave_meeting_ids is not None:
            check_url = base + reverse("plans:autosave", args=[check_meeting])
            status, body = fetch(
                check_url,
                headers,
                autosave_data(TEXT_FIELDS[1], FIELD_VERSION, "Kontroll före lasten"),
            )
            script_text = autosave_lua(page.autosave_meeting_ids, threads=threads)
        else:
            for _ in range(max(2, connections // 2)):  # both workers warm
                status, body = fetch(url, headers)
            script_text = DONE_LUA
        if status != 200:
            result.error = f"HTTP {status}"
            if status >= 500:
                result.error += "\n" + _tail(log_path, 1500)
            return
        script = tmpdir / f"wrk-{abs(hash(page.name))}.lua"
        script.write_text(script_text)
        result.stats = run_wrk(
            wrk,
            url,
            seconds=seconds,
            connections=connections,
            threads=threads,
            headers=headers,
            script=script,
        )
        failed = result.stats["failed"]
        if failed > max(1, 0.01 * result.stats["requests"]):
            total = result.stats["requests"]
            result.error = f"{failed} av {total} svar fel: {result.stats['errors']}"
    except (LoadBenchError, OSError, subprocess.SubprocessError) as exc:
        result.error = str(exc)[:500]


def set_ratios(results: list[PageResult]) -> None:
    """Each page's req/s over the baseline's: the one measured just before the page when
    there is one, else the run's own baseline row; and each HTML page's over the page
    floor's (its ratio over the floor's ratio, so both against their own baseline)."""
    baseline = next((r for r in results if r.baseline and r.stats), None)
    for result in results:
        if not result.stats:
            continue
        compared_with = result.neighbour_baseline_rps or (baseline and baseline.stats["rps"])
        if compared_with:
            result.ratio = round(result.stats["rps"] / compared_with, 4)
    floor = next((r for r in results if r.kind == "reference" and r.ratio and not r.error), None)
    for result in results:
        page = not result.baseline and result.kind != "reference"
        if floor is not None and result.ratio is not None and page:
            result.floor_ratio = round(result.ratio / floor.ratio, 2)
        if result.ratio is not None:
            result.ratio = round(result.ratio, 2)


def target_summary(results: list[PageResult]) -> dict:
    """The three targets, each met or not in this run, with the figure that decides it."""
    floor = next((r for r in results if r.kind == "reference"), None)
    pages = [r for r in results if r.kind == "html" and not r.baseline]
    measured = [r for r in pages if r.stats and not r.error]
    failed = [r.name for r in pages if r not in measured]
    ratios = [r for r in measured if r.floor_ratio is not None]
    lowest = min(ratios, key=lambda r: r.floor_ratio, default=None)
    slowest = max(measured, key=lambda r: r.stats["p95_ms"], default=None)
    return {
        "floor_min_ratio_to_baseline": {
            "target": TARGET_FLOOR_RATIO,
            "value": floor.ratio if floor else None,
            "met": bool(floor and not floor.misses),
        },
        "html_min_ratio_to_floor": {
            "target": TARGET_PAGE_FLOOR_RATIO,
            "value": lowest.floor_ratio if lowest else None,
            "page": lowest.name if lowest else None,
            "met": bool(pages) and not failed and all("× golv" not in r.misses for r in pages),
        },
        "html_max_p95_ms": {
            "target": TARGET_P95_MS,
            "value": slowest.stats["p95_ms"] if slowest else None,
            "page": slowest.name if slowest else None,
            "met": bool(pages) and not failed and all("p95" not in r.misses for r in pages),
        },
        "failed_pages": failed,
    }


def _neighbour_baseline(wrk, base, baseline_page, headers, tmpdir, *, log_path, **load):
    """The baseline's req/s measured now, for the page about to be loaded (None on error)."""
    probe = PageResult(baseline_page.name, baseline_page.path, baseline_page.kind, True)
    _load_page(
        wrk,
        base,
        baseline_page,
        probe,
        headers,
        tmpdir,
        check_meeting=None,
        log_path=log_path,
        **load,
    )
    return probe.stats["rps"] if probe.stats and not probe.error else None


def format_table(results: list[PageResult]) -> str:
    header = (
        f"{'Sida':<22} {'median ms':>9} {'p95 ms':>8} {'req/s':>7} {'bas req/s':>9}"
        f" {'× bas':>6} {'× golv':>6} {'frågor':>6}  mål"
    )
    lines = [header, "-" * (len(header) + 14)]
    for r in results:
        queries = "–" if r.queries is None else str(r.queries)
        if r.stats is None:
            lines.append(f"{r.name:<22} FEL: {r.error.splitlines()[0] if r.error else '?'}")
            continue
        s = r.stats
        ratio = "–" if r.ratio is None else f"{r.ratio:.2f}"
        floor = "–" if r.floor_ratio is None or r.kind == "reference" else f"{r.floor_ratio:.2f}"
        neighbour = "–" if r.neighbour_baseline_rps is None else f"{r.neighbour_baseline_rps:.1f}"
        if r.baseline:
            target = "(baslinje)"
        elif not r.has_targets:
            target = "–"
        else:
            target = "✓" if not r.misses else "✗ " + ", ".join(r.misses)
        lines.append(
            f"{r.name:<22} {s['median_ms']:>9.1f} {s['p95_ms']:>8.1f} {s['rps']:>7.1f}"
            f" {neighbour:>9} {ratio:>6} {floor:>6} {queries:>6}  {target}"
        )
        if r.error:
            lines.append(f"{'':<22} obs: {r.error.splitlines()[0]}")
    lines.append("")
    lines.extend(format_targets(target_summary(results)))
    lines.append("")
    lines.append(
        "Sidgolv: det varje ärendesida måste göra innan den visar något eget (inloggning, "
        "åtkomstkontroll, loggrad för läsningen, layouten med namnet som rubrik)."
    )
    lines.append(
        '"× bas": req/s över baslinjens, mätt strax före varje sida (maskinens fart glider '
        'under en körning; raden Baslinje är en egen, längre mätning). "× golv": sidans '
        '"× bas" över sidgolvets. PDF:er redovisas utan mål.'
    )
    lines.append(f"Obs: {QUERY_NOTE}.")
    return "\n".join(lines)


def format_targets(summary: dict) -> list[str]:
    """The targets, ✓ or ✗ each, with the figure that decides it."""

    def mark(target):
        return "✓" if target["met"] else "✗"

    def figure(value, fmt, page=None):
        if value is None:
            return "ej mätt"
        return fmt.format(value) + (f", {page}" if page else "")

    floor = summary["floor_min_ratio_to_baseline"]
    pages = summary["html_min_ratio_to_floor"]
    p95 = summary["html_max_p95_ms"]
    lines = [
        "Mål, i samma körning:",
        f"  {mark(floor)} Sidgolvet minst {floor['target']:g} × baslinjen "
        f"({figure(floor['value'], '{:.2f}')})",
        f"  {mark(pages)} Varje HTML-sida minst {pages['target']:g} × sidgolvet "
        f"(lägst {figure(pages['value'], '{:.2f}', pages['page'])})",
        f"  {mark(p95)} p95 under {p95['target']:g} ms för varje HTML-sida "
        f"(högst {figure(p95['value'], '{:.0f} ms', p95['page'])})",
    ]
    if summary["failed_pages"]:
        lines.append("  Fel på: " + ", ".join(summary["failed_pages"]))
    return lines
