from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Öppet")
    CLOSED = "closed", _("Avslutat")


class ContactPreference(models.TextChoices):
    LETTER = "letter", _("Brev")
    PHONE = "phone", _("Telefon")
    EMAIL = "email", _("E-post")
    SMS = "sms", _("SMS")


class CaseAction(models.TextChoices):
    """Audit action types (the string stored on CaseEvent.action)."""

    CREATED = "case.created", _("Ärendet skapades")
    VIEWED = "case.viewed", _("Ärendet visades")
    CHANGED = "case.changed", _("Ärendet ändrades")
    CLOSED = "case.closed", _("Ärendet avslutades")
    REOPENED = "case.reopened", _("Ärendet öppnades igen")
    PERSONNUMMER_SHOWN = "case.personnummer_shown", _("Personnumret visades")
    CONSENT_RECORDED = "consent.recorded", _("Samtycke registrerades")
    CONSENT_REVOKED = "consent.revoked", _("Samtycke återkallades")
    CONSENT_VIEWED = "consent.viewed", _("Samtycken visades")
    CONSENT_DOCUMENT_VIEWED = "consent.document_viewed", _("Samtyckesdokument öppnades")
    MEETING_BOOKED = "meeting.booked", _("Möte bokades")
    MEETING_RESCHEDULED = "meeting.rescheduled", _("Möte flyttades")
    MEETING_CANCELLED = "meeting.cancelled", _("Möte ställdes in")
    MEETING_VIEWED = "meeting.viewed", _("Möte visades")
    INVITATIONS_SENT = "meeting.invitations_sent", _("Kallelse skickades")
    PARTICIPANT_ADDED = "meeting.participant_added", _("Deltagare lades till")
    PARTICIPANT_REMOVED = "meeting.participant_removed", _("Deltagare togs bort")
    ANSWERED = "meeting.answered", _("Deltagare svarade på kallelsen")
    CASEWORKER_NAMED = "meeting.caseworker_named", _("Kontaktperson anmälde handläggare")
    ATTENDANCE_CHANGED = "meeting.attendance", _("Närvaro registrerades")
    ROLES_CHANGED = "meeting.roles", _("Mötesroller ändrades")
    ORAL_CONSENT = "consent.oral_at_meeting", _("Muntligt samtycke togs vid mötet")
    MEETING_STARTED = "meeting.started", _("Mötet startades")
    AGENDA_CHANGED = "meeting.agenda", _("Punkt på mötets checklista bockades av eller ångrades")
