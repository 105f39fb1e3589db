"""Who may read and who may change an area's contact list: every URL × every role.

Reading: every staff role (handläggare, koordinator, administratör).
Changing: only the area's own coordinators and administrators (403 otherwise).
"""

import pytest
from django.urls import reverse

from parties.models import ContactListConfirmation, ContactPerson
from tests.factories import (
    ContactPersonFactory,
    OrganisationFactory,
    RoomFactory,
    UnitFactory,
    UserFactory,
)

READ, EDIT = "read", "edit"


@pytest.fixture
def world(area):
    kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
    unit = UnitFactory(organisation=kommun, area=area, name="Arbetsmarknadsenheten")
    person = ContactPersonFactory(area=area, organisation=kommun, unit=unit, name="Erik Lindqvist")
    room = RoomFactory(area=area, name="Samverksrummet")
    return {"kommun": kommun, "unit": unit, "person": person, "room": room}


def pages(area, world):
    """(method, url, data, kind) for every page of an area's contact list."""
    slug, person, unit = area.slug, world["person"], world["unit"]
    return [
        ("get", reverse("parties:contact_list", args=[slug]), None, READ),
        ("get", reverse("parties:unit_list", args=[slug]), None, READ),
        ("get", reverse("parties:contact_export", args=[slug, "csv"]), None, READ),
        ("get", reverse("parties:contact_export", args=[slug, "xlsx"]), None, READ),
        ("get", reverse("parties:contact_list_pdf", args=[slug]), None, READ),
        ("get", reverse("parties:contact_create", args=[slug]), None, EDIT),
        ("get", reverse("parties:contact_update", args=[slug, person.pk]), None, EDIT),
        (
            "post",
            reverse("parties:contact_set_active", args=[slug, person.pk]),
            {"active": "0"},
            EDIT,
        ),
        ("post", reverse("parties:contact_list_confirm", args=[slug]), {}, EDIT),
        ("get", reverse("parties:unit_update", args=[slug, unit.pk]), None, EDIT),
        ("get", reverse("parties:contact_import", args=[slug]), None, EDIT),
        # Issue 18: the coordinator keeps the area's units, rooms and settings.
        ("get", reverse("parties:unit_create", args=[slug]), None, EDIT),
        ("get", reverse("parties:area_settings", args=[slug]), None, EDIT),
        ("get", reverse("meetings:room_list", args=[slug]), None, EDIT),
        ("get", reverse("meetings:room_create", args=[slug]), None, EDIT),
        ("get", reverse("meetings:room_update", args=[slug, world["room"].pk]), None, EDIT),
    ]


@pytest.fixture
def other_coordinator(other_area):
    return UserFactory(
        username="koordinator-tranas", is_caseworker=False, coordinated_areas=[other_area]
    )


@pytest.mark.parametrize(
    ("role", "may_read", "may_edit"),
    [
        ("caseworker", True, False),
        ("other_coordinator", True, False),
        ("coordinator", True, True),
        ("administrator", True, True),
        ("no_role_user", False, False),
    ],
)
def test_every_page_for_every_role(request, client, area, world, role, may_read, may_edit):
    user = request.getfixturevalue(role)
    client.force_login(user)
    for method, url, data, kind in pages(area, world):
        response = getattr(client, method)(url, data or {})
        allowed = may_read if kind == READ else may_edit
        if allowed:
            assert response.status_code in (200, 302), (role, url, response.status_code)
        else:
            assert response.status_code == 403, (role, url, response.status_code)


@pytest.mark.parametrize("role", ["caseworker", "other_coordinator", "no_role_user"])
def test_refused_changes_change_nothing(request, client, area, world, role):
    client.force_login(request.getfixturevalue(role))
    person = world["person"]
    client.post(reverse("parties:contact_set_active", args=[area.slug, person.pk]), {"active": "0"})
    client.post(reverse("parties:contact_list_confirm", args=[area.slug]))
    client.post(
        reverse("parties:contact_update", args=[area.slug, person.pk]),
        {"organisation": world["kommun"].pk, "name": "Ändrad", "email": person.email},
    )
    person.refresh_from_db()
    assert person.is_active and person.name == "Erik Lindqvist"
    assert not ContactListConfirmation.objects.exists()
    assert ContactPerson.objects.count() == 1


def test_area_list_needs_a_staff_role(client_for, no_role_user, caseworker, area):
    assert client_for(no_role_user).get(reverse("parties:area_list")).status_code == 403
    assert client_for(caseworker).get(reverse("parties:area_list")).status_code == 200


def test_unknown_area_is_404(client_for, coordinator):
    assert (
        client_for(coordinator)
        .get(reverse("parties:contact_list", args=["finns-inte"]))
        .status_code
        == 404
    )


def test_shared_unit_is_edited_only_by_administrators(client_for, coordinator, administrator, area):
    party = OrganisationFactory(name="Försäkringskassan", kind="forsakringskassan")
    shared = UnitFactory(organisation=party, area=None)
    url = reverse("parties:unit_update", args=[area.slug, shared.pk])
    assert client_for(coordinator).get(url).status_code == 403
    assert client_for(administrator).get(url).status_code == 200
