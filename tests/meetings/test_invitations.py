"""Skicka kallelse: consent gate, one message per participant, updates, cancellations, reminders."""

from datetime import timedelta
from email.utils import parseaddr

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.enums import Answer
from meetings.services import booking, invitations
from outbox.enums import MessageState
from outbox.models import OutboundMessage
from tests.factories import ConsentFactory, ContactPersonFactory, MeetingFactory, ParticipantFactory
from tests.helpers import deliver_all


def to(message) -> str:
    return parseaddr(message.to[0])[1]


def ics(message) -> str:
    content = message.attachments[1][1]
    return content.decode() if isinstance(content, bytes) else content


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def meeting(case, convener, orgs):
    meeting = MeetingFactory(
        case=case, convened_by=convener, convening_organisation=convener.organisation
    )
    ParticipantFactory(
        meeting=meeting,
        kind="staff",
        user=convener,
        organisation=convener.organisation,
        name=str(convener),
        email=convener.email,
    )
    contact = ContactPersonFactory(area=case.area, organisation=orgs["af"], name="Anna Arbete")
    ParticipantFactory(
        meeting=meeting,
        kind="contact",
        contact_person=contact,
        organisation=orgs["af"],
        name=contact.name,
        email=contact.email,
    )
    ParticipantFactory(
        meeting=meeting,
        kind="external",
        organisation=orgs["vc"],
        name="Vera Vård",
        email="vera@rjl.example",
    )
    ParticipantFactory(meeting=meeting, kind="individual", name=case.individual_name, email="")
    return meeting


@pytest.fixture
def covered(case, orgs):
    return ConsentFactory(
        case=case,
        organisations=list(orgs.values()),
        given_on=timezone.localdate() - timedelta(days=1),
    )


def test_sending_is_refused_without_consent_and_saves_nothing(meeting, convener):
    with pytest.raises(ValidationError, match="Samtycke saknas"):
        invitations.send_invitations(meeting=meeting, user=convener)
    assert OutboundMessage.objects.count() == 0
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is None


def test_oral_consent_at_start_allows_sending_and_is_recorded(meeting, convener):
    count = invitations.send_invitations(meeting=meeting, user=convener, oral_consent_at_start=True)
    assert count == 2
    meeting.refresh_from_db()
    assert meeting.oral_consent_at_start and meeting.invitations_sent_at


def test_one_message_per_participant_with_pdf_and_calendar(meeting, convener, covered):
    invitations.send_invitations(meeting=meeting, user=convener)
    deliver_all()
    assert sorted(to(m) for m in mail.outbox) == sorted(
        meeting.participants.exclude(user=convener)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    message = mail.outbox[0]
    names = [a[0] for a in message.attachments]
    assert names == ["kallelse.pdf", "inbjudan.ics"]
    assert message.attachments[1][2].startswith("text/calendar")
    assert "METHOD:REQUEST" in ics(message)
    assert message.reply_to == [convener.email]
    assert "/svar/" in message.body


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_the_calendar_part_names_its_charset_once(meeting, convener, covered, method):
    invitations.send_invitations(meeting=meeting, user=convener)
    if method == "CANCEL":
        deliver_all()
        mail.outbox.clear()
        booking.cancel_meeting(meeting=meeting, user=convener, reason="Sjukdom")
    deliver_all()
    raw = mail.outbox[0].message()
    (part,) = [p for p in raw.walk() if p.get_content_type() == "text/calendar"]
    # Was: text/calendar; method="REQUEST"; charset="utf-8"; charset="utf-8"
    assert part["Content-Type"].lower().count("charset") == 1, part["Content-Type"]
    assert part.get_content_charset() == "utf-8" and part.get_param("method") == method
    assert part.get_filename() == "inbjudan.ics"
    assert f"METHOD:{method}" in part.get_payload(decode=True).decode()


def test_contact_person_gets_a_link_to_name_the_caseworker(meeting, convener, covered):
    invitations.send_invitations(meeting=meeting, user=convener)
    deliver_all()
    anna = next(m for m in mail.outbox if to(m).startswith("kontakt"))
    assert "/anmal-handlaggare/" in anna.body
    vera = next(m for m in mail.outbox if to(m) == "vera@rjl.example")
    assert "/anmal-handlaggare/" not in vera.body


def test_the_individual_gets_email_only_if_they_asked_for_it(meeting, convener, covered, case):
    case.email, case.contact_preference = "alva@example.se", "email"
    case.save()
    meeting.participants.filter(kind="individual").update(email="alva@example.se")
    invitations.send_invitations(meeting=meeting, user=convener)
    deliver_all()
    assert "alva@example.se" in [to(m) for m in mail.outbox]


def test_meeting_page_shows_each_message_state(client_for, meeting, convener, covered):
    client = client_for(convener)
    response = client.post(reverse("meetings:send_invitations", args=[meeting.pk]))
    assert response.status_code == 302
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert page.count("Köad") == 2
    deliver_all()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert page.count("Skickad") >= 2


def test_send_page_without_consent_shows_the_reason(client_for, meeting, convener):
    response = client_for(convener).post(reverse("meetings:send_invitations", args=[meeting.pk]))
    assert response.status_code == 400
    assert "Samtycke saknas" in response.content.decode()
    assert OutboundMessage.objects.count() == 0


def test_sending_returns_before_rendering(
    meeting, convener, covered, django_assert_max_num_queries
):
    """The request only queues rows; no PDF is rendered until the worker sends."""
    invitations.send_invitations(meeting=meeting, user=convener)
    assert OutboundMessage.objects.filter(state=MessageState.QUEUED).count() == 2
    assert mail.outbox == []


def test_reschedule_sends_an_update_with_same_uid_and_higher_sequence(meeting, convener, covered):
    invitations.send_invitations(meeting=meeting, user=convener)
    deliver_all()
    first = ics(mail.outbox[0])
    mail.outbox.clear()
    booking.reschedule_meeting(
        meeting=meeting,
        user=convener,
        starts_at=meeting.starts_at + timedelta(days=1),
        ends_at=meeting.ends_at + timedelta(days=1),
        location="Biblioteket",
        accepted={"*"},
    )
    deliver_all()
    assert len(mail.outbox) == 2
    second = ics(mail.outbox[0])
    uid = next(line for line in first.splitlines() if line.startswith("UID"))
    assert uid in second
    assert "SEQUENCE:1" in second.replace("SEQUENCE: ", "SEQUENCE:")
    assert "Ändrad tid" in mail.outbox[0].subject


def test_cancel_sends_method_cancel(meeting, convener, covered):
    invitations.send_invitations(meeting=meeting, user=convener)
    deliver_all()
    mail.outbox.clear()
    booking.cancel_meeting(meeting=meeting, user=convener, reason="Sjukdom")
    deliver_all()
    assert len(mail.outbox) == 2
    cancel = ics(mail.outbox[0])
    assert "METHOD:CANCEL" in cancel and "STATUS:CANCELLED" in cancel
    assert "Sjukdom" in mail.outbox[0].body


def test_removed_participant_gets_a_cancellation_and_added_gets_an_invitation(
    meeting, convener, covered, orgs
):
    invitations.send_invitations(meeting=meeting, user=convener)
    deliver_all()
    mail.outbox.clear()
    vera = meeting.participants.get(name="Vera Vård")
    invitations.remove_participant(participant=vera, user=convener)
    from meetings.models import Participant

    added = invitations.add_participant(
        meeting=meeting,
        user=convener,
        participant=Participant(
            kind="external", name="Ny Person", email="ny@example.se", organisation_name="X"
        ),
    )
    deliver_all()
    by_to = {to(m): m for m in mail.outbox}
    assert "METHOD:CANCEL" in ics(by_to["vera@rjl.example"])
    assert "METHOD:REQUEST" in ics(by_to["ny@example.se"])
    assert added.meeting == meeting


def test_nothing_is_mailed_for_changes_before_the_kallelse_went_out(meeting, convener):
    booking.cancel_meeting(meeting=meeting, user=convener, reason="Fel dag")
    assert OutboundMessage.objects.count() == 0


def test_reminder_goes_once_to_those_who_have_not_answered(meeting, convener, covered):
    invitations.send_invitations(meeting=meeting, user=convener)
    meeting.participants.filter(name="Vera Vård").update(answer=Answer.ATTENDING)
    soon = meeting.starts_at - timedelta(days=1)
    assert invitations.send_reminders(now=soon) == 1
    assert invitations.send_reminders(now=soon) == 0
    assert invitations.send_reminders(now=meeting.starts_at - timedelta(days=5)) == 0
    reminder = OutboundMessage.objects.get(subject__startswith="Påminnelse")
    assert reminder.to_email != "vera@rjl.example"


def test_reminder_command(meeting, convener, covered):
    from django.core.management import call_command

    invitations.send_invitations(meeting=meeting, user=convener)
    call_command("send_reminders", "--days", "40")
    assert OutboundMessage.objects.filter(subject__startswith="Påminnelse").count() == 2


def test_add_participant_on_the_meeting_page(client_for, meeting, convener, orgs):
    client = client_for(convener)
    url = reverse("meetings:add_participant", args=[meeting.pk])
    contact = ContactPersonFactory(
        area=meeting.case.area, organisation=orgs["psyk"], name="Per Psyk"
    )
    suggestions = reverse("meetings:contact_suggestions", args=[meeting.pk])
    page = client.get(meeting.get_absolute_url()).content.decode()
    # The searchable field's list is filled from the area's contacts as the user types,
    # labelled by name and party.
    label = "Per Psyk (Region Jönköpings län, psykiatri)"
    assert 'list="contact-options"' in page
    assert f'hx-get="{suggestions}"' in page
    assert (
        f'<option value="{label}">' in client.get(suggestions, {"contact": "per"}).content.decode()
    )
    empty = client.post(url, {})
    assert empty.status_code == 400
    assert "Välj en kontaktperson eller skriv namn och e-post." in empty.content.decode()
    assert client.post(url, {"contact": "99999"}).status_code == 400
    assert client.post(url, {"contact": label}).status_code == 302
    assert meeting.participants.filter(contact_person=contact, organisation=orgs["psyk"]).exists()
    assert orgs["psyk"] in meeting.case.involved_organisations.all()
    # Already on the meeting: no longer offered, and not added twice.
    assert label not in client.get(suggestions, {"contact": "per"}).content.decode()
    again = client.post(url, {"contact": label})
    assert again.status_code == 400
    assert "Ingen på områdets lista heter så" in again.content.decode()
    assert meeting.participants.filter(contact_person=contact).count() == 1


def test_the_contact_field_takes_label_email_or_a_name_only_one_person_has(
    client_for, meeting, convener, orgs
):
    """Without the browser's list the user may type the e-mail address, or a name that
    names one person; people who share name and party are told apart by e-mail."""
    client = client_for(convener)
    url = reverse("meetings:add_participant", args=[meeting.pk])
    area = meeting.case.area
    ContactPersonFactory(area=area, organisation=orgs["af"], name="Siv Svensson", email="s1@af.se")
    ContactPersonFactory(area=area, organisation=orgs["af"], name="Siv Svensson", email="s2@af.se")
    bo = ContactPersonFactory(area=area, organisation=orgs["fk"], name="Bo Berg", email="bo@fk.se")
    ContactPersonFactory(area=area, organisation=orgs["fk"], name="Ulf Inaktiv", is_active=False)
    suggestions = reverse("meetings:contact_suggestions", args=[meeting.pk])
    listed = client.get(suggestions, {"contact": ""}).content.decode()
    assert '<option value="Siv Svensson (Arbetsförmedlingen, s1@af.se)">' in listed
    assert '<option value="Siv Svensson (Arbetsförmedlingen, s2@af.se)">' in listed
    assert "Ulf Inaktiv" not in listed

    ambiguous = client.post(url, {"contact": "siv svensson"})
    assert ambiguous.status_code == 400
    assert "Flera på listan heter siv svensson" in ambiguous.content.decode()
    assert 'aria-invalid="true"' in ambiguous.content.decode()
    assert client.post(url, {"contact": "Ulf Inaktiv"}).status_code == 400

    assert client.post(url, {"contact": "  S2@AF.SE "}).status_code == 302
    assert meeting.participants.get(email="s2@af.se").contact_person.email == "s2@af.se"
    # The other Siv is now the only one left to add: her name and party are enough.
    listed = client.get(suggestions, {"contact": "siv"}).content.decode()
    assert listed == '<option value="Siv Svensson (Arbetsförmedlingen)">'
    assert client.post(url, {"contact": "bo  berg"}).status_code == 302
    assert meeting.participants.filter(contact_person=bo, organisation=orgs["fk"]).exists()
