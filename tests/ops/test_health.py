"""/healthz and /readyz (samverk.health): JSON without login, no personal data, a constant
number of queries whatever the backlog, 503 when the database is not migrated or the cache
is away."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outbox import heartbeat
from outbox.models import OutboundMessage
from samverk import health


def queue(n, *, age):
    for i in range(n):
        message = OutboundMessage.objects.create(
            to_email=f"anna.svensson{i}@example.se", to_name="Anna Svensson", subject="Kallelse"
        )
        OutboundMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - age)


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_database_cache_worker_and_backlog_without_personal_data(client):
    heartbeat.beat("db_worker@host-a", now=timezone.now() - timedelta(seconds=5))
    queue(3, age=timedelta(minutes=10))
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    checks = body["checks"]
    assert checks["database"]["ok"] and checks["migrations"] == {"ok": True, "pending": 0}
    assert checks["cache"]["ok"]
    assert checks["worker"]["ok"] and 4 <= checks["worker"]["last_heartbeat_age_s"] <= 30
    assert checks["outbox"]["queued"] == 3
    assert 590 <= checks["outbox"]["oldest_queued_age_s"] <= 700
    text = json.dumps(body)
    assert "anna" not in text.lower() and "svensson" not in text.lower()
    assert "Kallelse" not in text and "host-a" not in text


@pytest.mark.django_db
def test_a_silent_worker_is_reported_but_keeps_the_server_ready(client):
    heartbeat.beat("db_worker@host-a", now=timezone.now() - timedelta(minutes=10))
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["worker"]["ok"] is False
    OutboundMessage.objects.all().delete()
    from outbox.models import WorkerHeartbeat

    WorkerHeartbeat.objects.all().delete()
    body = client.get("/readyz").json()
    assert body["checks"]["worker"] == {"ok": False, "last_heartbeat_age_s": None}
    assert body["checks"]["outbox"] == {"queued": 0, "oldest_queued_age_s": None}


@pytest.mark.django_db
def test_readyz_costs_the_same_few_queries_whatever_the_backlog(client):
    client.get("/readyz")  # the migration graph is read once per process
    with CaptureQueriesContext(connection) as few:
        client.get("/readyz")
    queue(50, age=timedelta(minutes=1))
    for i in range(5):
        heartbeat.beat(f"db_worker@host-{i}")
    with CaptureQueriesContext(connection) as many:
        client.get("/readyz")
    assert len(few) == len(many) <= 3, [q["sql"] for q in many.captured_queries]


@pytest.mark.django_db
def test_readyz_is_503_with_unapplied_migrations(client, monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)
    real_plan = health.MigrationExecutor.migration_plan

    def one_pending(self, targets, clean_start=False):
        return [*real_plan(self, targets, clean_start), ("outbox", "9999_future")]

    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", one_pending)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["migrations"] == {"ok": False, "pending": 1}


@pytest.mark.django_db
def test_readyz_is_503_when_the_cache_is_away(client, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    # A real Redis client against a port nothing listens on.
    monkeypatch.setattr(health, "cache", RedisCache("redis://127.0.0.1:1/0", {}))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {"ok": False}
