"""Answers through the signed link in the e-mail, without logging in."""

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from meetings.enums import Answer
from meetings.services import invitations
from outbox.models import OutboundMessage
from tests.factories import ContactPersonFactory, MeetingFactory, ParticipantFactory


@pytest.fixture
def meeting(case, convener):
    return MeetingFactory(
        case=case,
        convened_by=convener,
        convening_organisation=convener.organisation,
        location="Kommunhuset",
    )


@pytest.fixture
def anna(meeting, orgs):
    contact = ContactPersonFactory(
        area=meeting.case.area, organisation=orgs["af"], name="Anna Arbete"
    )
    return ParticipantFactory(
        meeting=meeting,
        kind="contact",
        contact_person=contact,
        organisation=orgs["af"],
        name="Anna Arbete",
        email="anna@af.example",
    )


def answer_url(participant):
    return reverse("meetings:answer", args=[invitations.answer_token(participant)])


def test_answer_page_shows_only_kind_time_and_place(client, anna, case):
    response = client.get(answer_url(anna))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Samverkansmöte" in content and "Kommunhuset" in content
    assert case.last_name not in content and case.first_name not in content
    assert case.personnummer[:8] not in content


@pytest.mark.parametrize("answer", [Answer.ATTENDING, Answer.DECLINED, Answer.REMOTE])
def test_answer_is_recorded_and_reaches_the_convener_only(client, anna, convener, answer):
    response = client.post(answer_url(anna), {"answer": answer})
    assert response.status_code == 200
    anna.refresh_from_db()
    assert anna.answer == answer and anna.answered_at
    notices = OutboundMessage.objects.all()
    assert [m.to_email for m in notices] == [convener.email]


def test_substitute_gets_the_kallelse(client, anna):
    response = client.post(
        answer_url(anna),
        {
            "answer": Answer.SUBSTITUTE,
            "substitute_name": "Sam Ersätt",
            "substitute_email": "sam@af.example",
        },
    )
    assert response.status_code == 200
    substitute = anna.meeting.participants.get(name="Sam Ersätt")
    assert substitute.substitute_for == anna and substitute.organisation == anna.organisation
    assert OutboundMessage.objects.filter(
        to_email="sam@af.example", subject__startswith="Kallelse"
    ).exists()


def test_substitute_without_email_is_refused_beside_the_field(client, anna):
    response = client.post(
        answer_url(anna), {"answer": Answer.SUBSTITUTE, "substitute_name": "Sam"}
    )
    assert response.status_code == 400
    assert "Ange ersättarens e-post" in response.content.decode()
    anna.refresh_from_db()
    assert anna.answer == Answer.NONE


def test_empty_answer_is_400(client, anna):
    assert client.post(answer_url(anna), {}).status_code == 400
    assert client.post(answer_url(anna), {"answer": "kanske"}).status_code == 400


def test_tampered_token_changes_nothing(client, anna):
    token = invitations.answer_token(anna)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.post(reverse("meetings:answer", args=[tampered]), {"answer": Answer.DECLINED})
    assert response.status_code == 400
    assert "Länken är ogiltig" in response.content.decode()
    anna.refresh_from_db()
    assert anna.answer == Answer.NONE


def test_a_forged_token_for_another_key_fails(client, anna):
    forged = signing.Signer(salt="something-else").sign(anna.answer_key)
    assert client.get(reverse("meetings:answer", args=[forged])).status_code == 400


def test_link_expires_when_the_meeting_has_ended(client, anna):
    anna.meeting.starts_at = timezone.now() - timedelta(hours=3)
    anna.meeting.ends_at = timezone.now() - timedelta(hours=2)
    anna.meeting.save()
    response = client.post(answer_url(anna), {"answer": Answer.ATTENDING})
    assert response.status_code == 400
    assert "redan varit" in response.content.decode()
    anna.refresh_from_db()
    assert anna.answer == Answer.NONE


def test_link_of_a_removed_participant_no_longer_works(client, anna):
    anna.removed_at = timezone.now()
    anna.save()
    assert client.get(answer_url(anna)).status_code == 400


def test_answer_token_reveals_nothing(anna):
    token = invitations.answer_token(anna)
    assert str(anna.pk) not in token.split(":")[0] or len(token.split(":")[0]) > 30
    assert anna.name not in token and "@" not in token


def test_contact_person_names_the_caseworker_who_gets_the_kallelse(client, anna, convener):
    url = reverse("meetings:delegate", args=[invitations.delegate_token(anna)])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "", "email": "x"}).status_code == 400
    response = client.post(url, {"name": "Hugo Handläggare", "email": "hugo@af.example"})
    assert response.status_code == 200
    anna.refresh_from_db()
    assert anna.name == "Hugo Handläggare" and anna.email == "hugo@af.example"
    assert OutboundMessage.objects.filter(
        to_email="hugo@af.example", subject__startswith="Kallelse"
    ).exists()
    assert OutboundMessage.objects.filter(to_email=convener.email).exists()
    # The contact person's old answer link no longer works for this participant.
    assert client.get(url).status_code == 400


def test_a_lone_partys_decline_is_highlighted_on_the_meeting_page(
    client_for, anna, convener, meeting
):
    anna.answer = Answer.DECLINED
    anna.save()
    page = client_for(convener).get(meeting.get_absolute_url()).content.decode()
    assert "Nyckelperson kan inte delta" in page
