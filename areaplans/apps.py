from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreaplansConfig(AppConfig):
    name = "areaplans"
    verbose_name = _("Områdets handlingsplan")
