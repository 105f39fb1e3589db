"""Samtycke: the individual's consent to information sharing between named parties."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from parties.models import Organisation


class ConsentForm(models.TextChoices):
    WRITTEN = "written", _("Skriftligt")
    ORAL = "oral", _("Muntligt")


class ConsentQuerySet(models.QuerySet):
    def current(self, on: date | None = None):
        """Consents that count on a day: given, not expired, not revoked."""
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on),
            given_on__lte=on,
            revoked_at__isnull=True,
        )


def consent_document_path(instance, filename):
    # Never the individual's name or personnummer in a path: only ids.
    suffix = filename.rsplit(".", 1)[-1].lower()
    return f"samtycken/{instance.case_id}/{timezone.now():%Y%m%d%H%M%S}.{suffix}"


class Consent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    form = models.CharField(_("form"), max_length=10, choices=ConsentForm.choices)
    organisations = models.ManyToManyField(
        Organisation, related_name="consents", verbose_name=_("parter som får dela information")
    )
    covers_premeeting = models.BooleanField(
        _("gäller även förmöte utan den enskilde"), default=False
    )
    given_on = models.DateField(_("lämnat den"))
    valid_until = models.DateField(_("gäller till och med"), null=True, blank=True)
    restrictions = models.TextField(_("det här vill den enskilde inte att vi delar"), blank=True)
    document = models.FileField(
        _("inskannat samtycke"), upload_to=consent_document_path, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerat av"),
    )
    recorded_at = models.DateTimeField(_("registrerat"), default=timezone.now)
    revoked_at = models.DateTimeField(_("återkallat"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("återkallat av"),
    )
    revoked_reason = models.TextField(_("anledning till återkallelse"), blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("given_on")),
                name="consent_valid_after_given",
                violation_error_message=_(
                    "Slutdatum kan inte vara före datumet då samtycket lämnades."
                ),
            )
        ]

    def __str__(self):
        return f"{self.get_form_display()} {self.given_on}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_current(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return (
            not self.is_revoked
            and self.given_on <= on
            and (self.valid_until is None or self.valid_until >= on)
        )
