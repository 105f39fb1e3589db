"""Skicka kallelse sends each participant the kallelse once for the meeting as it is; to
send someone it again is its own button, "Skicka igen till <namn>" (issue 15). The
concurrent clicks against a live server are in tests/test_double_clicks.py."""

from datetime import timedelta
from email.utils import parseaddr

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.enums import MeetingAction
from meetings.services import booking, invitations
from outbox.enums import MessageState
from outbox.models import OutboundMessage
from tests.factories import ConsentFactory, MeetingFactory, ParticipantFactory
from tests.helpers import deliver_all


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def meeting(case, convener, orgs):
    ConsentFactory(
        case=case,
        organisations=list(orgs.values()),
        given_on=timezone.localdate() - timedelta(days=1),
    )
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
    return meeting


@pytest.fixture
def anna(meeting, orgs):
    return ParticipantFactory(
        meeting=meeting, kind="external", organisation=orgs["af"], name="Anna", email="a@af.example"
    )


@pytest.fixture
def bo(meeting, orgs):
    return ParticipantFactory(
        meeting=meeting, kind="external", organisation=orgs["vc"], name="Bo", email="bo@rjl.example"
    )


def kallelser():
    return OutboundMessage.objects.filter(subject__startswith="Kallelse")


def recipients():
    return sorted(parseaddr(m.to[0])[1] for m in mail.outbox)


def send(client, meeting, **data):
    return client.post(reverse("meetings:send_invitations", args=[meeting.pk]), data)


def test_a_second_click_sends_nobody_a_second_round(client_for, meeting, anna, bo, convener):
    client = client_for(convener)
    assert send(client, meeting).status_code == 302
    assert kallelser().count() == 2
    deliver_all()

    response = send(client, meeting)
    assert response.status_code == 302
    assert kallelser().count() == 2
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Alla deltagare har redan fått kallelsen" in page
    assert "Skicka kallelse till dem som inte har fått den" in page
    # Each click is in the history, with how many it sent to.
    sent = meeting.case.events.filter(action=MeetingAction.INVITATIONS_SENT)
    assert [e.data["recipients"] for e in sent.order_by("pk")] == [2, 0]


def test_it_sends_to_those_not_yet_invited(meeting, anna, bo, convener, orgs):
    invitations.send_invitations(meeting=meeting, user=convener)
    # An address filled in afterwards (the admin, an import): that one is not invited yet.
    late = ParticipantFactory(
        meeting=meeting, kind="external", organisation=orgs["fk"], name="Cia", email=""
    )
    late.email = "cia@fk.example"
    late.save()
    assert invitations.send_invitations(meeting=meeting, user=convener) == 1
    assert kallelser().filter(to_email="cia@fk.example").count() == 1
    assert invitations.send_invitations(meeting=meeting, user=convener) == 0


def test_after_a_move_everyone_has_the_update_and_a_click_adds_nothing(meeting, anna, convener):
    invitations.send_invitations(meeting=meeting, user=convener)
    deliver_all()
    booking.reschedule_meeting(
        meeting=meeting,
        user=convener,
        starts_at=meeting.starts_at + timedelta(days=1),
        ends_at=meeting.ends_at + timedelta(days=1),
        location="Annan plats",
        accepted={"*"},
    )
    deliver_all()
    mail.outbox.clear()
    assert invitations.send_invitations(meeting=meeting, user=convener) == 0
    assert deliver_all() == []


def test_skicka_igen_till_one_participant(client_for, meeting, anna, bo, convener):
    client = client_for(convener)
    send(client, meeting)
    deliver_all()
    mail.outbox.clear()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert page.count('name="participant"') == 2  # Anna and Bo; not the convener
    assert "till Anna</span>" in page

    response = send(client, meeting, participant=anna.pk)
    assert response.status_code == 302
    # A double click: the first is still on its way, so one message.
    send(client, meeting, participant=anna.pk)
    deliver_all()
    assert recipients() == ["a@af.example"]
    assert mail.outbox[0].subject.startswith("Kallelse")
    events = meeting.case.events.filter(action=MeetingAction.INVITATION_RESENT)
    assert [e.data["participant"] for e in events] == [anna.pk, anna.pk]
    assert events[0].user == convener
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Kallelsen skickas igen till Anna." in page

    # Once it has left, the button sends it once more.
    send(client, meeting, participant=anna.pk)
    deliver_all()
    assert recipients() == ["a@af.example", "a@af.example"]


def test_skicka_igen_is_refused_where_it_makes_no_sense(
    client_for, meeting, anna, bo, convener, case
):
    client = client_for(convener)
    # Before the kallelse went out.
    send(client, meeting, participant=anna.pk)
    assert OutboundMessage.objects.count() == 0
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Kallelsen har inte skickats än" in page and 'name="participant"' not in page

    send(client, meeting)
    invitations.remove_participant(participant=bo, user=convener)
    before = OutboundMessage.objects.count()
    send(client, meeting, participant=bo.pk)
    assert OutboundMessage.objects.count() == before
    assert "Bo är borttagen från mötet." in client.get(meeting.get_absolute_url()).content.decode()

    # Someone of another meeting: 404; nonsense: 400 with nothing sent.
    other = ParticipantFactory(meeting=MeetingFactory(case=case, convened_by=convener))
    assert send(client, meeting, participant=other.pk).status_code == 404
    for bad in ("abc", "-1", "0", "99999999999999999999999", "1.5"):
        assert send(client, meeting, participant=bad).status_code == 400, bad
    assert OutboundMessage.objects.count() == before

    booking.cancel_meeting(meeting=meeting, user=convener, reason="Krockar")
    before = OutboundMessage.objects.count()
    send(client, meeting, participant=anna.pk)
    assert OutboundMessage.objects.count() == before


def test_skicka_igen_after_a_move_is_the_update_for_someone_who_had_the_old_time(
    meeting, anna, convener
):
    invitations.send_invitations(meeting=meeting, user=convener)
    deliver_all()
    booking.reschedule_meeting(
        meeting=meeting,
        user=convener,
        starts_at=meeting.starts_at + timedelta(days=1),
        ends_at=meeting.ends_at + timedelta(days=1),
        location="Annan plats",
        accepted={"*"},
    )
    deliver_all()
    mail.outbox.clear()
    message = invitations.resend_invitation(participant=anna, user=convener)
    deliver_all()
    assert message.state == MessageState.QUEUED and message.builder_args["sequence"] == 1
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Ändrad tid eller plats"]
