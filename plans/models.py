"""The handlingsplan written during a meeting: its text fields, goals, decided
actions, and the frozen (fastställda) versions with their signatures."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from parties.models import Organisation

from .enums import SignatureMethod, SignerRole

# The plan's own text fields, in the order of the Nässjö/Sävsjö forms. Each one is
# saved on its own by the autosave and carries its own version in `field_versions`.
TEXT_FIELDS = [
    "current_situation",
    "desired_situation",
    "way_forward",
    "follow_up_who",
    "follow_up_where",
    "follow_up_when",
    "follow_up_responsible",
    "coordinator_name",
    "coordinator_contact",
    "individual_words",
]

# How much a meeting can write (checked by plans/forms.py parse_changes and the autosave
# service, counted down in the page by static/js/counter.js): the long texts (Hur är det
# nu?, Hur borde det vara?, Hur når vi dit?, Med den enskildes egna ord) about three typed
# pages each; a mål's text and a beslut's Vad a long paragraph; the one-line fields their
# column's length (200-500). 2,000,000 characters in one field made a 413-page PDF.
LONG_TEXT_MAX = 10_000
ROW_TEXT_MAX = 2_000


def text_limit(field: str) -> int:
    """The most characters one of the plan's TEXT_FIELDS takes."""
    return ActionPlan._meta.get_field(field).max_length or LONG_TEXT_MAX


class ActionPlan(models.Model):
    """One plan per meeting. The row is the living draft; fastställ copies it into a
    PlanVersion, so later edits are the next version."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="plan")
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_plans",
        verbose_name=_("föregående plan"),
    )
    current_situation = models.TextField(_("Hur är det nu?"), blank=True)
    desired_situation = models.TextField(_("Hur borde det vara?"), blank=True)
    way_forward = models.TextField(_("Hur når vi dit?"), blank=True)
    follow_up_who = models.CharField(_("Vem är med"), max_length=500, blank=True)
    follow_up_where = models.CharField(_("Var"), max_length=300, blank=True)
    follow_up_when = models.CharField(_("När"), max_length=200, blank=True)
    follow_up_responsible = models.CharField(_("Ansvarig"), max_length=200, blank=True)
    coordinator_name = models.CharField(_("Samordningsansvarig"), max_length=200, blank=True)
    coordinator_contact = models.CharField(
        _("Kontaktuppgifter till samordningsansvarig"), max_length=300, blank=True
    )
    individual_words = models.TextField(
        _("Med den enskildes egna ord: det här är viktigt för mig"), blank=True
    )
    # {"current_situation": 3, ...}: how many times each field was saved. An autosave
    # carries the number its sender saw; an older number means someone else saved since.
    field_versions = models.JSONField(default=dict, blank=True)
    # {"current_situation": {"by": "Maria Björk, FK", "at": "2025-05-14T14:02:00+00:00"}}:
    # who saved each field last and when (the field's status on every open page).
    field_saved = models.JSONField(default=dict, blank=True)
    # Bumped on every write of the row: the conditional UPDATE that keeps two
    # simultaneous saves from losing one another on any database.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("handlingsplan")
        verbose_name_plural = _("handlingsplaner")

    def __str__(self):
        return f"{_('Handlingsplan')} {self.meeting}"

    def get_absolute_url(self):
        return reverse("plans:edit", kwargs={"meeting_pk": self.meeting_id})

    def version_of(self, field: str) -> int:
        return int(self.field_versions.get(field, 0))


class PlanRow(models.Model):
    """What goal and action rows share: their place in the list, the versions that
    guard concurrent edits, and the row of the previous plan it came from.

    Versions are kept per field, as on the plan: two people writing different fields of
    one row never conflict. `version` is the row's revision (bumped on every write), for
    the conditional UPDATE that keeps two simultaneous saves from losing one another."""

    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=0)
    # {"what": 2, "due_on": 1}: how many times each field of the row was saved.
    field_versions = models.JSONField(default=dict, blank=True)
    # {"what": {"by": "Maria Björk, FK", "at": "..."}}: who saved each field last, when.
    field_saved = models.JSONField(default=dict, blank=True)
    origin = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_over",
        verbose_name=_("från föregående plan"),
    )

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def version_of(self, field: str) -> int:
        return int(self.field_versions.get(field, 0))


class Goal(PlanRow):
    """A mål, or a delmål when it has a parent."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="subgoals"
    )
    text = models.TextField(_("mål"), blank=True)

    class Meta(PlanRow.Meta):
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self):
        return self.text[:60]


class Action(PlanRow):
    """A decided action (Vad / När / Ansvar): a commitment tracked until done."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField(_("Vad"), blank=True)
    due_on = models.DateField(_("När"), null=True, blank=True)
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("Ansvarig part"),
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("Ansvarig person"),
    )
    # Anyone taking part can be named (a contact person, the individual), not only users.
    responsible_participant = models.ForeignKey(
        "meetings.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("Ansvarig deltagare"),
    )
    responsible_name = models.CharField(_("Ansvarig person (annan)"), max_length=150, blank=True)
    done_on = models.DateField(_("Klart"), null=True, blank=True)

    class Meta(PlanRow.Meta):
        verbose_name = _("beslutad insats")
        verbose_name_plural = _("beslutade insatser")
        indexes = [
            models.Index(fields=["responsible_organisation", "done_on"]),
            models.Index(fields=["responsible_user", "done_on"]),
        ]

    def __str__(self):
        return self.what[:60]

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return not self.is_done and self.due_on is not None and self.due_on < today

    @property
    def responsible_display(self) -> str:
        if self.responsible_user_id:
            person = str(self.responsible_user)
        elif self.responsible_participant_id:
            person = self.responsible_participant.name
        else:
            person = self.responsible_name
        org = self.responsible_organisation.name if self.responsible_organisation_id else ""
        return ", ".join(p for p in (org, person) if p)


class PlanVersion(models.Model):
    """A fastställd version: everything on the plan at that moment, as JSON."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField()
    frozen_at = models.DateTimeField(_("fastställd"), default=timezone.now)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("fastställd version")
        verbose_name_plural = _("fastställda versioner")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique")
        ]

    def __str__(self):
        return f"{_('Version')} {self.number}"

    def get_absolute_url(self):
        return reverse(
            "plans:version", kwargs={"meeting_pk": self.plan.meeting_id, "number": self.number}
        )


class Signature(models.Model):
    """Underskrift: the individual's or the responsible staff's, on paper or in the app."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(_("vem"), max_length=20, choices=SignerRole.choices)
    method = models.CharField(_("hur"), max_length=20, choices=SignatureMethod.choices)
    name = models.CharField(_("namn"), max_length=150)
    signed_at = models.DateTimeField(_("tid"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["role", "signed_at"]
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        constraints = [
            models.UniqueConstraint(fields=["version", "role"], name="signature_once_per_role")
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.name}"


class AreaPlanSettings(models.Model):
    """Per Samverk-område: how the handlingsplan travels. No row means the defaults."""

    area = models.OneToOneField(
        "parties.SamverkArea",
        on_delete=models.CASCADE,
        related_name="plan_settings",
        verbose_name=_("Samverk-område"),
    )
    attach_pdf = models.BooleanField(
        _("bifoga handlingsplanen som PDF i e-post till personal"),
        default=False,
        help_text=_(
            "Av: e-posten innehåller bara en länk som kräver inloggning. "
            "Den enskilde får alltid PDF:en när hen vill ha e-post."
        ),
    )

    class Meta:
        verbose_name = _("inställning för handlingsplaner")
        verbose_name_plural = _("inställningar för handlingsplaner")

    def __str__(self):
        return str(self.area)

    @classmethod
    def attach_pdf_for(cls, area_id) -> bool:
        return cls.objects.filter(area_id=area_id, attach_pdf=True).exists()
