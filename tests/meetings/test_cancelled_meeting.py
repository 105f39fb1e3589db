"""A cancelled meeting takes no more changes by POST: the services refuse, not only the page,
which hides the buttons. Nothing changes, nothing is queued, nothing is logged."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.audit import read_actions
from cases.models import CaseEvent
from meetings.models import Participant
from meetings.services import booking, invitations
from outbox.models import OutboundMessage
from tests.factories import ParticipantFactory


@pytest.fixture
def cancelled(meeting, convener, orgs, full_consent):
    """A meeting whose kallelse went out and which was then cancelled."""
    ParticipantFactory(
        meeting=meeting,
        kind="external",
        organisation=orgs["vc"],
        name="Vera Vård",
        email="vera@rjl.example",
    )
    invitations.send_invitations(meeting=meeting, user=convener)
    booking.cancel_meeting(meeting=meeting, user=convener, reason="Sjukdom")
    assert OutboundMessage.objects.count() == 2  # the kallelse, then its cancellation
    return meeting


def state(meeting):
    """Everything a refused change must leave as it was (the audit trail's changes: a page
    shown again with the refusal is logged as a read)."""
    return (
        sorted(meeting.participants.values_list("pk", "removed_at")),
        OutboundMessage.objects.count(),
        CaseEvent.objects.exclude(action__in=read_actions()).count(),
    )


def test_adding_a_participant_by_post_is_refused(client_for, cancelled, convener):
    before = state(cancelled)
    url = reverse("meetings:add_participant", args=[cancelled.pk])
    client = client_for(convener)
    response = client.post(
        url, {"name": "Ny Person", "email": "ny@example.se", "organisation_name": "X"}
    )
    assert response.status_code == 302 and response.url == cancelled.get_absolute_url()
    assert state(cancelled) == before
    assert not Participant.objects.filter(email="ny@example.se").exists()
    assert "Mötet är inställt, så ingen kan läggas till." in client.get(response.url).text


def test_removing_a_participant_by_post_is_refused(client_for, cancelled, convener):
    before = state(cancelled)
    vera = cancelled.participants.get(name="Vera Vård")
    url = reverse("meetings:remove_participant", args=[cancelled.pk, vera.pk])
    client = client_for(convener)
    response = client.post(url)
    assert response.status_code == 302 and response.url == cancelled.get_absolute_url()
    assert state(cancelled) == before
    vera.refresh_from_db()
    assert vera.removed_at is None
    assert "Mötet är inställt, så ingen kan tas bort." in client.get(response.url).text


def test_the_services_refuse_whoever_calls_them(cancelled, convener):
    before = state(cancelled)
    vera = cancelled.participants.get(name="Vera Vård")
    with pytest.raises(ValidationError, match="Mötet är inställt"):
        invitations.add_participant(
            meeting=cancelled,
            user=convener,
            participant=Participant(kind="external", name="Ny Person", email="ny@example.se"),
        )
    with pytest.raises(ValidationError, match="Mötet är inställt"):
        invitations.remove_participant(participant=vera, user=convener)
    with pytest.raises(ValidationError, match="Mötet är inställt"):
        invitations.send_invitations(meeting=cancelled, user=convener)
    assert state(cancelled) == before


def test_a_stale_copy_of_the_meeting_is_refused_too(cancelled, convener):
    """The service reads the meeting's state afresh: a copy read before the cancellation
    (another request's) does not let an addition through."""
    stale = type(cancelled).objects.get(pk=cancelled.pk)
    stale.status = "planned"
    before = state(cancelled)
    with pytest.raises(ValidationError, match="Mötet är inställt"):
        invitations.add_participant(
            meeting=stale,
            user=convener,
            participant=Participant(kind="external", name="Ny Person", email="ny@example.se"),
        )
    assert state(cancelled) == before


def test_sending_the_kallelse_again_by_post_is_refused(client_for, cancelled, convener):
    before = state(cancelled)
    url = reverse("meetings:send_invitations", args=[cancelled.pk])
    assert client_for(convener).post(url).status_code == 400
    assert state(cancelled) == before
