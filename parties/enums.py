from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ARBETSFORMEDLINGEN = "arbetsformedlingen", _("Arbetsförmedlingen")
    FORSAKRINGSKASSAN = "forsakringskassan", _("Försäkringskassan")
    REGION_PRIMARVARD = "region_primarvard", _("Region, primärvård")
    REGION_PSYKIATRI = "region_psykiatri", _("Region, psykiatri")
    KOMMUN = "kommun", _("Kommun")
    ANNAN = "annan", _("Annan")

    @classmethod
    def region_kinds(cls):
        return {cls.REGION_PRIMARVARD, cls.REGION_PSYKIATRI}
