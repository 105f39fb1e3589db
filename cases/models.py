"""The ärende: the collaboration around one individual, and its audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parties.models import Organisation, SamverkArea, User

from . import audit, personnummer
from .enums import CaseStatus, ContactPreference


def _coordinated(user):
    return User.coordinated_areas.through.objects.filter(user_id=user.pk)


def _participations(user, now):
    return CaseParticipation.objects.filter(user_id=user.pk, until__gte=now)


def _grants(user, today):
    return CaseAccessGrant.objects.active(today).filter(user_id=user.pk)


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Ärenden the user may open (need to know, DESIGN: data protection): its owner,
        those taking part in its meetings until CASE_PARTICIPANT_ACCESS_DAYS after their
        last one (CaseParticipation), colleagues it is shared with (an active
        CaseAccessGrant), and its area's coordinators; only for a user with a staff role
        (handläggare, or coordinator of some area). Membership of an organisation and the
        administrator role open nothing. ``Case.is_visible_to`` is the same rule."""
        if not user.is_authenticated:
            return self.none()
        now, today = timezone.now(), timezone.localdate()
        coordinated = _coordinated(user)
        # EXISTS rather than joins: one row per ärende, and cheap at any size.
        rule = (
            Q(owner=user.pk)
            | Q(area__in=coordinated.values("samverkarea_id"))
            | Exists(_participations(user, now).filter(case=OuterRef("pk")))
            | Exists(_grants(user, today).filter(case=OuterRef("pk")))
        )
        if not user.is_caseworker:
            # No staff role, no ärende: a coordinator of any area still has one.
            rule &= Exists(coordinated)
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
        """The rule of ``CaseQuerySet.visible_to`` for this one ärende: no query for a
        handläggare who owns it, else one, of three or four EXISTS each on an index (the
        coordinator link, the participation and the grants by ärende and user): a single
        page's check plans and runs far cheaper than the queryset rule for one row."""
        if not user.is_authenticated:
            return False
        if self.owner_id == user.pk and user.is_caseworker:
            return True
        now, today = timezone.now(), timezone.localdate()
        coordinated = _coordinated(user)
        checks = {
            "coordinates_area": Exists(coordinated.filter(samverkarea_id=self.area_id)),
            "takes_part": Exists(_participations(user, now).filter(case_id=self.pk)),
            "granted": Exists(_grants(user, today).filter(case_id=self.pk)),
        }
        if not user.is_caseworker:
            checks["coordinates_any"] = Exists(coordinated)
        found = next(iter(Case.objects.filter(pk=self.pk).order_by().values(**checks)[:1]), None)
        if not found:
            return False
        has_role = user.is_caseworker or found["coordinates_any"]
        opens = self.owner_id == user.pk or any(
            found[name] for name in ("coordinates_area", "takes_part", "granted")
        )
        return bool(has_role and opens)

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


class CaseParticipation(models.Model):
    """A user who takes part in one of the ärende's meetings as themselves, and until when
    that opens the ärende: their latest meeting's end + CASE_PARTICIPANT_ACCESS_DAYS.

    Derived data, kept by meetings (meetings.services.participation.sync_participation)
    through cases.services.set_participations: cases cannot read meetings, and the access
    check on every page must stay one indexed lookup."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_participations"
    )
    until = models.DateTimeField(_("åtkomst till"))
    # The meeting that sets ``until`` (the person's latest in the ärende), for "Vem har
    # åtkomst"; a plain id, as cases may not know meetings.
    meeting_ref = models.PositiveBigIntegerField(_("senaste mötet"), null=True, blank=True)

    class Meta:
        verbose_name = _("deltagande i ärende")
        verbose_name_plural = _("deltaganden i ärenden")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="case_participation_once")
        ]
        indexes = [
            # visible_to: the user's ärenden straight from the index.
            models.Index(fields=["user", "until"], name="case_participation_user")
        ]

    def __str__(self):
        return f"{self.user} i {self.case_id} till {self.until:%Y-%m-%d}"


class CaseAccessGrantQuerySet(models.QuerySet):
    def active(self, today=None):
        """Grants that open the ärende today: not withdrawn, and not ended (ends_on is the
        last day of access)."""
        today = today or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )


class CaseAccessGrant(models.Model):
    """ "Dela med kollega": the owner or the area's coordinator opens the ärende to a named
    colleague, with a reason, until a day or until withdrawn. Rows are kept when withdrawn
    or ended: they are part of the ärende's history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_access_grants",
        verbose_name=_("kollega"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("delad av"),
    )
    reason = models.TextField(_("skäl"))
    granted_at = models.DateTimeField(_("delad"), default=timezone.now)
    ends_on = models.DateField(
        _("till och med"), null=True, blank=True, help_text=_("Lämna tomt: tills vidare.")
    )
    withdrawn_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("återkallad av"),
    )

    objects = CaseAccessGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-pk"]
        verbose_name = _("delning av ärende")
        verbose_name_plural = _("delningar av ärenden")
        indexes = [
            models.Index(fields=["case", "user"], name="case_grant_case_user"),
            models.Index(fields=["user", "case"], name="case_grant_user_case"),
        ]

    def __str__(self):
        return f"{self.user} i {self.case_id}"

    def is_active(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.withdrawn_at is None and (self.ends_on is None or self.ends_on >= today)


class CaseEvent(models.Model):
    """Audit trail: every read of sensitive data and every change of an ärende.

    Append-only for the application: deleting an ärende (in the admin, say) leaves its
    rows, with ``case_id`` still the former id (no database constraint, nothing done on
    delete). Only the retention purge removes them, and leaves a PurgedCase. An orphaned
    row's ``case`` raises DoesNotExist and ``select_related("case")`` (an inner join)
    leaves it out: read ``case_id`` where that matters."""

    case = models.ForeignKey(
        Case, on_delete=models.DO_NOTHING, db_constraint=False, related_name="events"
    )
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


class PurgedCase(models.Model):
    """What is left of an ärende after the retention purge: that it existed, where, when
    it closed and went, and how much went with it. Nothing about the individual."""

    case_ref = models.PositiveBigIntegerField(_("ärendets nummer"), unique=True)
    area = models.ForeignKey(
        SamverkArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("Samverk-område")
    )
    closed_on = models.DateField(_("avslutat den"), null=True, blank=True)
    purged_at = models.DateTimeField(_("rensat"), default=timezone.now)
    meetings = models.PositiveIntegerField(_("antal möten"), default=0)
    events = models.PositiveIntegerField(_("antal händelser"), default=0)

    class Meta:
        ordering = ["-purged_at", "-pk"]
        verbose_name = _("rensat ärende")
        verbose_name_plural = _("rensade ärenden")

    def __str__(self):
        return f"{self.case_ref} {self.purged_at:%Y-%m-%d}"
