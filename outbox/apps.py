from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Utgående e-post")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the anymail tracking receiver)

        # Attachment builders register themselves on import; the worker process
        # must see the same registry as the web process, so every app's
        # `outbox_builders` module is imported at start-up.
        autodiscover_modules("outbox_builders")
