from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Handlingsplaner")

    def ready(self):
        # Registers the "plans.plan_pdf" attachment builder the outbox worker calls by name.
        from .services import attachments  # noqa: F401
