"""Following up the collaboration (issue 19): avvikelser, reported by staff to the area's
coordinator. An avvikelse never names the individual: its texts refuse a personnummer and
warn on names, and one reported from an ärende keeps only the link, for the coordinator."""

import uuid

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


# --- Spindeln (issue 19): the survey of Danermark and Germundsson, in rounds -------------

# The seven generic factors of the survey, in the report's order; (key, label).
SURVEY_FACTORS = [
    ("resurser", _("Tillgång till resurser")),
    ("ledning", _("Ledningens stöd och engagemang")),
    ("parter", _("Andra parters engagemang")),
    ("samsyn", _("Samsyn kring arbetssätt")),
    ("kunskap", _("Kunskap om samverkanspartners")),
    ("regelverk", _("Parternas regelverk harmonierar")),
    ("information", _("Informationsflödet mellan parterna")),
]
SURVEY_LOCAL_KEYS = ["lokal1", "lokal2"]
# A comment per factor: a sentence or two.
SURVEY_COMMENT_MAX = 1000


def new_survey_key() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class SurveyRound(models.Model):
    """A round of Spindeln for an area: its members answer by personal link until
    ``closes_on`` (or the coordinator closes it)."""

    area = models.ForeignKey(
        SamverkArea,
        on_delete=models.PROTECT,
        related_name="survey_rounds",
        verbose_name=_("Samverk-område"),
    )
    title = models.CharField(_("rubrik"), max_length=150)
    local_factor_1 = models.CharField(_("lokal faktor 1"), max_length=150, blank=True)
    local_factor_2 = models.CharField(_("lokal faktor 2"), max_length=150, blank=True)
    closes_on = models.DateField(_("sista svarsdag"))
    groups = models.ManyToManyField(
        "groups.Group", blank=True, related_name="+", verbose_name=_("grupper")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("startad av"),
    )
    started_at = models.DateTimeField(_("startad"), auto_now_add=True)
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)

    class Meta:
        verbose_name = _("Spindeln-omgång")
        verbose_name_plural = _("Spindeln-omgångar")
        ordering = ["-closes_on", "-pk"]

    def __str__(self):
        return f"{self.title}, {self.area.name}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def factors(self) -> list[tuple[str, str]]:
        """(key, label) of every factor of the round: the seven, then the local ones."""
        local = [
            (key, label)
            for key, label in zip(
                SURVEY_LOCAL_KEYS, [self.local_factor_1, self.local_factor_2], strict=True
            )
            if label
        ]
        return [(key, str(label)) for key, label in SURVEY_FACTORS] + local


class SurveyInvitation(models.Model):
    """A member's personal link to a round. Whether it was used, never when: the answer
    itself (SurveyResponse) points to nothing but the round."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(
        "groups.GroupMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=150)
    email = models.EmailField(_("e-post"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=64, unique=True, default=new_survey_key)
    answered = models.BooleanField(_("har svarat"), default=False)
    reminded_at = models.DateTimeField(_("påmind"), null=True, blank=True)

    class Meta:
        verbose_name = _("Spindeln-länk")
        verbose_name_plural = _("Spindeln-länkar")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "email"], name="survey_invitation_once")
        ]

    def __str__(self):
        return f"{self.name} ({self.round})"


class SurveyResponse(models.Model):
    """One anonymous answer: the round and the answers, nothing else. No person, no link,
    no time; a random id (no order of arrival), and the close of the round writes the rows
    anew in random order (followup.services.spindeln.close_round)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    # {factor key: 0..4} (4 mycket bra … 0 mycket dåligt) and {factor key: comment}.
    values = models.JSONField(default=dict)
    comments = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("Spindeln-svar")
        verbose_name_plural = _("Spindeln-svar")

    def __str__(self):
        return str(_("Anonymt svar"))


class DeviationSummary(models.Model):
    """The coordinator's summary of a period's avvikelser for the styrgrupp: written here,
    shown to the styrgrupp (the compilation, the statistics, the Årsrapport) only once
    published. The avvikelser's own texts are never shown to them."""

    area = models.ForeignKey(
        SamverkArea,
        on_delete=models.CASCADE,
        related_name="deviation_summaries",
        verbose_name=_("Samverk-område"),
    )
    period_start = models.DateField(_("perioden börjar"))
    period_end = models.DateField(_("perioden slutar"))
    text = models.TextField(_("sammanfattning"), max_length=DEVIATION_TEXT_MAX)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("skriven av"),
    )
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("sammanfattning av avvikelser")
        verbose_name_plural = _("sammanfattningar av avvikelser")
        ordering = ["area", "period_start", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "period_start", "period_end"], name="deviation_summary_period"
            )
        ]

    def __str__(self):
        return f"{self.area} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"
