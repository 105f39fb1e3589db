"""Several app servers share Redis, chosen by the environment alone: CACHE_URL=rediscache://…
for the cache (login throttling counts there), SESSION_STORE=cache for the sessions, and
TASKS_BACKEND=rq with REDIS_URL for the tasks (README, Flera servrar)."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
REDIS_DB = 13  # the tests' own database number, flushed here


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not redis_reachable(), reason="Redis svarar inte på 6379")


def shell(code, **env):
    return subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


REDIS = {
    "CACHE_URL": f"rediscache://127.0.0.1:6379/{REDIS_DB}",
    "SESSION_STORE": "cache",
    "TASKS_BACKEND": "rq",
    "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
}


def test_redis_cache_sessions_and_rq_from_the_environment_alone():
    result = shell(
        "from django.conf import settings; from django.core.cache import caches;"
        "cache = caches['default'];"
        "from django_tasks import task_backends; b = task_backends['default'];"
        "from django.contrib.sessions.backends.cache import SessionStore;"
        "cache.set('samverk-test', 'ja');"
        "s = SessionStore(); s['x'] = 1; s.create();"
        "print(cache.get('samverk-test'), type(cache).__name__, type(b).__name__,"
        " 'django_rq' in settings.INSTALLED_APPS, SessionStore(s.session_key)['x']);"
        "cache.clear()",
        **REDIS,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["ja", "RedisCache", "RQBackend", "True", "1"]


def test_the_rq_worker_runs_the_tasks_job_class():
    """With RQ's own Job class the worker called the Task object: every task failed with
    "TypeError: 'Task' object is not callable" (tests/ops/test_two_servers.py runs one)."""
    result = shell(
        "import django_rq, django_tasks_rq;"
        "w = django_rq.get_worker('default');"
        "print(w.job_class is django_tasks_rq.Job, w.queues[0].job_class is django_tasks_rq.Job)",
        **REDIS,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["True", "True"]


def test_rq_without_redis_url_refuses_to_start():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, "TASKS_BACKEND": "rq", "REDIS_URL": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_check_passes_with_rq():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, **REDIS},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
