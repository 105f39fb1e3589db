from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Möten")

    def ready(self):
        # Registers the attachment builders the outbox worker calls by name.
        from .services import attachments  # noqa: F401
