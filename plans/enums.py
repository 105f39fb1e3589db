from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanAction(models.TextChoices):
    """Audit action types written to the ärende's log (CaseEvent.action)."""

    VIEWED = "plan.viewed", _("Handlingsplanen visades")
    CHANGED = "plan.changed", _("Handlingsplanen ändrades")
    FROZEN = "plan.frozen", _("Handlingsplanen fastställdes")
    SIGNED = "plan.signed", _("Handlingsplanen signerades")


class SignerRole(models.TextChoices):
    INDIVIDUAL = "individual", _("Den enskilde")
    STAFF = "staff", _("Ansvarig personal")


class SignatureMethod(models.TextChoices):
    PAPER = "paper", _("Signerat på papper")
    APP = "app", _("Bekräftat i appen")
