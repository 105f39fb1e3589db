"""The ärende: the collaboration around one individual, and its audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parties.models import Organisation, SamverkArea

from . import audit, personnummer
from .enums import CaseStatus, ContactPreference


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Ärenden the user may open: owner, staff of an involved party, the area's
        coordinator, administrators. Everyone else sees nothing."""
        if not user.is_authenticated:
            return self.none()
        if user.is_samverk_admin:
            return self
        rule = Q(owner=user) | Q(area__in=user.coordinated_areas.all())
        if user.organisation_id:
            # EXISTS rather than a join: one row per ärende, and cheap at any size.
            rule |= Exists(
                Case.involved_organisations.through.objects.filter(
                    case=OuterRef("pk"), organisation=user.organisation_id
                )
            )
        return self.filter(rule)

    def visible_among(self, user, case_ids) -> set[int]:
        """Which of these ärenden the user may open, in one query (none when there are none)."""
        case_ids = set(case_ids)
        if not case_ids:
            return set()
        return set(self.visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True))

    def open(self):
        return self.filter(status=CaseStatus.OPEN)


class Case(models.Model):
    area = models.ForeignKey(
        SamverkArea,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("Samverk-område"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_cases",
        verbose_name=_("ansvarig handläggare"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    closed_on = models.DateField(_("avslutat den"), null=True, blank=True)
    closed_reason = models.TextField(_("anledning till avslut"), blank=True)
    # Staff of these organisations may open the ärende; meetings add the parties they invite.
    involved_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="involved_in_cases", verbose_name=_("berörda parter")
    )

    # The individual.
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    personnummer = models.CharField(
        _("personnummer"),
        max_length=12,
        blank=True,
        help_text=_("Frivilligt. Samordningsnummer går också bra."),
    )
    address = models.TextField(_("adress för brev"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    contact_preference = models.CharField(
        _("vill helst bli kontaktad via"),
        max_length=20,
        choices=ContactPreference.choices,
        default=ContactPreference.LETTER,
    )
    interpreter_language = models.CharField(
        _("behöver tolk (språk)"),
        max_length=60,
        blank=True,
        help_text=_("Lämna tomt om tolk inte behövs."),
    )
    needs_support_person = models.BooleanField(_("vill ha stödperson med"), default=False)
    needs_cognitive_support = models.BooleanField(_("behöver kognitivt stöd"), default=False)
    wishes = models.TextField(
        _("den enskildes önskemål"),
        blank=True,
        help_text=_("Vem den enskilde vill ska vara med, vad som är viktigt för hen."),
    )

    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CaseStatus.OPEN) | Q(closed_on__isnull=False),
                name="closed_case_has_date",
            )
        ]

    def __str__(self):
        return self.individual_name

    def get_absolute_url(self):
        return reverse("cases:detail", kwargs={"pk": self.pk})

    def is_visible_to(self, user) -> bool:
        """The rule of ``CaseQuerySet.visible_to`` for this one ärende, in at most two
        indexed lookups: a single page's access check plans and runs far cheaper than an
        EXISTS over the whole rule."""
        if not user.is_authenticated:
            return False
        if user.is_samverk_admin or self.owner_id == user.pk:
            return True
        if (
            user.organisation_id
            and Case.involved_organisations.through.objects.filter(
                case_id=self.pk, organisation_id=user.organisation_id
            ).exists()
        ):
            return True
        return user.coordinated_areas.filter(pk=self.area_id).exists()

    @property
    def individual_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def masked_personnummer(self) -> str:
        return personnummer.mask(self.personnummer)

    def age_on(self, day):
        """The individual's age on a day, or None without personnummer."""
        if not self.personnummer:
            return None
        return personnummer.age_on(self.personnummer, day)

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    def log(self, user, action: str, **data):
        """Record who did what to this ärende; call inside the same transaction as the change."""
        return CaseEvent.objects.create(case=self, user=user, action=action, data=data)


class CaseEvent(models.Model):
    """Audit trail: every read of sensitive data and every change of an ärende."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=60)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("händelse i ärende")
        verbose_name_plural = _("händelser i ärenden")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def action_label(self) -> str:
        """What the history's "Vad" says: the label the writing app registered (cases.audit),
        else the stored string, never nothing."""
        return audit.action_label(self.action)
