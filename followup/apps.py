from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Uppföljning av samverkan")

    def ready(self):
        from common import reminders

        from .services.spindeln import send_reminders

        # manage.py send_reminders closes the Spindeln rounds past their date and reminds,
        # once, those who have not answered a round closing within three days.
        reminders.register("påminnelser om Spindeln", send_reminders)
