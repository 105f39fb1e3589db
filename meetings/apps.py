from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Möten")

    def ready(self):
        from cases.audit import register_actions

        # Calendar answers arriving through the mail provider's inbound webhook.
        from . import receivers  # noqa: F401
        from .enums import MeetingAction

        # Registers the attachment builders the outbox worker calls by name.
        from .services import attachments  # noqa: F401

        # The history page names this app's audit actions (see cases.audit).
        register_actions(MeetingAction, reads=[MeetingAction.VIEWED, MeetingAction.POLL_VIEWED])
