"""/healthz and /readyz for the load balancer and monitoring: JSON, no login, no personal
data (counts and ages only), a constant handful of queries (tests/test_health.py).

/healthz answers 200 while the process serves. /readyz answers 503 when this server cannot
serve pages: the database unreachable or not migrated, or the cache unreachable. The worker's
heartbeat and the outbox backlog are reported beside (``"status": "degraded"`` when the
worker is silent), but keep the answer 200: a stopped worker delays e-mail, and taking every
app server out of the load balancer for it would stop the pages too.
"""

import logging
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Min
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from outbox import heartbeat
from outbox.enums import MessageState
from outbox.models import OutboundMessage

logger = logging.getLogger(__name__)

# Once a process has seen its migrations applied they stay applied (its code does not change
# under it): the migration graph is read from disk once, not on every poll.
_migrated = False


@login_not_required
@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def _seconds_since(moment, now):
    return None if moment is None else max(0, round((now - moment).total_seconds()))


def migrations_pending() -> int:
    global _migrated
    if _migrated:
        return 0
    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrated = pending == 0
    return pending


def _database():
    try:
        connection.ensure_connection()
        pending = migrations_pending()
    except DatabaseError as exc:
        logger.warning("readyz: database unreachable: %s", exc)
        return {"ok": False}, {"ok": False}
    return {"ok": True}, {"ok": pending == 0, "pending": pending}


def _cache():
    key, value = "samverk:readyz", uuid.uuid4().hex
    try:
        cache.set(key, value, 30)
        return {"ok": cache.get(key) == value}
    except Exception as exc:  # any backend's error: Redis away, a refused connection
        logger.warning("readyz: cache unreachable: %s", exc)
        return {"ok": False}


def _worker_and_outbox(now):
    try:
        last = heartbeat.last_beat()
        backlog = OutboundMessage.objects.filter(state=MessageState.QUEUED).aggregate(
            queued=Count("pk"), oldest=Min("created_at")
        )
    except DatabaseError:
        return {"ok": False, "last_heartbeat_age_s": None}, {"queued": None}
    worker = {
        "ok": last is not None and now - last <= heartbeat.STALE_AFTER,
        "last_heartbeat_age_s": _seconds_since(last, now),
    }
    outbox = {
        "queued": backlog["queued"],
        "oldest_queued_age_s": _seconds_since(backlog["oldest"], now),
    }
    return worker, outbox


@login_not_required
@never_cache
@require_GET
def readyz(request):
    now = timezone.now()
    database, migrations = _database()
    checks = {"database": database, "migrations": migrations, "cache": _cache()}
    if database["ok"]:
        checks["worker"], checks["outbox"] = _worker_and_outbox(now)
    ready = database["ok"] and migrations["ok"] and checks["cache"]["ok"]
    status = ("ok" if checks["worker"]["ok"] else "degraded") if ready else "unavailable"
    return JsonResponse({"status": status, "checks": checks}, status=200 if ready else 503)
