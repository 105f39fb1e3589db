"""Who is who in Samverk: areas, parties (organisations), their units, contact
persons and the staff users who log in."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .email_domains import domain_of, parse_domains, validate_domains
from .enums import OrganisationKind


class SamverkArea(models.Model):
    """A local collaboration ("Samverk Sävsjö") with one or more coordinators."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnamn i adresser"), max_length=50, unique=True)
    municipality = models.CharField(_("kommun"), max_length=100)
    target_age_min = models.PositiveSmallIntegerField(_("målgrupp från ålder"), default=16)
    target_age_max = models.PositiveSmallIntegerField(_("målgrupp till ålder"), default=64)
    contacts_confirmed_on = models.DateField(
        _("kontaktlistan senast bekräftad"), null=True, blank=True
    )
    # Art. 15 asks for the recipients of the data, which an organisation and role name;
    # whether the staff are named too is the area's decision.
    extract_names_staff = models.BooleanField(
        _("namnge personal i registerutdrag"),
        default=False,
        help_text=_(
            "På: registerutdraget visar namnet på den som har läst ärendet. Av: bara "
            "organisation, roll och datum."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Samverk-område")
        verbose_name_plural = _("Samverk-områden")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_age_min__lte=models.F("target_age_max")),
                name="area_age_range_ordered",
                violation_error_message=_("Lägsta ålder kan inte vara högre än högsta ålder."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("parties:contact_list", kwargs={"area_slug": self.slug})

    @property
    def contact_list_is_stale(self) -> bool:
        """True when nobody has confirmed the list within the configured period."""
        return is_stale(self.contacts_confirmed_on)


def is_stale(confirmed_on: date | None, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    if confirmed_on is None:
        return True
    return confirmed_on < today - timedelta(days=settings.CONTACT_LIST_STALE_DAYS)


class Organisation(models.Model):
    """A party (part/aktör). Its kind drives the meeting rules."""

    name = models.CharField(_("namn"), max_length=150, unique=True)
    kind = models.CharField(_("typ av part"), max_length=30, choices=OrganisationKind.choices)
    # Whom a forwarded answer link may name as substitute: an address at one of these
    # (parties.email_domains; meetings.services.invitations.substitute_refusal).
    email_domains = models.TextField(
        _("e-postdomäner"),
        blank=True,
        validators=[validate_domains],
        help_text=_(
            "Domänerna som partens personal har e-post på, t.ex. arbetsformedlingen.se, en per "
            "rad eller med komma emellan. En ersättare som anmäls via svarslänken i en "
            "kallelse måste ha en adress på någon av dem (eller vara partens kontaktperson "
            "eller användare). Allmänna e-posttjänster som gmail.com går inte."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("part")
        verbose_name_plural = _("parter")

    def __str__(self):
        return self.name

    def clean(self):
        # Stored as written out by parse_domains: one a line, lower case, no "@".
        self.email_domains = "\n".join(parse_domains(self.email_domains))

    @property
    def email_domain_list(self) -> list[str]:
        return parse_domains(self.email_domains)

    def has_email_domain(self, email: str) -> bool:
        """Whether the address ends in one of the party's domains (exactly: a subdomain
        is its own entry)."""
        domain = domain_of(email)
        return bool(domain) and domain in self.email_domain_list


class Unit(models.Model):
    """A verksamhet/enhet of a party, e.g. "Sävsjö vårdcentral"."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="units", verbose_name=_("part")
    )
    area = models.ForeignKey(
        SamverkArea,
        on_delete=models.PROTECT,
        related_name="units",
        null=True,
        blank=True,
        verbose_name=_("Samverk-område"),
        help_text=_("Lämna tomt för en enhet som arbetar i flera områden."),
    )
    name = models.CharField(_("namn"), max_length=150)
    way_in = models.TextField(
        _("vägen in"),
        blank=True,
        help_text=_("Vad enheten gör för den enskilde och hur man når den."),
    )
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="unit_name_unique_per_organisation",
                violation_error_message=_("Parten har redan en enhet med det namnet."),
            )
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A staff member who logs in. Roles are flags, since one person can hold several."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        related_name="staff",
        null=True,
        blank=True,
        verbose_name=_("enhet"),
    )
    title = models.CharField(_("titel"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    is_caseworker = models.BooleanField(_("handläggare"), default=False)
    is_administrator = models.BooleanField(
        _("administratör"),
        default=False,
        help_text=_("Får ändra alla områdens listor och inställningar."),
    )
    coordinated_areas = models.ManyToManyField(
        SamverkArea,
        blank=True,
        related_name="coordinators",
        verbose_name=_("samverkanskoordinator för"),
    )

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        if (
            self.unit_id
            and self.organisation_id
            and self.unit.organisation_id != self.organisation_id
        ):
            raise ValidationError({"unit": _("Enheten hör inte till användarens organisation.")})

    @property
    def is_samverk_admin(self) -> bool:
        return self.is_active and (self.is_administrator or self.is_superuser)


class ContactPerson(models.Model):
    """A party's named contact in one Samverk area.

    Contact persons are never deleted once created: meetings and history refer
    to them. Leaving staff are deactivated instead.
    """

    area = models.ForeignKey(
        SamverkArea,
        on_delete=models.PROTECT,
        related_name="contact_persons",
        verbose_name=_("Samverk-område"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contact_persons",
        verbose_name=_("part"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="contact_persons",
        null=True,
        blank=True,
        verbose_name=_("enhet"),
    )
    name = models.CharField(_("namn"), max_length=150)
    title = models.CharField(_("titel"), max_length=100, blank=True)
    email = models.EmailField(_("e-post"))
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    is_samverk_contact = models.BooleanField(
        _("partens Samverk-kontakt"),
        default=False,
        help_text=_("Kallelser till parten går hit när handläggaren inte är känd."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    last_confirmed_on = models.DateField(_("senast bekräftad"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        ordering = ["organisation__name", "unit__name", "name"]
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")
        constraints = [
            models.UniqueConstraint(
                "area",
                Lower("email"),
                name="contact_email_unique_per_area",
                violation_error_message=_(
                    "Det finns redan en kontaktperson med den e-postadressen i området."
                ),
            )
        ]
        indexes = [models.Index(fields=["area", "is_active", "organisation"])]

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    def clean(self):
        super().clean()
        if (
            self.unit_id
            and self.organisation_id
            and self.unit.organisation_id != self.organisation_id
        ):
            raise ValidationError({"unit": _("Enheten hör inte till den valda parten.")})

    @property
    def is_stale(self) -> bool:
        return is_stale(self.last_confirmed_on)


class ContactListConfirmation(models.Model):
    """One "the list is current" stamp, kept as history of who vouched for the list."""

    area = models.ForeignKey(SamverkArea, on_delete=models.CASCADE, related_name="confirmations")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-confirmed_at"]
        verbose_name = _("bekräftelse av kontaktlista")
        verbose_name_plural = _("bekräftelser av kontaktlistor")

    def __str__(self):
        return f"{self.area} {self.confirmed_at:%Y-%m-%d}"


class ContactImport(models.Model):
    """An uploaded contact list waiting for the coordinator's confirmation.

    Kept in the database rather than the session: a large file would otherwise
    be loaded with every request until confirmed.
    """

    token = models.CharField(max_length=32, unique=True)
    area = models.ForeignKey(SamverkArea, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(_("filnamn"), max_length=200)
    rows = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("import av kontaktlista")
        verbose_name_plural = _("importer av kontaktlistor")

    def __str__(self):
        return self.filename


class SecurityEvent(models.Model):
    """One line of the security log: a login, a failed one, a password changed or reset
    (parties/security_log.py writes them from Django's and allauth's signals, the second
    factor's and single sign-on's included). Never a password or a token. Kept
    CASE_RETENTION_DAYS, like the audit log of an ärende (manage.py purge_security_log)."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Inloggning")
        LOGIN_FAILED = "login_failed", _("Misslyckad inloggning")
        LOGOUT = "logout", _("Utloggning")
        PASSWORD_CHANGED = "password_changed", _("Lösenord bytt")
        PASSWORD_RESET = "password_reset", _("Lösenord återställt")
        MFA_ADDED = "mfa_added", _("Andra faktor tillagd")
        MFA_REMOVED = "mfa_removed", _("Andra faktor borttagen")
        MFA_RECOVERY_CODES_RENEWED = "mfa_recovery_renewed", _("Nya återställningskoder")
        MFA_FAILED = "mfa_failed", _("Fel kod för andra faktorn")
        SSO_LOGIN = "sso_login", _("Inloggning via organisationens inloggning")
        SSO_LINKED = "sso_linked", _("Konto kopplat till organisationens inloggning")
        SSO_REFUSED = "sso_refused", _("Inloggning via organisationens inloggning nekad")

    at = models.DateTimeField(_("tid"), default=timezone.now, db_index=True)
    kind = models.CharField(_("händelse"), max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
    )
    # What was typed as the username of a failed login (there may be no such user).
    login = models.CharField(_("angivet användarnamn"), max_length=254, blank=True)
    address = models.GenericIPAddressField(_("adress"), null=True, blank=True)

    class Meta:
        verbose_name = _("säkerhetshändelse")
        verbose_name_plural = _("säkerhetslogg")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class IdentityProvider(models.Model):
    """An organisation's own login (single sign-on), connected by an administrator.

    The protocol's settings (OpenID Connect: issuer, client id and secret; SAML 2.0: the
    IdP's metadata) live in allauth's SocialApp, one to one; this row says whose login it
    is and what a login through it means in Samverk: the organisation its users belong to,
    which authentication-context values make the login strong, and an optional mapping
    from a claim or attribute to a role (parties/services/sso.py applies them).
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="identity_providers",
        verbose_name=_("part"),
        help_text=_("Alla som loggar in här hör till den här parten, och bara den."),
    )
    app = models.OneToOneField(
        "socialaccount.SocialApp",
        on_delete=models.CASCADE,
        related_name="identity_provider",
        verbose_name=_("inställningar för protokollet"),
    )
    label = models.CharField(
        _("namn på knappen"),
        max_length=100,
        blank=True,
        help_text=_("Knappen heter ”Logga in med <namnet>”. Tomt: partens namn."),
    )
    is_active = models.BooleanField(
        _("aktiv"),
        default=True,
        help_text=_("Av: knappen visas inte och ingen kan logga in här."),
    )
    strong_values = models.TextField(
        _("värden för stark autentisering"),
        blank=True,
        help_text=_(
            "acr-värden (OpenID Connect) eller AuthnContextClassRef (SAML) som betyder att "
            "inloggningen var stark, ett per rad. En inloggning med ett av dem räknas som "
            "tvåfaktorsinloggning; annars frågar Samverk efter sin egen andra faktor."
        ),
    )
    role_claim = models.CharField(
        _("anspråk eller attribut för roll"),
        max_length=200,
        blank=True,
        help_text=_(
            "Tomt: inga roller hämtas från inloggningen. Annars namnet på anspråket "
            "(OpenID Connect) eller attributet (SAML) vars värde ger rollerna nedan."
        ),
    )
    caseworker_value = models.CharField(
        _("värde som ger rollen handläggare"),
        max_length=200,
        blank=True,
    )
    coordinator_value = models.CharField(
        _("värde som ger rollen samverkanskoordinator"),
        max_length=200,
        blank=True,
    )
    coordinator_area = models.ForeignKey(
        SamverkArea,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("samverkanskoordinator för"),
        help_text=_("Området som värdet för samverkanskoordinator ger rollen i."),
    )

    class Meta:
        ordering = ["organisation__name", "label"]
        verbose_name = _("organisationens inloggning")
        verbose_name_plural = _("organisationers inloggningar")

    def __str__(self):
        return self.button_label

    def clean(self):
        super().clean()
        errors = {}
        if (self.caseworker_value or self.coordinator_value) and not self.role_claim:
            errors["role_claim"] = _("Ange anspråket eller attributet som värdena står i.")
        if self.coordinator_value and not self.coordinator_area_id:
            errors["coordinator_area"] = _("Ange området som rollen samverkanskoordinator gäller.")
        if errors:
            raise ValidationError(errors)

    @property
    def button_label(self) -> str:
        return self.label or (self.organisation.name if self.organisation_id else "")

    @property
    def protocol(self) -> str:
        """allauth's provider id: "openid_connect" or "saml"."""
        return self.app.provider

    @property
    def strong_value_list(self) -> list[str]:
        return [line.strip() for line in self.strong_values.splitlines() if line.strip()]


class ContactListPdf(models.Model):
    """The area's contact list as a PDF, built by the task worker (parties.tasks) after a
    change to the list and served from MEDIA_ROOT as the last one built (issue 20: a big
    area's 57 pages take WeasyPrint 20 s).

    ``wanted`` counts the changes asked for, ``built`` is the count the stored file was made
    at: the file is behind while ``built < wanted``. ``queued`` is set while a build waits
    in the queue, so that any number of changes (or clicks) before it starts enqueue one.
    The file's name is random: no personal data, no area name.
    """

    area = models.OneToOneField(
        SamverkArea, on_delete=models.CASCADE, related_name="contact_list_pdf"
    )
    file_name = models.CharField(max_length=100, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    build_seconds = models.FloatField(null=True, blank=True)
    wanted = models.PositiveIntegerField(default=1)
    built = models.PositiveIntegerField(default=0)
    queued = models.BooleanField(default=False)
    started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kontaktlista som PDF")
        verbose_name_plural = _("kontaktlistor som PDF")

    def __str__(self):
        return str(self.area)

    @property
    def is_behind(self) -> bool:
        return self.built < self.wanted
