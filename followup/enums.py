from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviationStatus(models.TextChoices):
    NEW = "ny", _("Ny")
    INVESTIGATING = "utreds", _("Utreds")
    REMEDIED = "atgardad", _("Åtgärdad")
    CLOSED = "avslutad", _("Avslutad")


class DeviationCategory(models.TextChoices):
    """What went wrong in the collaboration, in the coordinators' report's words."""

    BETWEEN_CHAIRS = "mellan_stolarna", _("Ingen tog ansvar (hamnade mellan stolarna)")
    INFORMATION = "information", _("Information kom inte fram mellan parterna")
    MEETING = "mote", _("Mötet kom inte till stånd eller saknade parter")
    COMMITMENT = "atagande", _("Ett åtagande blev inte gjort")
    RULES = "regelverk", _("Parternas regelverk krockade")
    OTHER = "ovrigt", _("Övrigt")
