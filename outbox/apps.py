from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Utgående e-post")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the anymail tracking receiver)
