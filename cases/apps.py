from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Ärenden")

    def ready(self):
        # The history page names this app's audit actions (see cases.audit).
        from .audit import register_actions
        from .enums import CaseAction

        # Reads: "Vem har läst ärendet" and the registerutdrag list them.
        register_actions(
            CaseAction,
            reads=[
                CaseAction.VIEWED,
                CaseAction.LISTED,
                CaseAction.PERSONNUMMER_SHOWN,
                CaseAction.ACCESS_LIST_VIEWED,
                CaseAction.EXTRACT_PRODUCED,
            ],
        )
