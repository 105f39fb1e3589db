"""The coordinator's contact list: search, filters, stale warning, query count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ContactPersonFactory, OrganisationFactory, UnitFactory


def list_url(area, **params):
    from urllib.parse import urlencode

    url = reverse("parties:contact_list", args=[area.slug])
    return f"{url}?{urlencode(params)}" if params else url


@pytest.fixture
def people(area, other_area):
    af = OrganisationFactory(name="Arbetsförmedlingen", kind="arbetsformedlingen")
    kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
    ame = UnitFactory(organisation=kommun, name="Arbetsmarknadsenheten", area=area)
    return {
        "anna": ContactPersonFactory(
            area=area, organisation=af, name="Anna Ekström", title="Arbetsförmedlare"
        ),
        "erik": ContactPersonFactory(
            area=area, organisation=kommun, unit=ame, name="Erik Lindqvist", phone="0382-15000"
        ),
        "gone": ContactPersonFactory(
            area=area, organisation=kommun, name="Greta Slutat", is_active=False
        ),
        "elsewhere": ContactPersonFactory(area=other_area, organisation=af, name="Tora Tranås"),
        "af": af,
        "kommun": kommun,
        "ame": ame,
    }


def test_list_shows_active_people_of_the_area_only(client_for, caseworker, area, people):
    response = client_for(caseworker).get(list_url(area))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Anna Ekström" in content and "Erik Lindqvist" in content
    assert "Greta Slutat" not in content
    assert "Tora Tranås" not in content


def test_inactive_people_are_shown_when_asked_for(client_for, caseworker, area, people):
    content = client_for(caseworker).get(list_url(area, status="inaktiva")).content.decode()
    assert "Greta Slutat" in content and "Anna Ekström" not in content


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("ekström", "Anna Ekström", "Erik Lindqvist"),
        ("arbetsmarknad", "Erik Lindqvist", "Anna Ekström"),
        ("15000", "Erik Lindqvist", "Anna Ekström"),
        ("anna arbetsförmedlare", "Anna Ekström", "Erik Lindqvist"),
    ],
)
def test_search_matches_name_unit_phone_and_title(
    client_for, caseworker, area, people, query, found, not_found
):
    content = client_for(caseworker).get(list_url(area, q=query)).content.decode()
    assert found in content
    assert not_found not in content


def test_filter_by_party_and_unit(client_for, caseworker, area, people):
    client = client_for(caseworker)
    by_party = client.get(list_url(area, organisation=people["af"].pk)).content.decode()
    assert "Anna Ekström" in by_party and "Erik Lindqvist" not in by_party
    by_unit = client.get(list_url(area, unit=people["ame"].pk)).content.decode()
    assert "Erik Lindqvist" in by_unit and "Anna Ekström" not in by_unit


def test_samverk_contact_filter(client_for, caseworker, area, people):
    people["anna"].is_samverk_contact = True
    people["anna"].save()
    content = client_for(caseworker).get(list_url(area, samverk_contact="on")).content.decode()
    assert "Anna Ekström" in content and "Erik Lindqvist" not in content


def test_a_tampered_filter_value_gives_an_empty_list_not_an_error(
    client_for, caseworker, area, people
):
    response = client_for(caseworker).get(list_url(area, organisation="not-a-number", unit="99999"))
    assert response.status_code == 200
    assert "Anna Ekström" not in response.content.decode()


def test_stale_list_shows_a_warning(client_for, caseworker, area, people):
    area.contacts_confirmed_on = timezone.localdate() - timedelta(days=200)
    area.save()
    content = client_for(caseworker).get(list_url(area)).content.decode()
    assert "Listan kan vara inaktuell" in content


def test_recently_confirmed_list_has_no_warning(client_for, caseworker, area, people):
    area.contacts_confirmed_on = timezone.localdate() - timedelta(days=10)
    area.save()
    content = client_for(caseworker).get(list_url(area)).content.decode()
    assert "Listan kan vara inaktuell" not in content


def test_never_confirmed_list_shows_a_warning(client_for, caseworker, area, people):
    content = client_for(caseworker).get(list_url(area)).content.decode()
    assert "aldrig bekräftats" in content


def test_page_has_exactly_one_h1_and_labelled_filters(client_for, caseworker, area, people):
    content = client_for(caseworker).get(list_url(area)).content.decode()
    assert content.count("<h1") == 1
    for field in ("id_q", "id_organisation", "id_unit", "id_status", "id_samverk_contact"):
        assert f'for="{field}"' in content


def test_caseworker_sees_no_edit_buttons(client_for, caseworker, area, people):
    content = client_for(caseworker).get(list_url(area)).content.decode()
    assert reverse("parties:contact_create", args=[area.slug]) not in content
    assert "Inaktivera" not in content


def test_coordinator_sees_edit_buttons(client_for, coordinator, area, people):
    content = client_for(coordinator).get(list_url(area)).content.decode()
    assert reverse("parties:contact_create", args=[area.slug]) in content
    assert "Bekräfta att listan är aktuell" in content


def test_query_count_does_not_grow_with_rows(
    client_for, coordinator, area, django_assert_max_num_queries
):
    client = client_for(coordinator)
    kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
    unit = UnitFactory(organisation=kommun, area=area)
    ContactPersonFactory.create_batch(1, area=area, organisation=kommun, unit=unit)
    with django_assert_max_num_queries(12) as few:
        client.get(list_url(area))
    ContactPersonFactory.create_batch(120, area=area, organisation=kommun, unit=unit)
    with django_assert_max_num_queries(12) as many:
        response = client.get(list_url(area))
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_list_is_paginated(client_for, caseworker, area):
    kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
    ContactPersonFactory.create_batch(60, area=area, organisation=kommun)
    client = client_for(caseworker)
    first = client.get(list_url(area)).content.decode()
    assert "Sida 1 av 2" in first
    second = client.get(list_url(area, page=2))
    assert second.status_code == 200
    assert client.get(list_url(area, page=9)).status_code == 404
