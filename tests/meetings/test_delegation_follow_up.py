"""Delegation through the contact person's link, and what "Boka uppföljning" takes along
(issue 16): the confirmation names the handläggare who gets the kallelse, the follow-up
invites that handläggare (not the contact person again), and a substitute keeps their party."""

import pytest
from django.urls import reverse

from meetings.enums import Answer
from meetings.services import invitations
from meetings.services.booking import follow_up_initial
from tests.factories import ContactPersonFactory, MeetingFactory, ParticipantFactory, UserFactory


@pytest.fixture
def af(orgs):
    orgs["af"].email_domains = "arbetsformedlingen.se"
    orgs["af"].save()
    return orgs["af"]


@pytest.fixture
def meeting(case, convener):
    return MeetingFactory(
        case=case, convened_by=convener, convening_organisation=convener.organisation
    )


@pytest.fixture
def contact_row(meeting, af):
    contact = ContactPersonFactory(
        area=meeting.case.area,
        organisation=af,
        name="Kim Kontakt",
        email="kim.kontakt@arbetsformedlingen.se",
    )
    return ParticipantFactory(
        meeting=meeting,
        kind="contact",
        contact_person=contact,
        organisation=af,
        name=contact.name,
        email=contact.email,
    )


def test_the_confirmation_names_the_handlaggare_who_gets_the_kallelse(client, contact_row):
    url = reverse("meetings:delegate", args=[invitations.delegate_token(contact_row)])
    response = client.post(url, {"name": "Hugo Handläggare", "email": "hugo@arbetsformedlingen.se"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Tack! Hugo Handläggare får kallelsen med e-post." in content
    assert "Kim Kontakt får kallelsen" not in content


def test_the_follow_up_invites_the_named_handlaggare_not_the_contact_person(
    meeting, contact_row, convener
):
    invitations.name_caseworker(
        participant=contact_row, name="Hugo Handläggare", email="hugo@arbetsformedlingen.se"
    )
    initial, externals = follow_up_initial(meeting, user=convener)
    assert contact_row.contact_person_id not in initial["contacts"]
    assert externals == [
        {
            "name": "Hugo Handläggare",
            "organisation_name": "",
            "email": "hugo@arbetsformedlingen.se",
            "organisation": contact_row.organisation_id,
        }
    ]


def test_a_named_handlaggare_with_an_account_is_invited_as_staff(meeting, contact_row, af):
    hugo = UserFactory(username="hugo", organisation=af, email="hugo@arbetsformedlingen.se")
    invitations.name_caseworker(participant=contact_row, name=str(hugo), email=hugo.email)
    initial, externals = follow_up_initial(meeting, user=meeting.convened_by)
    assert hugo.pk in initial["staff"] and externals == []
    assert contact_row.contact_person_id not in initial["contacts"]


def test_a_contact_person_who_named_no_one_is_invited_again(meeting, contact_row):
    initial, externals = follow_up_initial(meeting, user=meeting.convened_by)
    assert initial["contacts"] == [contact_row.contact_person_id] and externals == []


def test_a_substitute_keeps_their_party_in_the_follow_up(meeting, af, convener, client):
    anna = ParticipantFactory(
        meeting=meeting, kind="staff", organisation=af, email="anna@arbetsformedlingen.se"
    )
    invitations.record_answer(
        participant=anna,
        answer=Answer.SUBSTITUTE,
        substitute_name="Sam Ersätt",
        substitute_email="sam@arbetsformedlingen.se",
    )
    _initial, externals = follow_up_initial(meeting, user=convener)
    assert {"name": "Sam Ersätt", "organisation": af.pk}.items() <= externals[0].items()

    # Through the booking page: the row carries the party, and the booked follow-up has it.
    client.force_login(convener)
    page = client.get(
        reverse("meetings:book", args=[meeting.case.pk]) + f"?uppfoljning={meeting.pk}"
    ).content.decode()
    assert f'name="extern-0-organisation" value="{af.pk}"' in page
