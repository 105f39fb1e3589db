from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionKind(models.TextChoices):
    ESTABLISHED = "established", _("Fastställd")
    REVISION = "revision", _("Revidering")
