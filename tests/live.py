"""Concurrent requests against a running server, for the tests that prove what simultaneous
users do (tests/test_sqlite_concurrency.py, tests/test_double_clicks.py): a SQLite file
served by gunicorn in a subprocess (pytest-django's in-memory test database, shared by the
live server's threads, would serialise everything), POSTs as a logged-in user or through an
e-mailed link, and calls run at the same moment from threads. Every wait is bounded; the
server is stopped by its process id.
"""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from urllib.parse import urlencode

from django.conf import settings

CSRF = "c" * 32  # a CSRF secret of the right length: the cookie and the header agree


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *args):
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@contextmanager
def served(env, log_path):
    port = free_port()
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "samverk.wsgi",
                "-w",
                "2",
                "--threads",
                "4",
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
            assert process.poll() is None, log_path.read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{base}/logga-in/", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn svarar inte:\n" + log_path.read_text()
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Browser:
    """POSTs as the logged-in convener (or anonymously, for the answer links)."""

    def __init__(self, base, session):
        self.base, self.session = base, session

    def post(self, path, data, *, logged_in=True, htmx=False) -> int:
        cookie = f"{settings.CSRF_COOKIE_NAME}={CSRF}"
        if logged_in:
            cookie += f"; {settings.SESSION_COOKIE_NAME}={self.session}"
        headers = {"Cookie": cookie, "X-CSRFToken": CSRF}
        if htmx:
            headers["HX-Request"] = "true"
        request = urllib.request.Request(  # noqa: S310
            self.base + path, data=urlencode(data, doseq=True).encode(), headers=headers
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def together(*calls):
    """Run the calls at the same moment, each in its own thread; their results."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return [f.result(timeout=120) for f in [pool.submit(run, call) for call in calls]]


def sqlite_env(database) -> dict:
    """The environment of a manage.py or gunicorn subprocess on the SQLite file ``database``."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "1",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "samverk.settings",
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    return env
