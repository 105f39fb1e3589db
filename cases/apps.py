from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Ärenden")

    def ready(self):
        # The history page names this app's audit actions (see cases.audit).
        from .audit import register_actions
        from .enums import CaseAction

        register_actions(CaseAction)
