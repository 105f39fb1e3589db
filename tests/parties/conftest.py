"""Fixtures of the parties tests."""

import pytest

from tests.helpers import run_db_worker


@pytest.fixture
def run_worker(settings, tmp_path):
    """`manage.py db_worker --batch`: run every ready task (the PDF builds), then return."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path
    return run_db_worker
