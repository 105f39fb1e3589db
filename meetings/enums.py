from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingAction(models.TextChoices):
    """Audit action types written to the ärende's log (CaseEvent.action); registered with
    cases.audit in MeetingsConfig.ready()."""

    BOOKED = "meeting.booked", _("Möte bokades")
    RESCHEDULED = "meeting.rescheduled", _("Möte flyttades")
    CANCELLED = "meeting.cancelled", _("Möte ställdes in")
    VIEWED = "meeting.viewed", _("Möte visades")
    INVITATIONS_SENT = "meeting.invitations_sent", _("Kallelse skickades")
    INVITATION_RESENT = "meeting.invitation_resent", _("Kallelse skickades igen till en deltagare")
    PARTICIPANT_ADDED = "meeting.participant_added", _("Deltagare lades till")
    PARTICIPANT_REMOVED = "meeting.participant_removed", _("Deltagare togs bort")
    ANSWERED = "meeting.answered", _("Deltagare svarade på kallelsen")
    REMINDED = "meeting.reminded", _("Deltagare påmindes om kallelsen")
    INTERPRETER_CHANGED = "meeting.interpreter", _("Uppgifter om tolk ändrades")
    CASEWORKER_NAMED = "meeting.caseworker_named", _("Kontaktperson anmälde handläggare")
    ATTENDANCE_CHANGED = "meeting.attendance", _("Närvaro registrerades")
    ROLES_CHANGED = "meeting.roles", _("Mötesroller ändrades")
    # Written by the run page next to consent's own "consent.recorded"; the stored string
    # keeps the prefix it was first written with.
    ORAL_CONSENT = "consent.oral_at_meeting", _("Muntligt samtycke togs vid mötet")
    STARTED = "meeting.started", _("Mötet startades")
    AGENDA_CHANGED = "meeting.agenda", _("Punkt på mötets checklista bockades av eller ångrades")
    # "Föreslå tider" (issue 16)
    POLL_CREATED = "meeting.poll_created", _("Tider föreslogs")
    POLL_ANSWERED = "meeting.poll_answered", _("Svar på föreslagna tider")
    POLL_PICKED = "meeting.poll_picked", _("Tid valdes bland de föreslagna")
    POLL_CANCELLED = "meeting.poll_cancelled", _("Förfrågan om tider avbröts")
    POLL_REMINDED = "meeting.poll_reminded", _("Påminnelse om föreslagna tider")
    POLL_VIEWED = "meeting.poll_viewed", _("Svaren på föreslagna tider visades")


class MeetingKind(models.TextChoices):
    PREMEETING = "formote", _("Förmöte")
    COLLABORATION = "samverkansmote", _("Samverkansmöte")
    SIP = "sip", _("SIP (samordnad individuell plan)")
    CHECKPOINT = "avstamningsmote", _("Avstämningsmöte")
    HANDOVER = "overlamningsmote", _("Överlämningsmöte")
    CLOSING = "avslutningsmote", _("Avslutningsmöte")

    @classmethod
    def with_individual(cls):
        """Every kind but the förmöte has the individual present."""
        return [kind for kind in cls if kind != cls.PREMEETING]


# Colour per kind in calendars; always shown together with the kind's name.
KIND_COLOURS = {
    MeetingKind.PREMEETING: "kind-premeeting",
    MeetingKind.COLLABORATION: "kind-collaboration",
    MeetingKind.SIP: "kind-sip",
    MeetingKind.CHECKPOINT: "kind-checkpoint",
    MeetingKind.HANDOVER: "kind-handover",
    MeetingKind.CLOSING: "kind-closing",
}


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planerat")
    CANCELLED = "cancelled", _("Inställt")


class ParticipantKind(models.TextChoices):
    STAFF = "staff", _("Personal (användare)")
    CONTACT = "contact", _("Kontaktperson")
    EXTERNAL = "external", _("Annan person")
    INDIVIDUAL = "individual", _("Den enskilde")
    SUPPORT_PERSON = "support", _("Stödperson")
    INTERPRETER = "interpreter", _("Tolk")


class Answer(models.TextChoices):
    NONE = "none", _("Har inte svarat")
    ATTENDING = "attending", _("Kommer")
    REMOTE = "remote", _("Deltar via telefon/video")
    DECLINED = "declined", _("Kommer inte")
    SUBSTITUTE = "substitute", _("Skickar ersättare")


class Attendance(models.TextChoices):
    """Who is actually there, registered by the mötesledare during the meeting."""

    UNKNOWN = "unknown", _("Ej registrerad")
    PRESENT = "present", _("Närvarande")
    REMOTE = "remote", _("Deltar via telefon/video")
    ABSENT = "absent", _("Frånvarande")
    EXCUSED = "excused", _("Anmält förhinder")

    @classmethod
    def taking_part(cls):
        """Those who may hold a role at the meeting: in the room or on the line."""
        return [cls.PRESENT, cls.REMOTE]


class AgendaItem(models.TextChoices):
    """The mötesledare's checklist during the meeting (Samverk Sävsjö, "Under mötet")."""

    PRESENTATIONS = "presentations", _("Presentationsrunda: namn, arbetsplats och roll i ärendet")
    MISSING = "missing", _("Redovisa om någon saknas")
    PURPOSE = "purpose", _("Presentera syftet med mötet")
    TIME = "time", _("Påminn om tiden")
    PLAN = "plan", _("Skriv handlingsplan: mål, delmål och tid för uppföljning")
    SUMMARY = "summary", _("Sammanfatta vad som sagts och beslutats")
    FOLLOW_UP = "follow_up", _("Boka ny tid för uppföljning")


class PollStatus(models.TextChoices):
    OPEN = "open", _("Väntar på svar")
    PICKED = "picked", _("Tid vald")
    CANCELLED = "cancelled", _("Avbruten")


class PollChoice(models.TextChoices):
    """One person's answer for one proposed time."""

    YES = "yes", _("Passar")
    IF_NEEDED = "if_needed", _("Passar om det behövs")
    NO = "no", _("Passar inte")
