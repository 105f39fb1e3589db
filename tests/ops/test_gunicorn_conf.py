"""deploy/gunicorn.conf.py serves the app: gunicorn started with it answers the login page
and /healthz, and its access log hides an answer link's token."""

import contextlib
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings

from tests.live import free_port


def test_gunicorn_with_the_deploy_configuration_serves_a_page(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=settings.BASE_DIR, env=env, check=True
    )
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log_path.read_text()
            try:
                with urllib.request.urlopen(f"{base}/logga-in/", timeout=5) as response:  # noqa: S310
                    assert response.status == 200
                    assert "Logga in" in response.read().decode()
                    break
            except urllib.error.URLError:
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.3)
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # noqa: S310
            assert response.status == 200
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(f"{base}/svar/hemlig-token-123/", timeout=5)  # noqa: S310
        time.sleep(0.5)
        log_text = log_path.read_text()
        assert '"GET /logga-in/" 200' in log_text, log_text
        assert "hemlig-token-123" not in log_text
    finally:
        process.terminate()
        process.wait(timeout=30)
