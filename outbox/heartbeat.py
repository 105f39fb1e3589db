"""The task worker's heartbeat: a row per host, written every HEARTBEAT_INTERVAL seconds by
a thread beside the worker's loop (samverk's `db_worker` and `rqworker` commands), read by
/readyz. The database, not the cache: the default cache (local memory) is per process."""

import logging
import socket
import threading
from datetime import timedelta

from django.db import close_old_connections, connection
from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_INTERVAL = 15
# /readyz calls the worker gone when its newest beat is older than this.
STALE_AFTER = timedelta(seconds=4 * HEARTBEAT_INTERVAL)


def worker_name(kind: str) -> str:
    return f"{kind}@{socket.gethostname()}"[:255]


def beat(worker: str, *, now=None) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker=worker, defaults={"beat_at": now or timezone.now()}
    )


def last_beat():
    return WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()


def _beat_safely(worker: str) -> None:
    try:
        beat(worker)
    except Exception:  # a database away for a moment: beat again next time
        logger.warning("Worker heartbeat failed", exc_info=True)


def start(worker: str, interval: float = HEARTBEAT_INTERVAL) -> threading.Event:
    """Beat now, in the caller's thread, then every `interval` seconds in a daemon thread;
    set the returned event to stop it. The first beat is the caller's so that a short run
    (`db_worker --batch`) never has a second connection writing beside its own: on SQLite's
    shared in-memory test database that made the worker's BEGIN EXCLUSIVE fail with "database
    table is locked"."""
    stop = threading.Event()
    _beat_safely(worker)

    def run():
        while not stop.wait(interval):
            close_old_connections()
            _beat_safely(worker)
        connection.close()

    threading.Thread(target=run, name="samverk-heartbeat", daemon=True).start()
    return stop
