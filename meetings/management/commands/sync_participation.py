from django.core.management.base import BaseCommand

from meetings.services.participation import rebuild_participation


class Command(BaseCommand):
    help = (
        "Räknar om vilka mötesdeltagare som får öppna varje ärende (efter t.ex. ändrade "
        "e-postadresser eller nya konton för kontaktpersoner)."
    )

    def handle(self, *args, **options):
        count = rebuild_participation()
        self.stdout.write(f"{count} deltaganden i ärenden.")
