from django.conf import settings
from django.core.management.base import BaseCommand

from samverk.retention import purge_closed_cases


class Command(BaseCommand):
    help = (
        "Tar bort ärenden som varit avslutade längre än gallringstiden (CASE_RETENTION_DAYS), "
        "med möten, samtycken, handlingsplaner, logg och utskick. Kvar blir bara en anteckning "
        "om att ärendet fanns (nummer, område, datum). Kör t.ex. varje natt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Gallringstid i dagar (standard {settings.CASE_RETENTION_DAYS}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa bara vad som skulle tas bort."
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        counts = purge_closed_cases(days=days, dry_run=dry_run)
        verb = "Skulle ta bort" if dry_run else "Tog bort"
        self.stdout.write(
            f"{verb} {counts['cases']} ärenden, {counts['messages']} utskick och "
            f"{counts['documents']} inskannade samtycken."
        )
