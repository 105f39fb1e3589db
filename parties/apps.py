from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "parties"
    verbose_name = _("Parter och kontaktpersoner")

    def ready(self):
        from . import receivers, saml, security_log, sso

        receivers.connect()
        security_log.connect()
        sso.connect()
        saml.register()
