from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Handlingsplaner")

    def ready(self):
        from cases.audit import register_actions

        # The plan's sections on "Genomför mötet" (issue 17: one page for the meeting).
        from meetings.views.run import RUN_PAGE_PARTS

        from .enums import PlanAction
        from .run_part import run_page_part

        # Registers the "plans.plan_pdf" attachment builder the outbox worker calls by name.
        from .services import attachments  # noqa: F401

        if run_page_part not in RUN_PAGE_PARTS:
            RUN_PAGE_PARTS.append(run_page_part)

        # The history page names this app's audit actions (see cases.audit).
        register_actions(PlanAction, reads=[PlanAction.VIEWED])
