from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Handlingsplaner")

    def ready(self):
        from cases.audit import register_actions

        from .enums import PlanAction

        # Registers the "plans.plan_pdf" attachment builder the outbox worker calls by name.
        from .services import attachments  # noqa: F401

        # The history page names this app's audit actions (see cases.audit).
        register_actions(PlanAction, reads=[PlanAction.VIEWED])
