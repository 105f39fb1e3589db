"""A meeting is as confidential as its ärende: every meeting URL × every role."""

import pytest
from django.urls import reverse

from tests.factories import MeetingFactory, UserFactory


@pytest.fixture
def meeting(case, convener):
    return MeetingFactory(
        case=case, convened_by=convener, convening_organisation=convener.organisation
    )


def urls(meeting):
    return [
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:reschedule", args=[meeting.pk]),
        reverse("meetings:cancel", args=[meeting.pk]),
        reverse("meetings:book", args=[meeting.case.pk]),
        reverse("meetings:contact_suggestions", args=[meeting.pk]),
    ]


def test_an_uninvolved_caseworker_gets_404_and_no_name(client, meeting, orgs, other_area):
    outsider = UserFactory(organisation=orgs["fk"], is_caseworker=True)
    other_coordinator = UserFactory(is_caseworker=False, coordinated_areas=[other_area])
    for user in (outsider, other_coordinator):
        client.force_login(user)
        for url in urls(meeting):
            for method in (client.get, client.post):
                response = method(url)
                assert response.status_code == 404, (user, url)
                assert "Andersson" not in response.content.decode()


@pytest.mark.parametrize("who", ["owner", "coordinator", "administrator", "involved"])
def test_those_involved_may_open_the_meeting(request, client, meeting, orgs, who):
    if who == "owner":
        user = meeting.case.owner
    elif who == "involved":
        user = UserFactory(organisation=orgs["vc"], is_caseworker=True)
        meeting.case.involved_organisations.add(orgs["vc"])
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert "Alva Andersson" in response.content.decode()


def test_opening_a_meeting_is_logged(client_for, convener, meeting):
    client_for(convener).get(reverse("meetings:detail", args=[meeting.pk]))
    assert meeting.case.events.filter(action="meeting.viewed", user=convener).exists()


def test_anonymous_is_sent_to_login(client, meeting):
    for url in urls(meeting):
        assert client.get(url).status_code == 302
