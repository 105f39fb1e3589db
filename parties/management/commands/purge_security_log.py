from django.conf import settings
from django.core.management.base import BaseCommand

from parties.security_log import purge


class Command(BaseCommand):
    help = (
        "Tar bort händelser i säkerhetsloggen (inloggningar, lösenordsbyten) som är äldre än "
        "gallringstiden (CASE_RETENTION_DAYS, som ärendenas logg). Kör t.ex. varje natt, "
        "bredvid purge_closed_cases."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Gallringstid i dagar (standard {settings.CASE_RETENTION_DAYS}).",
        )

    def handle(self, *args, days=None, **options):
        self.stdout.write(f"Tog bort {purge(days=days)} händelser ur säkerhetsloggen.")
