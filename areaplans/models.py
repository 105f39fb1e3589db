"""The Samverk area's own handlingsplan for a year (issue 18): numbered mål, each with
lettered aktiviteter (Hur, Ansvarig, När and a follow-up note), a comment for the whole
plan, and a frozen snapshot per fastställande or revision. No individual's data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models import Assignment, GroupMeeting
from parties.models import SamverkArea

from .enums import VersionKind


class AreaPlan(models.Model):
    area = models.ForeignKey(
        SamverkArea,
        on_delete=models.PROTECT,
        related_name="area_plans",
        verbose_name=_("Samverk-område"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    comment = models.TextField(_("kommentar"), blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utgår från"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        ordering = ["area__name", "-year"]
        verbose_name = _("områdets handlingsplan")
        verbose_name_plural = _("områdenas handlingsplaner")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year"],
                name="areaplan_one_per_area_and_year",
                violation_error_message=_("Området har redan en handlingsplan för det året."),
            )
        ]

    def __str__(self):
        return f"{self.area} {self.year}"


class PlanGoal(models.Model):
    """A numbered mål (1, 2, 3 … by position)."""

    plan = models.ForeignKey(AreaPlan, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(_("nummer"))
    text = models.TextField(_("mål"))

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self):
        return f"{self.position}. {self.text[:60]}"


class PlanActivity(models.Model):
    """A lettered aktivitet (a, b, c … by position) under a mål."""

    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField(_("ordning"))
    text = models.TextField(_("aktivitet"))
    how = models.TextField(_("hur"), blank=True)
    responsible = models.CharField(_("ansvarig"), max_length=300, blank=True)
    when = models.CharField(_("när"), max_length=300, blank=True)
    follow_up = models.TextField(
        _("uppföljning"),
        blank=True,
        help_text=_("Vad som har gjorts, skrivet vid revideringen. Sparas med varje version."),
    )
    is_done = models.BooleanField(
        _("genomförd"),
        default=False,
        help_text=_("En genomförd aktivitet följer inte med till nästa års plan."),
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("överförd från"),
    )
    # Uppdrag given at the area's group meetings that serve this aktivitet. The link lives
    # here: groups knows nothing of the plan.
    assignments = models.ManyToManyField(
        Assignment,
        blank=True,
        related_name="area_plan_activities",
        verbose_name=_("uppdrag från gruppmöten"),
    )

    class Meta:
        ordering = ["goal", "position", "pk"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")

    def __str__(self):
        return f"{self.letter}. {self.text[:60]}"

    @property
    def letter(self) -> str:
        return letter_for(self.position)


def letter_for(position: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa."""
    letters = ""
    n = max(position, 1)
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


class AreaPlanVersion(models.Model):
    """The plan as it was when the styrgrupp fastställde it, or at a revision."""

    plan = models.ForeignKey(AreaPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("typ"), max_length=20, choices=VersionKind.choices)
    decided_on = models.DateField(_("datum"))
    # The styrgrupp's meeting where the plan was fastställd (or revised), when it was held
    # in the app.
    meeting = models.ForeignKey(
        GroupMeeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslutat vid"),
    )
    snapshot = models.JSONField(_("innehåll"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("sparad"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("version av områdets handlingsplan")
        verbose_name_plural = _("versioner av områdets handlingsplan")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="areaplan_version_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.plan} v{self.number}"
