"""django-tasks-db's `db_worker`, with the heartbeat /readyz reads (outbox.heartbeat).

samverk comes before django_tasks_db in INSTALLED_APPS, so this command is the one
`manage.py db_worker` runs; its options are the original's."""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from outbox import heartbeat


class Command(DbWorkerCommand):
    def handle(self, *args, **options):
        stop = heartbeat.start(heartbeat.worker_name("db_worker"))
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
