from django.conf import settings
from django.core.management.base import BaseCommand

from common.reminders import senders
from meetings.services.invitations import send_reminders
from meetings.services.polls import send_poll_reminders


class Command(BaseCommand):
    help = (
        "Påminner deltagare som inte svarat på kallelsen, och tillfrågade som inte svarat på "
        "föreslagna tider (kör t.ex. varje timme)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Dagar före mötet (standard {settings.REMINDER_DAYS_BEFORE}).",
        )

    def handle(self, *args, days=None, **options):
        count = send_reminders(days_before=days)
        self.stdout.write(f"{count} påminnelser köade.")
        # The time polls' own rule (days before the last day to answer).
        polls = send_poll_reminders()
        self.stdout.write(f"{polls} påminnelser om föreslagna tider köade.")
        # Other apps' reminders (the group meetings' kallelser): common.reminders.
        for label, send in senders().items():
            self.stdout.write(f"{send(days_before=days)} {label} köade.")
