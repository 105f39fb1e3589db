"""The Samverk area's own groups (styrgrupp/LSG, arbetsgrupp, Samverk individ, other),
their members (the roster), their meetings with agenda items, answers, minnesanteckningar
and uppdrag. No individual's data lives here: the people are the parties' staff."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parties.models import ContactPerson, Organisation, SamverkArea, Unit

from .enums import (
    CancelReason,
    GroupAnswer,
    GroupKind,
    GroupMeetingStatus,
    MemberRole,
    TurnoutRule,
)

# A minnesanteckning per agenda item (notes, decisions) is a long paragraph or two.
NOTES_MAX = 10_000
# The agenda item's text fields saved on their own by the autosave, each with its version.
ITEM_TEXT_FIELDS = ["notes", "decisions"]


def new_key() -> str:
    return secrets.token_urlsafe(32)


class Group(models.Model):
    area = models.ForeignKey(
        SamverkArea, on_delete=models.CASCADE, related_name="groups", verbose_name=_("område")
    )
    kind = models.CharField(_("typ av grupp"), max_length=20, choices=GroupKind.choices)
    name = models.CharField(
        _("namn"),
        max_length=150,
        blank=True,
        help_text=_("Krävs för en annan grupp; annars visas typen om namnet är tomt."),
    )
    turnout_rule = models.CharField(
        _("krav på deltagande"),
        max_length=20,
        choices=TurnoutRule.choices,
        default=TurnoutRule.NONE,
    )
    turnout_percent = models.PositiveSmallIntegerField(
        _("andel ledamöter som måste komma (procent)"), default=50
    )
    members_confirmed_on = models.DateField(_("senast bekräftad"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grupp")
        verbose_name_plural = _("grupper")
        ordering = ["area__name", "kind", "name"]

    def __str__(self):
        return f"{self.label}, {self.area.name}"

    def get_absolute_url(self):
        return reverse("groups:detail", args=[self.pk])

    @property
    def label(self) -> str:
        return self.name or self.get_kind_display()


class GroupMember(models.Model):
    """One person on the roster: a user, a contact person or just a name, with their party."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name=_("användare"),
    )
    contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kontaktperson"),
    )
    name = models.CharField(_("namn"), max_length=150)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("part")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enhet"),
    )
    role = models.CharField(
        _("roll i gruppen"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    joined_on = models.DateField(_("med sedan"), null=True, blank=True)
    left_on = models.DateField(_("slutade"), null=True, blank=True)
    rotation_order = models.PositiveSmallIntegerField(
        _("ordning för att sammankalla"),
        null=True,
        blank=True,
        help_text=_("Lämna tomt för den som inte ingår i turordningen."),
    )
    # The member's consent to be named on the area's public page (areaplans' /omrade/<slug>/);
    # without it only the party is shown there. (The label avoids the word "namn": the
    # member form's Namn field is found by its label.)
    name_public = models.BooleanField(
        _("Samtycker till att synas på områdets offentliga sida"),
        default=False,
        help_text=_(
            "Namnet får visas på områdets offentliga sida, bara om medlemmen har sagt ja. "
            "Annars visas bara parten."
        ),
    )

    class Meta:
        verbose_name = _("gruppmedlem")
        verbose_name_plural = _("gruppmedlemmar")
        ordering = ["group", "organisation__name", "name"]
        indexes = [models.Index(fields=["user", "group"], name="groupmember_user_idx")]

    def __str__(self):
        return f"{self.name} ({self.organisation.name})"


class GroupMeeting(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    place = models.CharField(_("plats"), max_length=200, blank=True)
    remote_link = models.URLField(_("videolänk"), max_length=500, blank=True)
    convener = models.ForeignKey(
        GroupMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="convened_meetings",
        verbose_name=_("sammankallande"),
    )
    status = models.CharField(
        max_length=20, choices=GroupMeetingStatus.choices, default=GroupMeetingStatus.PLANNED
    )
    # The calendar entry's SEQUENCE: raised for every update and the cancellation.
    sequence = models.PositiveIntegerField(default=0)
    invitations_sent_at = models.DateTimeField(_("kallelse skickad"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("inställt"), null=True, blank=True)
    cancel_reason = models.CharField(
        _("anledning"), max_length=20, choices=CancelReason.choices, blank=True
    )
    cancel_note = models.TextField(_("kommentar till inställningen"), blank=True)
    # Fastställda minnesanteckningar: when and by whom, and when they were sent.
    notes_frozen_at = models.DateTimeField(_("fastställda"), null=True, blank=True)
    notes_frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes_sent_at = models.DateTimeField(_("skickade"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gruppmöte")
        verbose_name_plural = _("gruppmöten")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["group", "starts_at"], name="groupmeeting_group_idx")]

    def __str__(self):
        return f"{self.group.label} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("groups:meeting", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == GroupMeetingStatus.CANCELLED


class AgendaItem(models.Model):
    meeting = models.ForeignKey(GroupMeeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("punkt"), max_length=200)
    presenter = models.CharField(_("föredragande"), max_length=150, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minuter"), null=True, blank=True)
    notes = models.TextField(_("anteckningar"), blank=True)
    decisions = models.TextField(_("beslut"), blank=True)
    # Autosave: each of ITEM_TEXT_FIELDS has its own version; revision guards the row.
    field_versions = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("dagordningspunkt")
        verbose_name_plural = _("dagordningspunkter")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.title


def background_path(instance, filename):
    """Never the uploaded name in the path: the meeting's id and a random part."""
    return f"gruppmoten/{instance.item.meeting_id}/{secrets.token_hex(8)}.pdf"


class AgendaAttachment(models.Model):
    """Background material (PDF) for one agenda item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("bakgrundsmaterial (PDF)"), upload_to=background_path)
    filename = models.CharField(_("filnamn"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "pk"]

    def __str__(self):
        return self.filename


class GroupAttendee(models.Model):
    """A member invited to one meeting: the answer through the link, and attendance."""

    meeting = models.ForeignKey(GroupMeeting, on_delete=models.CASCADE, related_name="attendees")
    member = models.ForeignKey(
        GroupMember, on_delete=models.SET_NULL, null=True, related_name="attendances"
    )
    name = models.CharField(_("namn"), max_length=150)
    email = models.EmailField(_("e-post"), blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("part")
    )
    answer = models.CharField(
        _("svar"), max_length=20, choices=GroupAnswer.choices, default=GroupAnswer.NONE
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    substitute_name = models.CharField(_("ersättare"), max_length=150, blank=True)
    substitute_email = models.EmailField(_("ersättarens e-post"), blank=True)
    attended = models.BooleanField(_("närvarande"), null=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answer_key = models.CharField(max_length=43, unique=True, default=new_key, editable=False)

    class Meta:
        ordering = ["meeting", "organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="groupattendee_once_per_meeting"
            )
        ]

    def __str__(self):
        return self.name


class Assignment(models.Model):
    """An uppdrag given at a group meeting: what, who, by when; open until done."""

    meeting = models.ForeignKey(GroupMeeting, on_delete=models.CASCADE, related_name="assignments")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments"
    )
    what = models.TextField(_("uppdrag"))
    owner = models.ForeignKey(
        GroupMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("ansvarig"),
    )
    owner_name = models.CharField(_("ansvarig (namn)"), max_length=150, blank=True)
    due_on = models.DateField(_("klart senast"), null=True, blank=True)
    done_on = models.DateField(_("klart"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.what[:60]

    @property
    def owner_display(self) -> str:
        return self.owner.name if self.owner_id else self.owner_name


class MinutesVersion(models.Model):
    """The minnesanteckningar as fastställda: a snapshot per freeze, numbered."""

    meeting = models.ForeignKey(GroupMeeting, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    snapshot = models.JSONField()
    frozen_at = models.DateTimeField()
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutesversion_once")
        ]

    def __str__(self):
        return f"{self.meeting} v{self.number}"
