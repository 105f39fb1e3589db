from django.core.management.base import BaseCommand, CommandError

from meetings.services.mailbox import read_reply_mailbox


class Command(BaseCommand):
    help = (
        "Läser svarsbrevlådan över IMAP (REPLY_IMAP_*) och räknar kalendersvar "
        "(Acceptera/Avböj) som svar på kallelsen (kör t.ex. var 5:e minut)."
    )

    def handle(self, *args, **options):
        try:
            run = read_reply_mailbox()
        except Exception as error:  # configuration, login, network
            raise CommandError(
                f"Svarsbrevlådan kunde inte läsas: {type(error).__name__}: {error}"[:300]
            ) from None
        self.stdout.write(
            f"{run.read} meddelanden lästa, {run.recorded} svar registrerade, "
            f"{run.ignored} ignorerade, {run.failed} misslyckades."
        )
