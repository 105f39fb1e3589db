"""Meetings of an ärende, who takes part, and the rooms they are held in."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from parties.models import ContactPerson, Organisation, SamverkArea

from .enums import (
    KIND_COLOURS,
    Answer,
    Attendance,
    MeetingKind,
    MeetingStatus,
    ParticipantKind,
    PollChoice,
    PollStatus,
)


def new_answer_key() -> str:
    return secrets.token_urlsafe(32)


def contribution_path(instance, filename):
    """Never a name or a personnummer in the path (the uploaded file's name is dropped):
    only the meeting's id and a random part."""
    return f"skriftligt-underlag/{instance.meeting_id}/{secrets.token_hex(8)}.pdf"


class Room(models.Model):
    """A bookable room; two planned meetings can never hold it at the same time."""

    area = models.ForeignKey(
        SamverkArea,
        on_delete=models.PROTECT,
        related_name="rooms",
        verbose_name=_("Samverk-område"),
    )
    name = models.CharField(_("namn"), max_length=100)
    address = models.CharField(_("adress"), max_length=200, blank=True)

    class Meta:
        ordering = ["area__name", "name"]
        verbose_name = _("mötesrum")
        verbose_name_plural = _("mötesrum")
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="room_name_unique_per_area")
        ]

    def __str__(self):
        return f"{self.name}, {self.address}" if self.address else self.name


KIND_LABELS = dict(MeetingKind.choices)
# The förmöten the dashboard still waits on (its partial indexes).
PLANNED_PREMEETING = Q(kind=MeetingKind.PREMEETING, status=MeetingStatus.PLANNED)


class MeetingQuerySet(models.QuerySet):
    def planned(self):
        return self.filter(status=MeetingStatus.PLANNED)

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def for_user(self, user):
        """Meetings the user convened or is invited to as staff."""
        # A subquery, not a join: a join over all participants needs DISTINCT and gets slow.
        invited = Participant.objects.filter(user=user).values("meeting_id")
        return self.filter(Q(convened_by=user) | Q(pk__in=invited))


class Meeting(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("mötestyp"), max_length=20, choices=MeetingKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        related_name="meetings",
        null=True,
        blank=True,
        verbose_name=_("mötesrum"),
    )
    location = models.CharField(_("plats eller adress"), max_length=200, blank=True)
    remote_link = models.CharField(_("telefon- eller videolänk"), max_length=300, blank=True)
    purpose = models.TextField(_("syfte"))
    questions = models.TextField(_("frågeställningar"))
    convening_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="convened_meetings",
        verbose_name=_("sammankallande part"),
    )
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="convened_meetings",
        verbose_name=_("sammankallande"),
    )
    premeeting = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("förmöte som mötet följer på"),
    )
    accepted_warnings = models.JSONField(_("godkända varningar"), default=list, blank=True)
    oral_consent_at_start = models.BooleanField(
        _("muntligt samtycke inhämtas vid mötets start"), default=False
    )
    # A tolk is noted here, not as a participant: the need (with the language) and whether
    # it is booked; the letter says "Vi har bokat en tolk" only once it is.
    interpreter_language = models.CharField(
        _("tolk behövs (språk)"),
        max_length=100,
        blank=True,
        help_text=_("Lämna tomt om tolk inte behövs."),
    )
    interpreter_booked = models.BooleanField(_("tolken är bokad"), default=False)
    invitations_sent_at = models.DateTimeField(_("kallelse skickad"), null=True, blank=True)
    # Bumped on every change of time or place; the calendar invitation's SEQUENCE.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(_("inställt"), null=True, blank=True)
    cancelled_reason = models.TextField(_("anledning till att mötet ställdes in"), blank=True)
    # Set while the meeting is run ("Genomför mötet").
    chair = models.ForeignKey(
        "Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ordförande"),
    )
    secretary = models.ForeignKey(
        "Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sekreterare"),
    )
    coordinator = models.ForeignKey(
        "Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("samordnare"),
        help_text=_("Håller i fortsatta kontakter och uppföljning."),
    )
    agenda_done = models.JSONField(_("avbockade punkter"), default=list, blank=True)
    started_at = models.DateTimeField(_("mötet startade"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["room", "starts_at"]),
            # The dashboard's "förmöte without follow-up" looks up meetings per ärende by time.
            models.Index(fields=["case", "starts_at"]),
            # "Väntar på svar": the convener's upcoming planned meetings.
            models.Index(fields=["convened_by", "status", "starts_at"]),
            # "Förmöten utan samverkansmöte": the planned förmöten of the user's ärenden,
            # and those the user convened.
            models.Index(
                fields=["case", "starts_at"],
                condition=PLANNED_PREMEETING,
                name="meeting_planned_premeeting",
            ),
            models.Index(
                fields=["convened_by", "starts_at"],
                condition=PLANNED_PREMEETING,
                name="meeting_planned_premeeting_by",
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.get_kind_display()} {local:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    @property
    def length_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def get_kind_display(self) -> str:
        # Django's generated version hashes every choice's lazy label on each call, which
        # long meeting lists felt; this is one dictionary lookup and one translation.
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def colour_class(self) -> str:
        return KIND_COLOURS[self.kind]

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_premeeting(self) -> bool:
        """A förmöte: the parties without the individual (for templates, which would
        otherwise compare with the stored string)."""
        return self.kind == MeetingKind.PREMEETING

    @property
    def place(self) -> str:
        parts = [str(self.room) if self.room_id else "", self.location]
        return ", ".join(p for p in parts if p)


class Participant(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(_("typ"), max_length=20, choices=ParticipantKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    contact_person = models.ForeignKey(
        ContactPerson,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("part"),
    )
    organisation_name = models.CharField(_("organisation"), max_length=150, blank=True)
    name = models.CharField(_("namn"), max_length=150)
    email = models.EmailField(_("e-post"), blank=True)
    note = models.CharField(_("anteckning"), max_length=200, blank=True)
    answer = models.CharField(_("svar"), max_length=20, choices=Answer.choices, default=Answer.NONE)
    answered_at = models.DateTimeField(_("svarade"), null=True, blank=True)
    # With the answer, through the link: for the convener (meeting page, the live meeting).
    answer_comment = models.TextField(_("kommentar till svaret"), blank=True)
    contribution_text = models.TextField(_("skriftligt underlag"), blank=True)
    contribution_file = models.FileField(
        _("skriftligt underlag (PDF)"), upload_to=contribution_path, blank=True
    )
    # Random, stored key behind the signed answer link: the link itself reveals nothing.
    answer_key = models.CharField(
        max_length=43, unique=True, default=new_answer_key, editable=False
    )
    substitute_for = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="substitutes",
        verbose_name=_("ersätter"),
    )
    reminded_at = models.DateTimeField(_("påmind"), null=True, blank=True)
    removed_at = models.DateTimeField(_("borttagen från mötet"), null=True, blank=True)
    attendance = models.CharField(
        _("närvaro"), max_length=20, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "organisation__name", "name"]
        verbose_name = _("deltagare")
        verbose_name_plural = _("deltagare")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="participant_user_once_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["meeting", "contact_person"],
                condition=Q(contact_person__isnull=False),
                name="participant_contact_once_per_meeting",
            ),
        ]
        indexes = [
            # "My meetings" (dashboard, week): the user's meeting ids straight from the index.
            models.Index(fields=["user", "meeting"], name="participant_user_meeting"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def has_answered(self) -> bool:
        return self.answer != Answer.NONE

    @property
    def has_declined(self) -> bool:
        return self.answer == Answer.DECLINED

    @property
    def party_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name


# --- "Föreslå tider": a time poll before the booking (issue 16) ---------------------------


class TimePoll(models.Model):
    """2–6 proposed times for one meeting of an ärende, asked of the people it would invite.

    Holds what the booking will hold but the time; picking a time books the meeting
    (meetings.services.polls.pick_time) and closes the poll. While open, its times hold
    their rooms (meetings.services.booking.check_room_free)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="time_polls")
    status = models.CharField(
        _("status"), max_length=20, choices=PollStatus.choices, default=PollStatus.OPEN
    )
    kind = models.CharField(_("mötestyp"), max_length=20, choices=MeetingKind.choices)
    location = models.CharField(_("plats eller adress"), max_length=200, blank=True)
    remote_link = models.CharField(_("telefon- eller videolänk"), max_length=300, blank=True)
    purpose = models.TextField(_("syfte"))
    questions = models.TextField(_("frågeställningar"))
    convening_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sammankallande part"),
    )
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="convened_polls",
        verbose_name=_("sammankallande"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    premeeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer_by = models.DateField(_("svara senast"))
    # The meeting booked from it: one, however often "Välj" is clicked.
    meeting = models.OneToOneField(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="poll"
    )
    cancelled_reason = models.TextField(_("anledning"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("förfrågan om tider")
        verbose_name_plural = _("förfrågningar om tider")
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self):
        return _("Föreslagna tider för %(kind)s") % {"kind": self.get_kind_display()}

    def get_absolute_url(self):
        return reverse("meetings:poll", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == PollStatus.OPEN


class PollTime(models.Model):
    poll = models.ForeignKey(TimePoll, on_delete=models.CASCADE, related_name="times")
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="poll_times"
    )
    # The guidelines the convener accepted for this time when proposing it.
    accepted_warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="poll_time_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["room", "starts_at"])]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{local:%Y-%m-%d %H:%M}"


class PollInvitee(models.Model):
    """One person the meeting would invite; asked (``asked``) unless it is the convener,
    someone without e-mail, or the individual the convener chose not to ask."""

    poll = models.ForeignKey(TimePoll, on_delete=models.CASCADE, related_name="invitees")
    kind = models.CharField(_("typ"), max_length=20, choices=ParticipantKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_person = models.ForeignKey(
        ContactPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation_name = models.CharField(_("organisation"), max_length=150, blank=True)
    name = models.CharField(_("namn"), max_length=150)
    email = models.EmailField(_("e-post"), blank=True)
    note = models.CharField(_("anteckning"), max_length=200, blank=True)
    convenes = models.BooleanField(default=False)
    asked = models.BooleanField(default=True)
    # The individual and the only one of a party: marked in the grid.
    is_key = models.BooleanField(default=False)
    # Random, stored key behind the signed link, as Participant.answer_key.
    answer_key = models.CharField(
        max_length=43, unique=True, default=new_answer_key, editable=False
    )
    comment = models.TextField(_("kommentar"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name

    @property
    def party_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name


class PollAnswer(models.Model):
    invitee = models.ForeignKey(PollInvitee, on_delete=models.CASCADE, related_name="answers")
    time = models.ForeignKey(PollTime, on_delete=models.CASCADE, related_name="answers")
    choice = models.CharField(_("svar"), max_length=20, choices=PollChoice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invitee", "time"], name="poll_answer_once_per_time")
        ]

    def __str__(self):
        return self.get_choice_display()


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A user's subscription to their meetings ("Prenumerera på mina möten"): the secret in
    the feed's address. Renewing gives a new token, and the old address stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=43, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        verbose_name = _("kalenderprenumeration")
        verbose_name_plural = _("kalenderprenumerationer")

    def __str__(self):
        return str(self.user)
