"""Safety net for the outbox; run every few minutes from cron or a systemd timer.

Enqueues every queued message that is due but may have lost its task (a crash
between saving and enqueuing, a backend that lost its queue), and marks
messages stuck mid-send as failed so a person can check them.
"""

from django.core.management.base import BaseCommand

from outbox import sending, services


class Command(BaseCommand):
    help = "Köar förfallna meddelanden i utkorgen och markerar fastnade som misslyckade."

    def handle(self, *args, **options):
        stuck = sending.recover_stuck()
        enqueued = services.enqueue_due()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Köade {enqueued} meddelanden; {stuck} fastnade markerades.")
