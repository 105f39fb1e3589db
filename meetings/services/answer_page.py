"""What the answer page (the link in the kallelse, no login) shows of the meeting.

The link may be forwarded, so the page names no individual: Syfte and Frågeställningar are
shown with the individual's name replaced by "den enskilde" and any personnummer redacted
(ical.neutral_text, as in the calendar file), and the convener is named with their contact
details so that whoever holds the link knows whom to ask."""

from dataclasses import dataclass

from ..models import Meeting
from .ical import neutral_text


@dataclass(frozen=True)
class Convener:
    name: str
    title: str
    organisation: str
    email: str
    phone: str


@dataclass(frozen=True)
class PublicDetails:
    purpose: str
    questions: str
    convener: Convener


def public_details(meeting: Meeting) -> PublicDetails:
    case = meeting.case
    user = meeting.convened_by
    convener = Convener(
        name=neutral_text(user.get_full_name() or user.username, case),
        title=user.title,
        organisation=str(meeting.convening_organisation),
        email=user.email,
        phone=user.phone,
    )
    return PublicDetails(
        purpose=neutral_text(meeting.purpose, case),
        questions=neutral_text(meeting.questions, case),
        convener=convener,
    )
