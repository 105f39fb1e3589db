from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Samverksgrupper")

    def ready(self):
        # Registers the "groups.invitation" and "groups.minutes" attachment builders the
        # outbox worker calls by name.
        from common import commitments, reminders

        from .services import attachments  # noqa: F401
        from .services.commitments import uppdrag_section
        from .services.invitations import send_reminders

        # "Mina åtaganden" lists the user's open uppdrag from group meetings.
        commitments.register(uppdrag_section)
        # manage.py send_reminders reminds those who have not answered a group's kallelse.
        reminders.register("påminnelser om gruppmöten", send_reminders)
