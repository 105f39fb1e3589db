"""Printable documents of a meeting: the kallelse (one per participant) and the
letter to the individual, both A4 PDFs from HTML templates with print CSS.

The kallelse travels as an e-mail attachment, so it carries the individual's
name only: never the personnummer, address or phone. Free text typed by staff
(syfte, frågeställningar, plats, anledning) is scrubbed of anything that is a valid
personnummer (cases.personnummer.redact), and so is the whole rendered page on its
way to the PDF (common.pdf.html_to_pdf), whatever field a number hides in.

WeasyPrint is heavy to import and slow to run: it is imported lazily, and the
mail worker (not the request that queues a kallelse) renders attachments.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.personnummer import redact
from common.pdf import html_to_pdf

from ..enums import MeetingKind, ParticipantKind
from ..models import Meeting, Participant

INVITATION_TEMPLATE = "meetings/pdf/invitation.html"
LETTER_TEMPLATE = "meetings/pdf/letter.html"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
REPLY_DAYS_BEFORE = 7

# "Förbered" on the kallelse: what each party should bring, per kind of meeting.
PREPARATION = {
    MeetingKind.PREMEETING: gettext_lazy(
        "Fundera på vad din verksamhet kan bidra med och vilka frågor som behöver redas ut "
        "innan samverkansmötet med den enskilde."
    ),
    MeetingKind.COLLABORATION: gettext_lazy(
        "Ta med det din verksamhet vet om den enskildes behov och vad ni kan erbjuda. "
        "Förbered svar på frågeställningarna."
    ),
    MeetingKind.SIP: gettext_lazy("Ta med aktuella planer och beslut från din verksamhet."),
    MeetingKind.CHECKPOINT: gettext_lazy(
        "Ta med den gällande planen och vad som har hänt i din verksamhets insatser sedan "
        "förra mötet."
    ),
    MeetingKind.HANDOVER: gettext_lazy(
        "Ta med det den som tar över behöver veta: pågående insatser, beslut och kontaktvägar."
    ),
    MeetingKind.CLOSING: gettext_lazy(
        "Ta med vad insatserna har lett till och vad som behöver finnas kvar efter "
        "avslutet, och var beredd att svara på vem som tar vid."
    ),
}

# The letter to the individual: what the meeting is, in plain words.
KIND_FOR_INDIVIDUAL = {
    MeetingKind.PREMEETING: gettext_lazy(
        "Det här är ett förmöte. Då träffas bara personalen, utan dig. Du har sagt ja till att "
        "vi träffas utan dig. Efter förmötet får du en kallelse till ett möte där du är med."
    ),
    MeetingKind.COLLABORATION: gettext_lazy(
        "Det här är ett samverkansmöte. Där träffas du och personal från flera verksamheter. "
        "Vi pratar om hur vi tillsammans kan hjälpa dig."
    ),
    MeetingKind.SIP: gettext_lazy(
        "Det här är ett SIP-möte. SIP betyder samordnad individuell plan. Vi gör en plan "
        "tillsammans med dig. Planen visar vem som gör vad."
    ),
    MeetingKind.CHECKPOINT: gettext_lazy(
        "Det här är ett avstämningsmöte. Vi går igenom din plan tillsammans. "
        "Vi pratar om vad som har gått bra och vad som behöver ändras."
    ),
    MeetingKind.HANDOVER: gettext_lazy(
        "Det här är ett överlämningsmöte. Någon ny ska ta över en del av ditt stöd. "
        "På mötet får du träffa dem."
    ),
    MeetingKind.CLOSING: gettext_lazy(
        "Det här är ett avslutningsmöte. Ett stöd du har haft ska sluta. "
        "Vi pratar om hur det har gått och vem du kan vända dig till efteråt."
    ),
}


def reply_by(meeting: Meeting, today: date | None = None) -> date:
    """ "Svara senast": a week before the meeting, but never earlier than tomorrow
    (nobody can answer yesterday) and never after the meeting day itself."""
    today = today or timezone.localdate(timezone=STOCKHOLM)
    meeting_day = timezone.localtime(meeting.starts_at, STOCKHOLM).date()
    day = max(meeting_day - timedelta(days=REPLY_DAYS_BEFORE), today + timedelta(days=1))
    return min(day, meeting_day)


# --- Context ---------------------------------------------------------------------


@dataclass
class PersonLine:
    role: str  # "", "den enskilde", "tolk", "stödperson"
    name: str
    party: str


def _people(meeting: Meeting) -> list[Participant]:
    return list(meeting.participants.filter(removed_at__isnull=True).select_related("organisation"))


def _person_lines(people: list[Participant], *, with_individual: bool = True) -> list[PersonLine]:
    roles = {
        ParticipantKind.INDIVIDUAL: _("den enskilde"),
        ParticipantKind.INTERPRETER: _("tolk"),
        ParticipantKind.SUPPORT_PERSON: _("stödperson"),
    }
    order = {ParticipantKind.INDIVIDUAL: 0, ParticipantKind.SUPPORT_PERSON: 1}
    lines = [
        (order.get(p.kind, 2), PersonLine(roles.get(p.kind, ""), p.name, p.party_name))
        for p in people
        if with_individual or p.kind != ParticipantKind.INDIVIDUAL
    ]
    return [line for _order, line in sorted(lines, key=lambda pair: pair[0])]


def interpreter_language(meeting: Meeting) -> str:
    """The language a tolk is needed in: the meeting's, else what the ärende says."""
    return meeting.interpreter_language or meeting.case.interpreter_language


def interpreter_booked(meeting: Meeting, people: list[Participant] | None = None) -> bool:
    """A tolk is booked: marked so on the meeting, or a tolk is on it by name."""
    if meeting.interpreter_booked:
        return True
    if people is None:
        people = _people(meeting)
    return any(p.kind == ParticipantKind.INTERPRETER for p in people)


def _support_notes(meeting: Meeting, people: list[Participant]) -> list[str]:
    """ "Tolk / stödperson": who is booked, and what is needed."""
    interpreters = [p.name for p in people if p.kind == ParticipantKind.INTERPRETER]
    supports = [p.name for p in people if p.kind == ParticipantKind.SUPPORT_PERSON]
    case = meeting.case
    notes = []
    language = interpreter_language(meeting)
    if language:
        note = _("Tolk på %(language)s") % {"language": language}
        if interpreters:
            notes.append(f"{note}: {', '.join(interpreters)}")
        elif meeting.interpreter_booked:
            notes.append(f"{note} – {_('bokad')}")
        else:
            notes.append(f"{note} – {_('bokas av sammankallande')}")
    elif interpreters:
        notes.append(_("Tolk: %(names)s") % {"names": ", ".join(interpreters)})
    if supports:
        notes.append(_("Stödperson: %(names)s") % {"names": ", ".join(supports)})
    elif case.needs_support_person and meeting.kind != MeetingKind.PREMEETING:
        notes.append(_("Den enskilde vill ha en stödperson med."))
    return notes or [_("Ingen tolk eller stödperson är anmäld.")]


def _convener(meeting: Meeting) -> dict:
    user = meeting.convened_by
    return {
        "name": user.get_full_name() or user.username,
        "title": user.title,
        "organisation": meeting.convening_organisation.name,
        "phone": user.phone,
        "email": user.email,
    }


def _common(meeting: Meeting, people: list[Participant]) -> dict:
    return {
        "meeting": meeting,
        "kind": meeting.get_kind_display(),
        "starts": timezone.localtime(meeting.starts_at, STOCKHOLM),
        "ends": timezone.localtime(meeting.ends_at, STOCKHOLM),
        "room": meeting.room,
        "location": redact(meeting.location),
        "remote_link": redact(meeting.remote_link),
        "purpose": redact(meeting.purpose),
        "questions": redact(meeting.questions),
        "cancelled_reason": redact(meeting.cancelled_reason),
        "convener": _convener(meeting),
        "reply_by": reply_by(meeting),
        "support_notes": _support_notes(meeting, people),
        "is_premeeting": meeting.kind == MeetingKind.PREMEETING,
    }


def invitation_html(meeting: Meeting, participant: Participant | None = None) -> str:
    """The kallelse as HTML; for one participant, or addressed to all when None."""
    with translation.override(settings.LANGUAGE_CODE), timezone.override(STOCKHOLM):
        people = _people(meeting)
        context = _common(meeting, people) | {
            "recipient": participant,
            "individual_name": meeting.case.individual_name,
            "people": _person_lines(people),
            "preparation": PREPARATION.get(meeting.kind, ""),
        }
        return render_to_string(INVITATION_TEMPLATE, context)


def letter_html(meeting: Meeting) -> str:
    """The letter to the individual, for a window envelope."""
    with translation.override(settings.LANGUAGE_CODE), timezone.override(STOCKHOLM):
        return render_to_string(LETTER_TEMPLATE, letter_context(meeting))


def letter_context(meeting: Meeting) -> dict:
    """What the letter to the individual says: the PDF's, and the e-mail's to an
    individual who prefers e-mail (invitations._queue)."""
    case = meeting.case
    with translation.override(settings.LANGUAGE_CODE), timezone.override(STOCKHOLM):
        people = _people(meeting)
        return _common(meeting, people) | {
            "case": case,
            "address_lines": [line.strip() for line in case.address.splitlines() if line.strip()],
            "people": _person_lines(people, with_individual=False),
            "explanation": KIND_FOR_INDIVIDUAL.get(meeting.kind, ""),
            # "Vi har bokat en tolk" only once it is booked (issue 16).
            "has_interpreter": bool(interpreter_language(meeting))
            and interpreter_booked(meeting, people),
            "interpreter_language": interpreter_language(meeting),
            "printed_on": timezone.localdate(timezone=STOCKHOLM),
        }


# --- PDF -------------------------------------------------------------------------


def render_invitation_pdf(participant: Participant) -> bytes:
    """The kallelse to one participant, as an A4 PDF."""
    return html_to_pdf(invitation_html(participant.meeting, participant))


def render_general_invitation_pdf(meeting: Meeting) -> bytes:
    """The kallelse addressed to all participants ("Till: deltagarna"), as an A4 PDF."""
    return html_to_pdf(invitation_html(meeting))


def render_individual_letter_pdf(meeting: Meeting) -> bytes:
    """The letter to the individual, to print and post in a C5/DL window envelope."""
    return html_to_pdf(letter_html(meeting))
