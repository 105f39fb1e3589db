"""The HTTP load bench's pieces that need neither gunicorn nor wrk."""

import pytest
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse

from bench import dataset
from bench import load as loadbench
from bench import settings as bench_settings
from plans.models import ActionPlan, PlanVersion

WRK_STDOUT = """Running 10s test @ http://127.0.0.1:8000/
  2 threads and 10 connections
  10000 requests in 10.00s, 1.00MB read
WRK_JSON {"requests": 2500, "duration_us": 10000000, "bytes": 1048576, "median_us": 12345, \
"p95_us": 45678, "p99_us": 60000, "max_us": 90000, "mean_us": 15000.5, \
"errors": {"connect": 0, "read": 0, "write": 0, "status": 3, "timeout": 1}}
"""


def test_parse_wrk_output_gives_ms_and_requests_per_second():
    stats = loadbench.parse_wrk_output(WRK_STDOUT)
    assert stats["requests"] == 2500
    assert stats["rps"] == 250.0
    assert stats["median_ms"] == 12.3
    assert stats["p95_ms"] == 45.7
    assert stats["errors"]["status"] == 3
    assert stats["failed"] == 4


def test_parse_wrk_output_without_result_says_so():
    with pytest.raises(loadbench.LoadBenchError, match="inget resultat"):
        loadbench.parse_wrk_output("unable to connect to 127.0.0.1:1 Connection refused")


def test_autosave_script_gives_each_thread_its_own_fields():
    script = loadbench.autosave_lua([11, 12], threads=2)
    assert "local meetings = {11, 12}" in script
    assert '"current_situation"' in script
    assert f"local start_version = {loadbench.FIELD_VERSION}" in script
    assert "done = function" in script


def test_page_result_targets():
    def result(rps, p95, kind="html", floor_ratio=None):
        r = loadbench.PageResult("x", "/", kind, stats={"rps": rps, "p95_ms": p95})
        r.ratio = rps / 100
        r.floor_ratio = floor_ratio
        return r

    assert result(40, 100, floor_ratio=0.5).misses == []
    assert result(20, 100, floor_ratio=0.49).misses == ["× golv"]
    assert result(40, 300, floor_ratio=0.8).misses == ["p95"]
    assert result(40, 100).misses == ["× golv"]  # no floor measured: not shown to be met
    assert result(1, 900, kind="pdf").misses == []
    # The page floor's own target: at least 0.6 of the baseline.
    assert result(60, 900, kind="reference").misses == []
    assert result(59, 90, kind="reference").misses == ["× bas"]


def run_of(floor_rps, pages):
    """Results as set_ratios sees them: each row with the baseline measured beside it."""
    baseline = loadbench.PageResult("Baslinje", "/b/", "html", baseline=True)
    baseline.stats = {"rps": 400.0, "p95_ms": 20.0, "median_ms": 10.0}
    floor = loadbench.PageResult("Sidgolv (ärende)", "/g/", "reference")
    floor.neighbour_baseline_rps = 400.0
    floor.stats = {"rps": floor_rps, "p95_ms": 40.0, "median_ms": 20.0}
    rows = [baseline, floor]
    for name, rps, neighbour, p95 in pages:
        row = loadbench.PageResult(name, "/p/", "html", neighbour_baseline_rps=neighbour)
        row.stats = {"rps": rps, "p95_ms": p95, "median_ms": p95 / 2}
        rows.append(row)
    pdf = loadbench.PageResult("Kallelse-PDF", "/pdf/", "pdf", neighbour_baseline_rps=400.0)
    pdf.stats = {"rps": 5.0, "p95_ms": 2000.0, "median_ms": 1000.0}
    loadbench.set_ratios([*rows, pdf])
    return [*rows, pdf]


def test_each_page_is_compared_with_the_floor_through_its_own_baseline():
    rows = run_of(240.0, [("Översikt", 100.0, 500.0, 120.0), ("Ärendesida", 150.0, 400.0, 90.0)])
    floor, overview, case = rows[1], rows[2], rows[3]
    assert floor.ratio == 0.6 and floor.floor_ratio is None
    # Översikt: 0.2 x its baseline over the floor's 0.6.
    assert (overview.ratio, overview.floor_ratio) == (0.2, 0.33)
    assert (case.ratio, case.floor_ratio) == (0.38, 0.62)
    assert overview.as_dict()["ratio_to_floor"] == 0.33
    assert overview.misses == ["× golv"] and case.misses == [] and floor.misses == []
    assert rows[-1].misses == [] and rows[-1].as_dict()["meets_targets"] is None

    summary = loadbench.target_summary(rows)
    assert summary["floor_min_ratio_to_baseline"] == {"target": 0.6, "value": 0.6, "met": True}
    assert summary["html_min_ratio_to_floor"]["met"] is False
    assert summary["html_min_ratio_to_floor"]["page"] == "Översikt"
    assert summary["html_max_p95_ms"] == {
        "target": 250.0,
        "value": 120.0,
        "page": "Översikt",
        "met": True,
    }

    table = loadbench.format_table(rows)
    overview_line = next(line for line in table.splitlines() if line.startswith("Översikt"))
    # req/s, the baseline beside it, x baseline, x floor, the targets missed.
    assert overview_line.split()[3:7] == ["100.0", "500.0", "0.20", "0.33"]
    assert overview_line.endswith("✗ × golv")
    assert "✓ Sidgolvet minst 0.6 × baslinjen (0.60)" in table
    assert "✗ Varje HTML-sida minst 0.5 × sidgolvet (lägst 0.33, Översikt)" in table
    assert "✓ p95 under 250 ms för varje HTML-sida (högst 120 ms, Översikt)" in table


def test_every_target_met_and_a_slow_floor_or_page_marked():
    met = loadbench.target_summary(run_of(300.0, [("Min vecka", 200.0, 400.0, 100.0)]))
    assert all(met[name]["met"] for name in met if name != "failed_pages")
    slow = run_of(200.0, [("Min vecka", 200.0, 400.0, 300.0)])
    summary = loadbench.target_summary(slow)
    assert summary["floor_min_ratio_to_baseline"]["met"] is False
    assert summary["html_max_p95_ms"]["met"] is False
    assert "✗ Sidgolvet minst 0.6 × baslinjen (0.50)" in loadbench.format_table(slow)
    failed = run_of(300.0, [("Mötessida", 0.0, 400.0, 0.0)])
    failed[2].stats, failed[2].error = None, "HTTP 500"
    summary = loadbench.target_summary(failed)
    assert summary["failed_pages"] == ["Mötessida"]
    assert not summary["html_min_ratio_to_floor"]["met"] and not summary["html_max_p95_ms"]["met"]


def test_server_database_url():
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/var/lb/lb.sqlite3"}
    assert loadbench.server_database_url(sqlite) == "sqlite:////var/lb/lb.sqlite3"
    pg = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "samverk_loadbench",
        "USER": "postgres",
        "PASSWORD": "p@ss",
        "HOST": "127.0.0.1",
        "PORT": 5432,
    }
    assert (
        loadbench.server_database_url(pg)
        == "postgres://postgres:p%40ss@127.0.0.1:5432/samverk_loadbench"
    )


SQLITE_CONFIGURED = {
    # What samverk.settings makes of a SQLite DATABASE_URL (the default): its OPTIONS are
    # SQLite's own and psycopg refuses them.
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": "/var/lb/db.sqlite3",
    "USER": "",
    "PASSWORD": "",
    "HOST": "",
    "PORT": "",
    "ATOMIC_REQUESTS": False,
    "AUTOCOMMIT": True,
    "CONN_MAX_AGE": 0,
    "CONN_HEALTH_CHECKS": True,
    "TIME_ZONE": None,
    "OPTIONS": {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    },
    "TEST": {"NAME": None},
}


def postgres_reachable() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return False
    return True


def test_database_url_alone_names_postgresql_without_the_sqlite_options():
    """`bench --http --database-url postgres://…` with DATABASE_URL on SQLite: the SQLite
    OPTIONS reached psycopg (`invalid connection option "init_command"`)."""
    import environ

    url = "postgres://postgres@127.0.0.1:5432/postgres"
    db = loadbench.swapped_database(SQLITE_CONFIGURED, environ.Env.db_url_config(url))
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["OPTIONS"] == {}
    assert (db["NAME"], db["USER"], db["HOST"], db["PORT"]) == (
        "postgres",
        "postgres",
        "127.0.0.1",
        5432,
    )
    assert db["CONN_HEALTH_CHECKS"] is True and db["TIME_ZONE"] is None
    assert loadbench.server_database_url(db) == url
    # The URL's own options stay.
    with_options = loadbench.swapped_database(
        SQLITE_CONFIGURED, environ.Env.db_url_config(url + "?sslmode=disable")
    )
    assert with_options["OPTIONS"] == {"sslmode": "disable"}
    # SQLite the other way round, and a configured database is never changed.
    sqlite = loadbench.swapped_database(
        {**SQLITE_CONFIGURED, "ENGINE": "django.db.backends.postgresql", "OPTIONS": {"x": 1}},
        environ.Env.db_url_config("sqlite:////var/lb/other.sqlite3"),
    )
    assert sqlite["OPTIONS"] == {} and sqlite["NAME"] == "/var/lb/other.sqlite3"
    assert SQLITE_CONFIGURED["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    if not postgres_reachable():
        pytest.skip("PostgreSQL svarar inte på 127.0.0.1:5432")
    # A real connection with the parameters Django's backend gives psycopg for it.
    import psycopg
    from django.db.backends.postgresql.base import DatabaseWrapper

    params = DatabaseWrapper(db, alias="bench-test").get_connection_params()
    with psycopg.connect(**params) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def with_bench_settings():
    """What bench.settings adds to the production settings: the bench app and its URLs."""
    return override_settings(
        INSTALLED_APPS=bench_settings.INSTALLED_APPS, ROOT_URLCONF=bench_settings.ROOT_URLCONF
    )


def test_baseline_url_only_with_the_bench_settings(settings, django_user_model, db):
    assert "bench" not in settings.INSTALLED_APPS
    assert settings.ROOT_URLCONF == "samverk.urls"
    assert not hasattr(settings, "BENCH_ENDPOINTS")
    with pytest.raises(NoReverseMatch):
        reverse("bench_baseline")
    with with_bench_settings():
        url = reverse("bench_baseline")
        data = dataset.build_dataset(contacts=6, cases=0)
        client = Client()
        assert client.get(url).status_code == 302  # needs a login like every page
        client.force_login(data.user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"Samverk Aneby" in response.content
    with pytest.raises(NoReverseMatch):
        reverse("bench_baseline")


def test_page_floor_checks_access_logs_the_read_and_shows_the_layout(db):
    from cases.enums import CaseAction
    from cases.models import CaseEvent
    from tests.factories import CaseFactory, UserFactory

    case = CaseFactory()
    outsider = UserFactory()
    with with_bench_settings():
        url = reverse("bench_page_floor", args=[case.pk])
        client = Client()
        assert client.get(url).status_code == 302  # needs a login like every page
        client.force_login(outsider)
        response = client.get(url)
        assert response.status_code == 404
        assert case.last_name.encode() not in response.content
        client.force_login(case.owner)
        response = client.get(url)
        assert response.status_code == 200
        assert f"<h1>{case.individual_name}</h1>".encode() in response.content
        assert b'aria-label="Huvudmeny"' in response.content  # the whole layout
        assert CaseEvent.objects.filter(
            case=case, user=case.owner, action=CaseAction.VIEWED
        ).count() == 1
    with pytest.raises(NoReverseMatch):
        reverse("bench_page_floor", args=[case.pk])


def test_build_plans_in_bulk(db):
    data = dataset.build_dataset(contacts=30, cases=20, meetings=60)
    plans = loadbench.build_plans(data, 40)
    assert ActionPlan.objects.count() == plans.plans == 40
    measured = ActionPlan.objects.get(meeting_id=plans.measured_meeting_id)
    assert measured.actions.count() == 12
    assert measured.previous is not None
    assert measured.version_of("current_situation") == loadbench.FIELD_VERSION
    assert PlanVersion.objects.filter(plan=measured).count() == 2
    assert plans.autosave_meeting_ids and len(plans.spare_meeting_ids) == 2
    assert plans.measured_meeting_id not in plans.autosave_meeting_ids


def test_each_page_is_compared_with_the_baseline_measured_next_to_it():
    baseline = loadbench.PageResult("Baslinje", "/b/", "html", baseline=True)
    baseline.stats = {"rps": 500.0, "p95_ms": 20.0}
    near = loadbench.PageResult("Översikt", "/", "html", neighbour_baseline_rps=400.0)
    near.stats = {"rps": 100.0, "p95_ms": 100.0}
    alone = loadbench.PageResult("Kontaktlista", "/k/", "html")
    alone.stats = {"rps": 100.0, "p95_ms": 100.0}
    failed = loadbench.PageResult("Mötessida", "/m/", "html", neighbour_baseline_rps=400.0)
    loadbench.set_ratios([baseline, near, alone, failed])
    assert (baseline.ratio, near.ratio, alone.ratio, failed.ratio) == (1.0, 0.25, 0.2, None)
    assert near.as_dict()["baseline_rps_before_page"] == 400.0


def test_gunicorn_serves_with_the_bench_settings(tmp_path):
    env = loadbench.server_env("sqlite:////tmp/lb.sqlite3", tmp_path, "hemlig")
    assert env["DJANGO_SETTINGS_MODULE"] == "bench.settings"
    assert "BENCH_ENDPOINTS" not in env
