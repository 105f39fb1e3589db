from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "parties"
    verbose_name = _("Parter och kontaktpersoner")

    def ready(self):
        from . import saml, security_log, sso

        security_log.connect()
        sso.connect()
        saml.register()
