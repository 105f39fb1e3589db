"""The area's samverkanskoordinator books, moves and cancels for the ärende's handläggare
(issue 16): the handläggare stays sammankallande, answers go to them, the history says who
booked for whom. Guarded in the service, not only the page."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.access import books_for_owner, convener_for, may_book
from meetings.models import Meeting
from meetings.services.booking import cancel_meeting, reschedule_meeting
from meetings.services.invitations import send_invitations
from outbox.models import OutboundMessage
from tests.factories import ContactPersonFactory, UserFactory

from .conftest import in_days


@pytest.fixture
def coordinator(area, orgs):
    return UserFactory(
        username="kim",
        first_name="Kim",
        last_name="Koordinator",
        organisation=orgs["kommun"],
        is_caseworker=False,
        coordinated_areas=[area],
    )


@pytest.fixture
def contact(case, orgs):
    return ContactPersonFactory(
        area=case.area, organisation=orgs["af"], name="Anna Arbete", is_samverk_contact=True
    )


def form_data(contact, days=30, **overrides):
    day = timezone.localdate() + timedelta(days=days)
    return {
        "kind": "samverkansmote",
        "date": day.isoformat(),
        "start_time": "10:00",
        "length": "60",
        "location": "Kommunhuset, rum 3",
        "purpose": "Planera vägen till arbete",
        "questions": "Vilka insatser behövs?",
        "individual_attends": "on",
        "contacts": [contact.pk],
        "extern-TOTAL_FORMS": "0",
        "extern-INITIAL_FORMS": "0",
        "extern-MIN_NUM_FORMS": "0",
        "extern-MAX_NUM_FORMS": "20",
        **overrides,
    }


def test_a_coordinator_of_the_area_books_for_the_owner(coordinator, case, convener):
    assert books_for_owner(coordinator, case)
    assert convener_for(coordinator, case) == convener
    assert may_book(coordinator, case)
    assert not books_for_owner(convener, case)


def test_a_coordinator_of_another_area_does_not(other_area, case, orgs):
    other = UserFactory(is_caseworker=False, organisation=orgs["kommun"])
    other.coordinated_areas.set([other_area])
    assert not books_for_owner(other, case)
    assert not may_book(other, case)


def test_a_coordinator_cannot_book_for_an_owner_without_organisation(coordinator, case):
    case.owner.organisation = None
    case.owner.save()
    assert not may_book(coordinator, case)


def test_the_coordinator_books_on_the_page_and_the_owner_convenes(
    client_for, coordinator, convener, case, contact, full_consent
):
    client = client_for(coordinator)
    page = client.get(reverse("meetings:book", args=[case.pk]))
    assert page.status_code == 200
    assert "Du bokar för ärendets handläggare" in page.content.decode()
    response = client.post(reverse("meetings:book", args=[case.pk]), form_data(contact))
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get()
    assert meeting.convened_by == convener
    assert meeting.convening_organisation == convener.organisation
    people = {p.user_id: p for p in meeting.participants.all() if p.user_id}
    assert convener.pk in people and people[convener.pk].note == "Sammankallande"
    assert coordinator.pk not in people
    event = case.events.get(action="meeting.booked")
    assert event.user == coordinator
    assert event.data["on_behalf_of"] == convener.pk
    assert event.data["by_name"] == str(coordinator)
    history = client.get(reverse("cases:history", args=[case.pk])).content.decode()
    assert f"Bokat av {coordinator} för {convener}" in history

    # The kallelse names the handläggare and answers go to them.
    send_invitations(meeting=meeting, user=coordinator)
    to_contact = OutboundMessage.objects.get(to_email=contact.email)
    assert to_contact.reply_to == convener.email
    assert str(convener) in to_contact.text_body
    assert str(coordinator) not in to_contact.text_body


def test_the_coordinator_moves_and_cancels_and_the_history_says_so(
    client_for, coordinator, convener, meeting
):
    client = client_for(coordinator)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:reschedule", args=[meeting.pk]) in page
    assert reverse("meetings:cancel", args=[meeting.pk]) in page
    assert reverse("meetings:run", args=[meeting.pk]) not in page  # running is the convener's
    day = timezone.localdate() + timedelta(days=40)
    moved = client.post(
        reverse("meetings:reschedule", args=[meeting.pk]),
        {"date": day.isoformat(), "start_time": "13:00", "length": "60", "location": "Bibblan"},
    )
    assert moved.status_code == 302
    cancelled = client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "Sjuk"})
    assert cancelled.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.convened_by == convener
    history = client.get(reverse("cases:history", args=[meeting.case.pk])).content.decode()
    assert f"Flyttat av {coordinator} för {convener}" in history
    assert f"Inställt av {coordinator} för {convener}" in history


def test_a_participant_who_is_not_convener_may_not_move_or_cancel(client_for, meeting, orgs):
    from tests.factories import take_part

    colleague = UserFactory(organisation=orgs["af"])
    take_part(meeting.case, colleague)
    client = client_for(colleague)
    assert client.get(reverse("meetings:reschedule", args=[meeting.pk])).status_code == 403
    assert (
        client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "x"}).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        cancel_meeting(meeting=meeting, user=colleague, reason="Utan rätt")
    start, end = in_days(40)
    with pytest.raises(PermissionDenied):
        reschedule_meeting(
            meeting=meeting, user=colleague, starts_at=start, ends_at=end, location="Här"
        )
    meeting.refresh_from_db()
    assert not meeting.is_cancelled and meeting.sequence == 0


def test_the_service_refuses_a_booking_in_someone_elses_name(make_booking, orgs, full_consent):
    stranger = UserFactory(organisation=orgs["af"])
    booking = make_booking()
    booking.booked_by = stranger
    with pytest.raises(ValidationError) as refused:
        from meetings.services.booking import book_meeting

        book_meeting(booking, accepted={"short_notice", "length"})
    assert "eget namn" in " ".join(refused.value.messages)
    assert not Meeting.objects.exists()


def test_the_service_takes_a_coordinators_booking_for_the_owner(
    make_booking, coordinator, convener, full_consent
):
    from meetings.services.booking import book_meeting

    booking = make_booking()
    booking.booked_by = coordinator
    meeting = book_meeting(booking)
    assert meeting.convened_by == convener
    event = meeting.case.events.get(action="meeting.booked")
    assert event.user == coordinator and event.data["on_behalf_of_name"] == str(convener)
