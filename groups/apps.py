from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Samverksgrupper")

    def ready(self):
        # Registers the "groups.invitation" and "groups.minutes" attachment builders the
        # outbox worker calls by name.
        from .services import attachments  # noqa: F401
