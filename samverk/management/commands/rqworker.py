"""django-rq's `rqworker` (TASKS_BACKEND=rq), with the heartbeat /readyz reads
(outbox.heartbeat). Run it with the scheduler, which enqueues the outbox's retries at
their time: ``manage.py rqworker default --with-scheduler`` (deploy/samverk-worker-rq.service).
"""

from django.core.management.base import CommandError

from outbox import heartbeat

try:
    from django_rq.management.commands.rqworker import Command as RqWorkerCommand
except ImportError as exc:  # the optional group is not installed
    raise CommandError("django-tasks-rq saknas: pip install -e '.[rq]'") from exc


class Command(RqWorkerCommand):
    def handle(self, *args, **options):
        stop = heartbeat.start(heartbeat.worker_name("rqworker"))
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
