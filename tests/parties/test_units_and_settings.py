"""The area's coordinator keeps its units (now also new ones), rooms and settings in the
app (issue 18); the contact form's Enhet list names each unit's party for the Part filter."""

import pytest
from django.urls import reverse

from meetings.models import Room
from parties.models import Unit
from tests.factories import OrganisationFactory, RoomFactory, UnitFactory, UserFactory


@pytest.fixture
def region(db):
    return OrganisationFactory(name="Region Jönköpings län", kind="region")


@pytest.fixture
def other_coordinator(other_area):
    return UserFactory(username="koord-tranas", is_caseworker=False, coordinated_areas=[other_area])


def test_coordinator_creates_a_unit_of_the_area(client_for, coordinator, area, region):
    response = client_for(coordinator).post(
        reverse("parties:unit_create", args=[area.slug]),
        {"organisation": region.pk, "name": "Eksjö vårdcentral", "way_in": "Ring 1177"},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="Eksjö vårdcentral")
    assert (unit.area, unit.organisation, unit.way_in) == (area, region, "Ring 1177")


def test_a_unit_needs_a_party_and_a_free_name(client_for, coordinator, area, region):
    UnitFactory(organisation=region, area=area, name="Vårdcentralen")
    url = reverse("parties:unit_create", args=[area.slug])
    client = client_for(coordinator)
    missing = client.post(url, {"name": "Ny enhet"})
    assert missing.status_code == 400
    assert "Välj vilken part enheten hör till." in missing.content.decode()
    taken = client.post(url, {"organisation": region.pk, "name": "Vårdcentralen"})
    assert taken.status_code == 400
    assert "Parten har redan en enhet med det namnet." in taken.content.decode()
    assert Unit.objects.count() == 1


def test_another_areas_coordinator_cannot_add(client_for, other_coordinator, area, region):
    response = client_for(other_coordinator).post(
        reverse("parties:unit_create", args=[area.slug]),
        {"organisation": region.pk, "name": "Smygenhet"},
    )
    assert response.status_code == 403
    assert not Unit.objects.exists()


def test_area_settings(client_for, coordinator, other_coordinator, area):
    url = reverse("parties:area_settings", args=[area.slug])
    data = {"municipality": "Sävsjö", "target_age_min": "18", "target_age_max": "30"}
    assert client_for(other_coordinator).post(url, data).status_code == 403
    client = client_for(coordinator)
    wrong = client.post(url, {**data, "target_age_min": "40"})
    assert wrong.status_code == 400
    assert "Högsta ålder kan inte vara lägre än lägsta ålder." in wrong.content.decode()
    area.refresh_from_db()
    assert (area.target_age_min, area.target_age_max) == (16, 64)
    assert client.post(url, {**data, "extract_names_staff": "on"}).status_code == 302
    area.refresh_from_db()
    assert (area.target_age_min, area.target_age_max, area.extract_names_staff) == (18, 30, True)


def test_rooms(client_for, coordinator, other_coordinator, area, other_area):
    RoomFactory(area=area, name="Samverksrummet")
    theirs = RoomFactory(area=other_area, name="Tranås rum")
    client = client_for(coordinator)
    create = reverse("meetings:room_create", args=[area.slug])
    assert client.post(create, {"name": "Ljuset", "address": "Parkgatan 2"}).status_code == 302
    taken = client.post(create, {"name": "samverksrummet"})
    assert taken.status_code == 400
    assert "Området har redan ett rum med det namnet." in taken.content.decode()
    # Another area's room is not reachable through this area.
    other = reverse("meetings:room_update", args=[area.slug, theirs.pk])
    assert client.post(other, {"name": "Kapat"}).status_code == 404
    assert client_for(other_coordinator).post(create, {"name": "Smyg"}).status_code == 403
    assert sorted(Room.objects.filter(area=area).values_list("name", flat=True)) == [
        "Ljuset",
        "Samverksrummet",
    ]
    theirs.refresh_from_db()
    assert theirs.name == "Tranås rum"


def test_contact_form_units_name_their_party(client_for, coordinator, area, region):
    unit = UnitFactory(organisation=region, area=area, name="Vårdcentralen")
    page = client_for(coordinator).get(reverse("parties:contact_create", args=[area.slug]))
    html = page.content.decode()
    assert f'value="{unit.pk}" data-organisation="{region.pk}"' in html
    assert 'data-follows="id_organisation"' in html
    assert "js/unit_filter.js" in html
