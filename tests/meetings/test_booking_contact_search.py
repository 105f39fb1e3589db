"""The booking page sends the suggested contacts only (issue 20): each party's
Samverk-kontakt, the ärende's people, the convener's frequent contacts and whoever is
ticked; the rest of the area's list is found with a server-side search (htmx, or the no-JS
"Sök" button that keeps the form as typed). The same block serves "Föreslå tider"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.factories import (
    CaseFactory,
    ContactPersonFactory,
    MeetingFactory,
    ParticipantFactory,
)

from .test_booking_page import form_data

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def people(case, orgs, convener):
    area = case.area
    samverk = ContactPersonFactory(
        area=area, organisation=orgs["af"], name="Sara Samverk", is_samverk_contact=True
    )
    of_case = ContactPersonFactory(area=area, organisation=orgs["fk"], name="Åsa Ärendesson")
    MeetingFactory(case=case, starts_at=timezone.now() - timedelta(days=40))
    ParticipantFactory(
        meeting=case.meetings.get(), kind="contact", contact_person=of_case, name=of_case.name
    )
    # Someone the convener invites often, in another of their ärenden.
    frequent = ContactPersonFactory(area=area, organisation=orgs["vc"], name="Frans Frekvent")
    other_case = CaseFactory(area=area, owner=convener)
    for days in (10, 20):
        meeting = MeetingFactory(case=other_case, starts_at=timezone.now() - timedelta(days=days))
        ParticipantFactory(
            meeting=meeting, kind="contact", contact_person=frequent, name=frequent.name
        )
    rest = [
        ContactPersonFactory(area=area, organisation=orgs["vc"], name=f"Örjan Övrig{n}")
        for n in range(40)
    ]
    gone = ContactPersonFactory(
        area=area, organisation=orgs["vc"], name="Örjan Slutat", is_active=False
    )
    return {
        "samverk": samverk,
        "of_case": of_case,
        "frequent": frequent,
        "rest": rest,
        "gone": gone,
    }


def book_url(case):
    return reverse("meetings:book", args=[case.pk])


def boxes(content):
    """The pks of the contact checkboxes in the markup."""
    import re

    return {int(pk) for pk in re.findall(r'name="contacts" value="(\d+)"', content)}


def test_the_page_offers_the_suggested_contacts_only(client_for, convener, case, people):
    content = client_for(convener).get(book_url(case)).content.decode()
    assert boxes(content) == {
        people["samverk"].pk,
        people["of_case"].pk,
        people["frequent"].pk,
    }
    assert "Örjan Övrig" not in content
    assert 'name="kontakt_sok"' in content and 'hx-get="' + book_url(case) + '"' in content


def test_htmx_search_adds_others_case_insensitively_and_not_the_inactive(
    client_for, convener, case, people
):
    client = client_for(convener)
    response = client.get(book_url(case), {"kontakt_sok": "  örjan  "}, **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1" not in content  # the hits alone
    found = boxes(content)
    assert len(found) == 30  # CONTACT_SEARCH_LIMIT
    assert people["gone"].pk not in found
    assert "Visar de 30 första." in content
    # Upper case, part of the unit's party name: still found.
    assert boxes(
        client.get(book_url(case), {"kontakt_sok": "ÖVRIG39"}, **HTMX).content.decode()
    ) == {people["rest"][39].pk}
    # Those already offered are not repeated among the hits.
    assert (
        boxes(client.get(book_url(case), {"kontakt_sok": "sara"}, **HTMX).content.decode()) == set()
    )
    assert (
        "Ingen fler" in client.get(book_url(case), {"kontakt_sok": "sara"}, **HTMX).content.decode()
    )


def test_ticked_hits_stay_ticked_when_the_search_changes(client_for, convener, case, people):
    ticked = people["rest"][5]
    response = client_for(convener).get(
        book_url(case), {"kontakt_sok": "ingen-sadan", "contacts": [ticked.pk, "abc"]}, **HTMX
    )
    content = response.content.decode()
    assert boxes(content) == {ticked.pk}
    assert f'value="{ticked.pk}" id="contact-{ticked.pk}" checked>' in content
    assert "Ingen fler" in content  # the kept one is no match of this search


def test_too_long_a_search_is_a_400_with_a_swedish_message(client_for, convener, case, people):
    response = client_for(convener).get(book_url(case), {"kontakt_sok": "x" * 101}, **HTMX)
    assert response.status_code == 400
    assert "Sökningen är för lång." in response.content.decode()


def test_the_uninvolved_cannot_search(client_for, case, people, orgs):
    from tests.factories import UserFactory

    stranger = UserFactory(organisation=orgs["kommun"], is_caseworker=True)
    response = client_for(stranger).get(book_url(case), {"kontakt_sok": "örjan"}, **HTMX)
    assert response.status_code == 404


def test_without_javascript_sok_keeps_the_form_as_typed_and_books_nothing(
    client_for, convener, case, people, full_consent
):
    chosen = people["rest"][7]
    before = Meeting.objects.count()
    data = form_data(contacts=[chosen.pk], purpose="", kontakt_sok="Övrig1", sok="1")
    response = client_for(convener).post(book_url(case), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert Meeting.objects.count() == before
    assert "Ange mötets syfte." not in content  # not validated: a search, not the submit
    assert "Mötet bokades inte" not in content
    assert 'value="Vilka insatser behövs?"' in content or "Vilka insatser behövs?" in content
    assert 'value="Övrig1"' in content
    # The ticked one stays ticked among the suggestions; the hits are the Övrig1x.
    assert f'value="{chosen.pk}" id="contact-{chosen.pk}" checked>' in content
    hits = {p.pk for p in people["rest"] if p.name.startswith("Örjan Övrig1")}
    assert hits <= boxes(content)


def test_the_chosen_stay_ticked_across_the_warnings(
    client_for, convener, case, people, full_consent
):
    """Ten days ahead warns: the page comes back and every invitee is still ticked, also
    those found by a search."""
    chosen = [people["rest"][3].pk, people["samverk"].pk]
    client = client_for(convener)
    before = Meeting.objects.count()
    first = client.post(book_url(case), form_data(days=10, contacts=chosen))
    assert first.status_code == 200 and Meeting.objects.count() == before
    content = first.content.decode()
    assert "minst tre veckor" in content
    for pk in chosen:
        assert f'value="{pk}" id="contact-{pk}" checked>' in content
    codes = first.context["form"].data["accepted_warnings"]
    second = client.post(
        book_url(case),
        {
            **form_data(days=10, contacts=chosen),
            "accepted_warnings": codes,
            "confirm_warnings": "on",
        },
    )
    assert second.status_code == 302
    booked = Meeting.objects.get(starts_at__gte=timezone.now())
    assert set(booked.participants.values_list("contact_person", flat=True)) >= set(chosen)


def test_propose_times_uses_the_same_block_and_search(client_for, convener, case, people):
    url = reverse("meetings:propose_times", args=[case.pk])
    client = client_for(convener)
    content = client.get(url).content.decode()
    assert boxes(content) == {people["samverk"].pk, people["of_case"].pk, people["frequent"].pk}
    assert f'hx-get="{url}"' in content
    hits = client.get(url, {"kontakt_sok": "övrig2"}, **HTMX).content.decode()
    assert people["rest"][2].pk in boxes(hits)
    searched = client.post(url, {"kontakt_sok": "övrig2", "sok": "1"})
    assert searched.status_code == 200
    assert people["rest"][2].pk in boxes(searched.content.decode())
