"""Booking a meeting in the browser form: rules refuse, guidelines warn and can be accepted."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.factories import (
    ContactPersonFactory,
    MeetingFactory,
    RoomFactory,
    UserFactory,
    take_part,
)


@pytest.fixture
def contacts(case, orgs):
    return {
        "af": ContactPersonFactory(
            area=case.area, organisation=orgs["af"], name="Anna Arbete", is_samverk_contact=True
        ),
        "fk": ContactPersonFactory(
            area=case.area, organisation=orgs["fk"], name="Frida Försäkring"
        ),
        "vc": ContactPersonFactory(area=case.area, organisation=orgs["vc"], name="Vera Vård"),
    }


def form_data(days=30, **overrides):
    day = timezone.localdate() + timedelta(days=days)
    data = {
        "kind": "samverkansmote",
        "date": day.isoformat(),
        "start_time": "10:00",
        "length": "60",
        "location": "Kommunhuset, rum 3",
        "purpose": "Planera vägen till arbete",
        "questions": "Vilka insatser behövs?",
        "individual_attends": "on",
        "extern-TOTAL_FORMS": "2",
        "extern-INITIAL_FORMS": "0",
        "extern-MIN_NUM_FORMS": "0",
        "extern-MAX_NUM_FORMS": "20",
    }
    data.update(overrides)
    return data


def book_url(case):
    return reverse("meetings:book", args=[case.pk])


def test_booking_page_lists_the_areas_contacts_and_consent(client_for, convener, case, contacts):
    response = client_for(convener).get(book_url(case))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Anna Arbete" in content and "partens Samverk-kontakt" in content
    assert "Inget aktuellt samtycke" in content
    assert content.count("<h1") == 1


def test_book_a_samverkansmote_with_three_parties(
    client_for, convener, case, contacts, full_consent
):
    data = form_data(contacts=[contacts["af"].pk, contacts["vc"].pk])
    response = client_for(convener).post(book_url(case), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.kind == "samverkansmote"
    assert meeting.convening_organisation == convener.organisation
    names = set(meeting.participants.values_list("name", flat=True))
    assert {"Anna Arbete", "Vera Vård", case.individual_name, str(convener)} <= names
    assert timezone.localtime(meeting.starts_at).hour == 10
    assert meeting.length_minutes == 60


def test_meeting_ten_days_ahead_warns_then_books_when_accepted(
    client_for, convener, case, contacts, full_consent
):
    client = client_for(convener)
    data = form_data(days=10, contacts=[contacts["af"].pk])
    first = client.post(book_url(case), data)
    assert first.status_code == 200
    content = first.content.decode()
    assert "minst tre veckor" in content
    assert Meeting.objects.count() == 0
    codes = first.context["form"].data["accepted_warnings"]
    second = client.post(
        book_url(case), {**data, "accepted_warnings": codes, "confirm_warnings": "on"}
    )
    assert second.status_code == 302
    assert Meeting.objects.get().accepted_warnings == ["short_notice"]


def test_ticking_accept_without_having_seen_a_warning_does_not_skip_it(
    client_for, convener, case, contacts, full_consent
):
    data = form_data(
        days=10, contacts=[contacts["af"].pk], confirm_warnings="on", accepted_warnings="length"
    )
    response = client_for(convener).post(book_url(case), data)
    assert response.status_code == 200
    assert Meeting.objects.count() == 0


def test_sip_by_arbetsformedlingen_is_refused(client, case, contacts, orgs, full_consent):
    af_user = UserFactory(organisation=orgs["af"], is_caseworker=True)
    case.involved_organisations.add(orgs["af"])
    take_part(case, af_user)  # opens the ärende to them (the organisation does not)
    booked = Meeting.objects.count()
    client.force_login(af_user)
    response = client.post(book_url(case), form_data(kind="sip", contacts=[contacts["vc"].pk]))
    assert response.status_code == 400
    assert "En SIP kan bara kallas till av kommunen eller regionen." in response.content.decode()
    assert Meeting.objects.count() == booked


def test_forsakringskassan_at_premeeting_is_refused(
    client_for, convener, case, contacts, full_consent
):
    data = form_data(kind="formote", contacts=[contacts["fk"].pk])
    data.pop("individual_attends")
    response = client_for(convener).post(book_url(case), data)
    assert response.status_code == 400
    assert "Försäkringskassan kan inte delta i ett förmöte" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_individual_at_premeeting_is_refused_beside_the_field(
    client_for, convener, case, contacts, full_consent
):
    response = client_for(convener).post(
        book_url(case), form_data(kind="formote", contacts=[contacts["af"].pk])
    )
    assert response.status_code == 400
    assert "Den enskilde deltar inte i ett förmöte." in response.content.decode()


def test_premeeting_without_premeeting_consent_is_refused(client_for, convener, case, contacts):
    data = form_data(kind="formote", contacts=[contacts["af"].pk])
    data.pop("individual_attends")
    response = client_for(convener).post(book_url(case), data)
    assert response.status_code == 400
    assert "Ett förmöte kräver den enskildes samtycke" in response.content.decode()


def test_samverkansmote_alone_is_refused(client_for, convener, case, full_consent):
    response = client_for(convener).post(book_url(case), form_data())
    assert response.status_code == 400
    assert "minst två parter" in response.content.decode()


def test_double_booked_room_is_refused(client_for, convener, case, contacts, full_consent):
    room = RoomFactory(area=case.area, name="Stora rummet")
    existing = MeetingFactory(case=case, room=room)
    local = timezone.localtime(existing.starts_at)
    data = form_data(
        contacts=[contacts["af"].pk],
        room=room.pk,
        date=local.date().isoformat(),
        start_time=local.strftime("%H:%M"),
        location="",
    )
    response = client_for(convener).post(book_url(case), data)
    assert response.status_code == 400
    assert "Rummet Stora rummet är redan bokat den tiden." in response.content.decode()
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"date": "31/02/2026"},
        {"date": "i morgon"},
        {"start_time": "25:61"},
        {"length": "en timme"},
        {"length": "0"},
        {"kind": "fest"},
        {"contacts": ["999999"]},
        {"contacts": ["abc"]},
        {"staff": ["999999"]},
        {"room": "999999"},
        {"premeeting": "999999"},
        {"purpose": ""},
        {"extern-0-name": "Ola", "extern-0-email": "inte-epost"},
        {"extern-TOTAL_FORMS": "x"},
    ],
)
def test_bad_input_gives_400_and_saves_nothing(
    client_for, convener, case, contacts, full_consent, bad
):
    data = {**form_data(contacts=[contacts["af"].pk]), **bad}
    response = client_for(convener).post(book_url(case), data)
    assert response.status_code == 400
    assert Meeting.objects.count() == 0


def test_date_in_the_past_is_refused(client_for, convener, case, contacts, full_consent):
    response = client_for(convener).post(
        book_url(case), form_data(days=-3, contacts=[contacts["af"].pk])
    )
    assert response.status_code == 400
    assert "bakåt i tiden" in response.content.decode()


def test_premeeting_offers_a_prefilled_samverkansmote(
    client_for, convener, case, contacts, full_consent
):
    client = client_for(convener)
    data = form_data(kind="formote", contacts=[contacts["af"].pk, contacts["vc"].pk])
    data.pop("individual_attends")
    assert client.post(book_url(case), data).status_code == 302
    pre = Meeting.objects.get(kind="formote")
    detail = client.get(pre.get_absolute_url()).content.decode()
    assert f"?formote={pre.pk}" in detail
    page = client.get(f"{book_url(case)}?formote={pre.pk}")
    form = page.context["form"]
    assert form.initial["kind"] == "samverkansmote"
    assert set(form.initial["contacts"]) == {contacts["af"].pk, contacts["vc"].pk}
    assert form.initial["premeeting"] == pre.pk
    assert (form.initial["purpose"], form.initial["questions"]) == (pre.purpose, pre.questions)
    assert convener.pk not in form.initial["staff"]  # the form adds the one booking anyway
    follow = form_data(
        days=35,
        contacts=[contacts["af"].pk, contacts["vc"].pk, contacts["fk"].pk],
        premeeting=pre.pk,
    )
    assert client.post(book_url(case), follow).status_code == 302
    assert Meeting.objects.get(kind="samverkansmote").premeeting == pre


def test_caseworker_without_organisation_cannot_book(client, case):
    lonely = UserFactory(organisation=None, is_caseworker=True, is_administrator=True)
    take_part(case, lonely)  # may open the ärende (the administrator role alone does not)
    client.force_login(lonely)
    assert client.get(book_url(case)).status_code == 403


def test_the_convener_is_booked_as_attending(client_for, convener, case, contacts, full_consent):
    client_for(convener).post(book_url(case), form_data(contacts=[contacts["af"].pk]))
    meeting = Meeting.objects.get()
    assert meeting.participants.get(user=convener).answer == "attending"
    assert meeting.participants.get(contact_person=contacts["af"]).answer == "none"


def test_two_warnings_sent_with_crlf_line_breaks_are_accepted(
    client_for, convener, case, contacts, full_consent
):
    """Browsers send the hidden list of codes with CRLF (HTML's form encoding): ten days
    ahead and 90 minutes long are two warnings, and ticking the box books the meeting."""
    client = client_for(convener)
    data = form_data(days=10, length="90", contacts=[contacts["af"].pk])
    first = client.post(book_url(case), data)
    assert first.status_code == 200 and Meeting.objects.count() == 0
    codes = first.context["form"].data["accepted_warnings"].split("\n")
    assert sorted(codes) == ["length", "short_notice"]
    second = client.post(
        book_url(case),
        {**data, "accepted_warnings": "\r\n".join(codes), "confirm_warnings": "on"},
    )
    assert second.status_code == 302
    assert Meeting.objects.get().accepted_warnings == ["length", "short_notice"]


def test_accepted_codes_split_on_any_line_break():
    from meetings.forms.fields import MeetingTimeFields

    form = MeetingTimeFields.__new__(MeetingTimeFields)
    form.cleaned_data = {"confirm_warnings": True, "accepted_warnings": "length\r\nconsent:2\r\n"}
    assert form.accepted() == {"length", "consent:2"}
    form.cleaned_data["accepted_warnings"] = " short_notice \rlength\n"
    assert form.accepted() == {"short_notice", "length"}
    form.cleaned_data["confirm_warnings"] = False
    assert form.accepted() == set()
