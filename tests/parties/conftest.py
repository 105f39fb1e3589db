"""Fixtures of the parties tests."""

import signal
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def run_worker(settings, tmp_path):
    """`manage.py db_worker --batch`: run every ready task (the PDF builds), then return."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path
    handled = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]

    def run():
        saved = {signum: signal.getsignal(signum) for signum in handled}
        try:
            call_command(
                "db_worker",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
                verbosity=0,
                stdout=StringIO(),
            )
        finally:
            for signum, handler in saved.items():
                signal.signal(signum, handler)

    return run
