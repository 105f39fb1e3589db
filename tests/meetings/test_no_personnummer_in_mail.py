"""Nothing that leaves by e-mail contains a personnummer: subject, body, headers,
attachments (PDF text extracted with pypdf) and the calendar file."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from meetings.services import booking, invitations
from tests.factories import ConsentFactory, MeetingFactory, ParticipantFactory
from tests.helpers import PNR, PNR_FORMS, deliver_all, outgoing_text


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_no_personnummer_in_anything_sent(case, convener, orgs):
    case.personnummer = PNR
    case.email, case.contact_preference = "alva@example.se", "email"
    case.save()
    ConsentFactory(case=case, organisations=list(orgs.values()), given_on=timezone.localdate())
    meeting = MeetingFactory(
        case=case, convened_by=convener, convening_organisation=convener.organisation
    )
    ParticipantFactory(
        meeting=meeting, kind="external", organisation=orgs["af"], name="Anna", email="a@af.example"
    )
    ParticipantFactory(
        meeting=meeting, kind="individual", name=case.individual_name, email=case.email
    )
    invitations.send_invitations(meeting=meeting, user=convener)
    deliver_all()
    booking.reschedule_meeting(
        meeting=meeting,
        user=convener,
        starts_at=meeting.starts_at + timedelta(days=2),
        ends_at=meeting.ends_at + timedelta(days=2),
        location="Annan plats",
        accepted={"*"},
    )
    # Sent before the cancellation: an update still queued then is superseded, never sent.
    deliver_all()
    booking.cancel_meeting(meeting=meeting, user=convener, reason="Krockar")
    deliver_all()
    assert len(mail.outbox) == 6
    for message in mail.outbox:
        text = outgoing_text(message)
        # The individual (who prefers e-mail) gets the letter, the staff the kallelse (issue 16).
        pdf = "brev.pdf" if case.email in message.to[0] else "kallelse.pdf"
        assert pdf in str([a[0] for a in message.attachments]), message.subject
        for form in PNR_FORMS[:4]:
            assert form not in text, (message.subject, form)
