from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanAction(models.TextChoices):
    """Audit action types written to the ärende's log (CaseEvent.action); registered with
    cases.audit in PlansConfig.ready()."""

    VIEWED = "plan.viewed", _("Handlingsplanen visades")
    CHANGED = "plan.changed", _("Handlingsplanen ändrades")
    FROZEN = "plan.frozen", _("Handlingsplanen fastställdes")
    SIGNED = "plan.signed", _("Handlingsplanen signerades")
    DISTRIBUTED = "plan.distributed", _("Handlingsplanen skickades")


class SignerRole(models.TextChoices):
    INDIVIDUAL = "individual", _("Den enskilde")
    STAFF = "staff", _("Ansvarig personal")


class SignatureMethod(models.TextChoices):
    PAPER = "paper", _("Signerat på papper")
    APP = "app", _("Bekräftat i appen")
