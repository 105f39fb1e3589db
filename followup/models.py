"""Following up the collaboration (issue 19): avvikelser, reported by staff to the area's
coordinator. An avvikelse never names the individual: its texts refuse a personnummer and
warn on names, and one reported from an ärende keeps only the link, for the coordinator."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from areaplans.models import PlanActivity
from cases.models import Case
from groups.models import AgendaItem
from parties.models import Organisation, SamverkArea

from .enums import DeviationCategory, DeviationStatus

# A paragraph or two: what happened, what it led to.
DEVIATION_TEXT_MAX = 4000


class Deviation(models.Model):
    area = models.ForeignKey(
        SamverkArea,
        on_delete=models.PROTECT,
        related_name="deviations",
        verbose_name=_("Samverk-område"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="reported_deviations",
        verbose_name=_("rapporterad av"),
    )
    occurred_on = models.DateField(_("när det hände"))
    category = models.CharField(_("vad gick fel"), max_length=20, choices=DeviationCategory.choices)
    what_happened = models.TextField(_("vad hände"), max_length=DEVIATION_TEXT_MAX)
    consequence = models.TextField(
        _("vad det ledde till för den enskilde"),
        max_length=DEVIATION_TEXT_MAX,
        help_text=_("Med allmänna ord, till exempel ”hamnade mellan stolarna”."),
    )
    parties = models.ManyToManyField(
        Organisation, related_name="+", verbose_name=_("berörda parter")
    )
    # Only the link, for the coordinator; never shown to anyone else.
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DeviationStatus.choices, default=DeviationStatus.NEW
    )
    notes = models.TextField(_("anteckningar"), blank=True, max_length=DEVIATION_TEXT_MAX)
    measures = models.TextField(_("åtgärder"), blank=True, max_length=DEVIATION_TEXT_MAX)
    activity = models.ForeignKey(
        PlanActivity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aktivitet i områdets handlingsplan"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("punkt på ett gruppmötes dagordning"),
    )
    created_at = models.DateTimeField(_("rapporterad"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status ändrad"), null=True, blank=True)

    class Meta:
        verbose_name = _("avvikelse")
        verbose_name_plural = _("avvikelser")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["area", "occurred_on"], name="deviation_area_idx")]

    def __str__(self):
        return f"{self.area} {self.occurred_on:%Y-%m-%d} {self.get_category_display()}"
