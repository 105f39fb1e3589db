from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Samtycken")

    def ready(self):
        # The history page names this app's audit actions (see cases.audit).
        from cases.audit import register_actions

        from .enums import ConsentAction

        register_actions(ConsentAction, reads=[ConsentAction.VIEWED, ConsentAction.DOCUMENT_VIEWED])
