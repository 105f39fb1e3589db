"""Production settings: with DEBUG=0 and a real secret, `check --deploy` is silent."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    return subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="samverk.example.se",
        SITE_URL="https://samverk.example.se",
        CALENDAR_UID_DOMAIN="samverk.example.se",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def production_env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SITE_URL", "CALENDAR_UID_DOMAIN", "SENTRY_DSN", "MEDIA_ROOT", "STATIC_ROOT")
    }
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="samverk.example.se")
    env.update(SITE_URL="https://samverk.example.se", CALENDAR_UID_DOMAIN="samverk.example.se")
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def check_deploy(env):
    result = subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stderr + result.stdout


def test_production_requires_its_own_site_url_and_calendar_uid_domain():
    """On the local defaults, answer links point at 127.0.0.1 and two installations make
    the same calendar UIDs: `check --deploy` fails with samverk.E003 and names the setting."""
    assert check_deploy(production_env())[0] == 0
    for missing in ("SITE_URL", "CALENDAR_UID_DOMAIN"):
        code, output = check_deploy(production_env(**{missing: None}))
        assert code != 0, missing
        assert "samverk.E003" in output and missing in output, output
    code, output = check_deploy(production_env(CALENDAR_UID_DOMAIN="samverk.local"))
    assert code != 0 and "CALENDAR_UID_DOMAIN" in output


def test_uploads_must_stay_outside_the_static_root(tmp_path):
    code, output = check_deploy(
        production_env(STATIC_ROOT=str(tmp_path), MEDIA_ROOT=str(tmp_path / "media"))
    )
    assert code != 0 and "samverk.E004" in output, output
    code, output = check_deploy(
        production_env(STATIC_ROOT=str(tmp_path / "static"), MEDIA_ROOT=str(tmp_path / "media"))
    )
    assert code == 0, output


def test_sentry_dsn_without_the_sdk_is_reported():
    code, output = check_deploy(production_env(SENTRY_DSN="https://key@sentry.example.se/1"))
    try:
        import sentry_sdk  # noqa: F401
    except ImportError:
        assert code != 0 and "samverk.E005" in output, output
    else:
        assert "samverk.E005" not in output, output


def test_the_file_mail_backend_writes_to_email_file_path(tmp_path):
    """EMAIL_FILE_PATH is read: the file backend crashed with TypeError without it."""
    folder = tmp_path / "mail"
    result = run_manage(
        "shell",
        "-c",
        "from django.core.mail import send_mail; "
        "send_mail('Kallelse', 'Hej', 'a@example.se', ['b@example.se'])",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(folder),
    )
    assert result.returncode == 0, result.stderr
    files = list(folder.iterdir())
    assert len(files) == 1 and "Subject: Kallelse" in files[0].read_text()


def test_check_deploy_fails_when_the_second_factor_is_off_without_the_override():
    env = {k: v for k, v in os.environ.items() if k not in ("ALLOW_NO_MFA", "MFA_REQUIRED")}
    production = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50)}
    production["ALLOWED_HOSTS"] = "samverk.example.se"
    for extra, fails in (
        ({}, False),  # MFA_REQUIRED is on by default with DEBUG=0
        ({"MFA_REQUIRED": "1"}, False),
        ({"MFA_REQUIRED": "0"}, True),
        ({"MFA_REQUIRED": "0", "ALLOW_NO_MFA": "1"}, False),
    ):
        result = subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
            [sys.executable, "manage.py", "check", "--deploy"],
            cwd=ROOT,
            env={**env, **production, **extra},
            capture_output=True,
            text=True,
            timeout=120,
        )
        output = result.stderr + result.stdout
        assert ("samverk.E002" in output) is fails, (extra, output)
        if fails:
            assert result.returncode != 0, extra
            assert "ALLOW_NO_MFA=1" in output


def test_production_refuses_to_start_without_a_secret():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DEBUG": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_swedish_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "sv"
    assert settings.TIME_ZONE == "Europe/Stockholm"
    assert settings.USE_TZ


def test_swedish_date_format():
    from datetime import date

    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("sv"):
        assert date_format(date(2026, 11, 23)) == "23 november 2026"
        assert date_format(date(2026, 11, 23), "SHORT_DATE_FORMAT") == "2026-11-23"


def test_sqlite_file_database_uses_the_write_ahead_log(tmp_path):
    """Readers do not wait for a writer (the outbox worker beside runserver), and a commit,
    which every ärende read makes with its audit row, costs no journal rewrite."""
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
        "    c.execute('PRAGMA synchronous'); print(c.fetchone()[0])",
        DATABASE_URL=f"sqlite:///{tmp_path / 'wal.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "1"]  # synchronous=NORMAL
