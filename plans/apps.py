from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Handlingsplaner")

    def ready(self):
        from . import mail  # noqa: F401 - registers the "plans.plan_pdf" attachment builder
