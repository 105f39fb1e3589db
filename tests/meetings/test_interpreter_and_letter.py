"""A tolk is two facts of the meeting, not a participant named after the language, and the
individual who prefers e-mail gets the plain-language letter as the e-mail (issue 16)."""

import importlib
import io
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases.enums import ContactPreference
from cases.models import CaseEvent
from meetings.enums import MeetingAction, ParticipantKind
from meetings.services import invitations
from meetings.services.booking import book_meeting, booking_warnings
from meetings.services.documents import render_individual_letter_pdf
from tests.factories import ConsentFactory, MeetingFactory, ParticipantFactory
from tests.helpers import deliver_all

migration = importlib.import_module("meetings.migrations.0010_answers_interpreter_fields")


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def meeting(case, convener, orgs):
    case.interpreter_language = "arabiska"
    case.save()
    ConsentFactory(
        case=case,
        organisations=list(orgs.values()),
        given_on=timezone.localdate() - timedelta(days=1),
    )
    return MeetingFactory(
        case=case, convened_by=convener, convening_organisation=convener.organisation
    )


def test_a_booking_notes_the_tolk_on_the_meeting_not_as_a_participant(make_booking, orgs):
    booking = make_booking(interpreter_language="arabiska", interpreter_booked=True)
    meeting = book_meeting(booking, accepted={w.code for w in booking_warnings(booking)})
    assert meeting.interpreter_language == "arabiska" and meeting.interpreter_booked
    assert not meeting.participants.filter(kind=ParticipantKind.INTERPRETER).exists()


def test_the_letter_promises_a_tolk_only_once_it_is_booked(meeting, convener):
    assert "Vi har bokat en tolk" not in text_of(render_individual_letter_pdf(meeting))
    invitations.set_interpreter(meeting=meeting, user=convener, language="arabiska", booked=True)
    meeting.refresh_from_db()
    assert "Vi har bokat en tolk på arabiska." in text_of(render_individual_letter_pdf(meeting))


def test_booked_needs_a_language(meeting, convener):
    invitations.set_interpreter(meeting=meeting, user=convener, language="", booked=True)
    meeting.refresh_from_db()
    assert not meeting.interpreter_booked


def test_the_meeting_page_marks_the_tolk_booked(client, meeting, convener):
    client.force_login(convener)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Ärendet säger att tolk på arabiska behövs." in page
    url = reverse("meetings:interpreter", args=[meeting.pk])
    response = client.post(url, {"interpreter_language": "arabiska", "interpreter_booked": "on"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.interpreter_booked and meeting.interpreter_language == "arabiska"
    assert CaseEvent.objects.filter(
        action=MeetingAction.INTERPRETER_CHANGED, user=convener
    ).exists()
    assert "Tolk på arabiska är bokad." in client.get(meeting.get_absolute_url()).content.decode()
    bad = client.post(url, {"interpreter_language": "19811228-9874"})
    assert bad.status_code == 400
    meeting.refresh_from_db()
    assert meeting.interpreter_language == "arabiska"


def test_the_individual_who_prefers_email_gets_the_letter(meeting, case, convener, orgs):
    case.contact_preference = ContactPreference.EMAIL
    case.email = "alva@example.org"
    case.save()
    ParticipantFactory(
        meeting=meeting,
        kind=ParticipantKind.INDIVIDUAL,
        name=case.individual_name,
        email=case.email,
    )
    ParticipantFactory(
        meeting=meeting, kind=ParticipantKind.STAFF, organisation=orgs["af"], email="e@af.example"
    )
    invitations.send_invitations(meeting=meeting, user=convener)
    deliver_all()
    [letter] = [m for m in mail.outbox if case.email in m.to[0]]
    [staff] = [m for m in mail.outbox if "e@af.example" in m.to[0]]
    assert letter.subject.startswith("Välkommen till ett möte")
    assert "Du är välkommen till ett möte om ditt stöd." in letter.body
    assert "Du är kallad till" not in letter.body
    assert "Vi har bokat en tolk" not in letter.body  # needed, not booked
    names = [name for name, _content, _type in letter.attachments]
    assert names == ["brev.pdf", "inbjudan.ics"]
    assert case.personnummer not in letter.body and case.personnummer[2:] not in letter.body
    # The staff still get the kallelse and its PDF.
    assert staff.subject.startswith("Kallelse") and "kallelse.pdf" in [
        name for name, _c, _t in staff.attachments
    ]


def test_old_tolk_rows_named_after_the_language_become_the_meetings_need(meeting, case):
    language_row = ParticipantFactory(
        meeting=meeting, kind=ParticipantKind.INTERPRETER, name="arabiska", email=""
    )
    person = ParticipantFactory(
        meeting=meeting, kind=ParticipantKind.INTERPRETER, name="Tina Tolksson", email=""
    )
    migration.interpreters_to_fields(apps, None)
    meeting.refresh_from_db()
    assert meeting.interpreter_language == "arabiska" and not meeting.interpreter_booked
    assert not type(language_row).objects.filter(pk=language_row.pk).exists()
    assert type(person).objects.filter(pk=person.pk).exists()


def test_the_booking_form_has_the_two_fields(client, case, convener):
    client.force_login(convener)
    page = client.get(reverse("meetings:book", args=[case.pk])).content.decode()
    assert 'name="interpreter_language"' in page and 'name="interpreter_booked"' in page
    assert 'name="interpreter"' not in page
