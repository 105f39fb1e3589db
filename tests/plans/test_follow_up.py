"""Boka uppföljning: the next meeting's booking form starts from this meeting's plan."""

from datetime import date, time

import pytest

from plans.services.follow_up import follow_up_initial, parse_follow_up_when
from tests.factories import ContactPersonFactory, ParticipantFactory

TODAY = date(2031, 3, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2031-03-14 kl 10.00", (date(2031, 3, 14), time(10, 0))),
        ("14 mars 2031 13:30", (date(2031, 3, 14), time(13, 30))),
        ("14 maj kl. 9", (date(2031, 5, 14), time(9, 0))),
        ("14/2", (date(2032, 2, 14), None)),  # already past this year: next year
        ("om tre veckor", (None, None)),
        ("", (None, None)),
        ("31 februari 2031", (None, None)),
    ],
)
def test_reads_date_and_time_from_the_free_text(text, expected):
    assert parse_follow_up_when(text, today=TODAY) == expected


def test_initial_has_same_participants_agreed_date_and_purpose(
    plan, meeting, convener, af_user, orgs, area
):
    contact = ContactPersonFactory(area=area, organisation=orgs["fk"])
    ParticipantFactory(meeting=meeting, kind="staff", user=convener, name="K")
    ParticipantFactory(meeting=meeting, kind="staff", user=af_user, name="A", attendance="absent")
    ParticipantFactory(meeting=meeting, kind="contact", contact_person=contact, name=contact.name)
    ParticipantFactory(
        meeting=meeting,
        kind="external",
        name="Extern Person",
        organisation_name="Hälsocentralen",
        email="e@hc.example",
    )
    ParticipantFactory(
        meeting=meeting, kind="external", name="Borttagen", removed_at=meeting.starts_at
    )
    ParticipantFactory(meeting=meeting, kind="support", name="Stöd Person")
    plan.follow_up_when = "2031-03-14 kl 10.00"
    plan.follow_up_where = "Kommunhuset, rum 2"
    plan.save()

    initial, externals = follow_up_initial(meeting, user=convener)

    assert initial["kind"] == "avstamningsmote"
    assert initial["date"] == date(2031, 3, 14) and initial["start_time"] == time(10, 0)
    assert initial["location"] == "Kommunhuset, rum 2"
    assert initial["staff"] == [af_user.pk]  # the one booking is added anyway
    assert initial["contacts"] == [contact.pk]
    assert initial["support_person"] == "Stöd Person"
    assert initial["purpose"].startswith("Uppföljning av handlingsplanen från ")
    assert externals == [
        {"name": "Extern Person", "organisation_name": "Hälsocentralen", "email": "e@hc.example"}
    ]
    _initial, _externals = follow_up_initial(meeting)
    assert set(_initial["staff"]) == {convener.pk, af_user.pk}


def test_without_an_agreed_date_the_form_asks_for_one(plan, meeting):
    plan.follow_up_when = "efter sommaren"
    plan.save()
    initial, externals = follow_up_initial(meeting)
    assert "date" not in initial and "start_time" not in initial
    assert externals == []


def test_the_initial_fits_the_booking_form(plan, meeting, convener, af_user):
    from meetings.forms.booking import BookingForm

    ParticipantFactory(meeting=meeting, kind="staff", user=af_user, name="A")
    plan.follow_up_when = "2031-03-14 kl 10.00"
    plan.save()
    initial, _externals = follow_up_initial(meeting, user=convener)
    form = BookingForm(case=meeting.case, user=convener, initial=initial)
    assert set(initial) <= set(form.fields)
    html = form.as_div()
    assert "2031-03-14" in html and "10:00" in html


def test_the_plan_page_links_to_booking_a_follow_up(client, plan, meeting, convener):
    from django.urls import reverse

    client.force_login(convener)
    section = client.get(
        reverse("plans:distribution", args=[meeting.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    url = reverse("meetings:book", args=[meeting.case_id]) + f"?uppfoljning={meeting.pk}"
    assert f'href="{url}"' in section


@pytest.fixture
def convener_and_meeting_for_follow_up(client_for, plan, meeting, convener, orgs, area):
    from plans.services.follow_up import follow_up_url

    contact = ContactPersonFactory(area=area, organisation=orgs["fk"])
    ParticipantFactory(meeting=meeting, kind="contact", contact_person=contact, name=contact.name)
    plan.follow_up_when = "2031-03-14 kl 10.00"
    plan.follow_up_where = "Kommunhuset, rum 2"
    plan.save()
    return client_for(convener), meeting, follow_up_url(meeting)


def test_boka_uppfoljning_opens_the_booking_form_prefilled(
    client_for, convener_and_meeting_for_follow_up
):
    """The link on the plan page carries the agreed day, time and place; meetings reads them
    without depending on plans."""
    client, meeting, url = convener_and_meeting_for_follow_up
    assert "uppfoljning=" in url and "datum=" in url
    form = client.get(url).context["form"]
    assert form.initial["kind"] == "avstamningsmote"
    assert str(form.initial["date"]) in url
    assert set(form.initial["contacts"]) == {
        p.contact_person_id for p in meeting.participants.all() if p.contact_person_id
    }


def test_tampered_follow_up_values_are_ignored(client_for, convener_and_meeting_for_follow_up):
    client, meeting, url = convener_and_meeting_for_follow_up
    base = url.split("?")[0]
    response = client.get(f"{base}?uppfoljning={meeting.pk}&datum=igår&tid=25:99x")
    assert response.status_code == 200
    assert "date" not in response.context["form"].initial
    assert client.get(f"{base}?uppfoljning=999999").status_code == 200
