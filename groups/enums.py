from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.enums import Answer


class GroupKind(models.TextChoices):
    STEERING = "styrgrupp", _("Styrgrupp (LSG)")
    WORKING = "arbetsgrupp", _("Arbetsgrupp")
    INDIVIDUAL = "individ", _("Samverk individ")
    OTHER = "annan", _("Annan grupp")


class MemberRole(models.TextChoices):
    MEMBER = "ledamot", _("Ledamot")
    CHAIR = "ordforande", _("Ordförande")
    CONVENER = "sammankallande", _("Sammankallande")
    SECRETARY = "sekreterare", _("Sekreterare")
    ADJUNCT = "adjungerad", _("Adjungerad")


class TurnoutRule(models.TextChoices):
    NONE = "none", _("Inget krav")
    FRACTION = "fraction", _("En andel av ledamöterna")
    PER_PARTY = "per_party", _("Minst en från varje part")


class GroupMeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planerat")
    CANCELLED = "cancelled", _("Inställt")


class CancelReason(models.TextChoices):
    LOW_TURNOUT = "low_turnout", _("Lågt deltagande")
    OTHER = "other", _("Annan anledning")


# The answers to a kallelse are the individual meetings' (meetings.enums.Answer: the same
# values and labels, one definition), without "Deltar via telefon/video": a group
# meeting's video link is in the kallelse, and "Kommer" covers joining through it.
GroupAnswer = models.TextChoices(
    "GroupAnswer",
    [(member.name, (member.value, member.label)) for member in Answer if member != Answer.REMOTE],
)
