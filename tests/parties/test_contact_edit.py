"""Creating, editing, deactivating contact persons: what a coordinator does every week."""

import pytest
from django.urls import reverse
from django.utils import timezone

from parties.models import ContactPerson
from tests.factories import ContactPersonFactory, OrganisationFactory, UnitFactory


@pytest.fixture
def kommun(db):
    return OrganisationFactory(name="Sävsjö kommun", kind="kommun")


def valid_data(organisation, **overrides):
    return {
        "organisation": organisation.pk,
        "unit": "",
        "name": "Maja Sjöberg",
        "title": "Socialsekreterare",
        "email": "maja.sjoberg@savsjo.example",
        "phone": "0382-150 00",
        **overrides,
    }


def test_coordinator_creates_a_contact_person(client_for, coordinator, area, kommun):
    response = client_for(coordinator).post(
        reverse("parties:contact_create", args=[area.slug]),
        valid_data(kommun, is_samverk_contact="on"),
    )
    assert response.status_code == 302
    person = ContactPerson.objects.get()
    assert person.area == area
    assert person.name == "Maja Sjöberg"
    assert person.is_samverk_contact
    assert person.is_active
    assert person.last_confirmed_on == timezone.localdate()


def test_empty_form_shows_swedish_messages_and_saves_nothing(client_for, coordinator, area):
    response = client_for(coordinator).post(reverse("parties:contact_create", args=[area.slug]), {})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Ange kontaktpersonens namn." in content
    assert "Ange en e-postadress" in content
    assert "Välj vilken part personen representerar." in content
    assert ContactPerson.objects.count() == 0


def test_invalid_email_is_refused(client_for, coordinator, area, kommun):
    response = client_for(coordinator).post(
        reverse("parties:contact_create", args=[area.slug]),
        valid_data(kommun, email="inte-en-adress"),
    )
    assert response.status_code == 400
    assert "Ange en giltig e-postadress" in response.content.decode()
    assert ContactPerson.objects.count() == 0


def test_duplicate_email_in_same_area_is_refused(client_for, coordinator, area, kommun):
    ContactPersonFactory(area=area, organisation=kommun, email="Maja.Sjoberg@savsjo.example")
    response = client_for(coordinator).post(
        reverse("parties:contact_create", args=[area.slug]), valid_data(kommun)
    )
    assert response.status_code == 400
    assert "Det finns redan en kontaktperson med den e-postadressen" in response.content.decode()
    assert ContactPerson.objects.count() == 1


def test_same_email_in_another_area_is_allowed(client_for, coordinator, area, other_area, kommun):
    ContactPersonFactory(area=other_area, organisation=kommun, email="maja.sjoberg@savsjo.example")
    response = client_for(coordinator).post(
        reverse("parties:contact_create", args=[area.slug]), valid_data(kommun)
    )
    assert response.status_code == 302


def test_unit_must_belong_to_the_chosen_party(client_for, coordinator, area, kommun):
    other_party = OrganisationFactory(name="Arbetsförmedlingen", kind="arbetsformedlingen")
    unit = UnitFactory(organisation=other_party, area=area)
    response = client_for(coordinator).post(
        reverse("parties:contact_create", args=[area.slug]), valid_data(kommun, unit=unit.pk)
    )
    assert response.status_code == 400
    assert "Enheten hör inte till den valda parten." in response.content.decode()
    assert ContactPerson.objects.count() == 0


def test_tampered_party_id_is_a_form_error_not_a_crash(client_for, coordinator, area, kommun):
    response = client_for(coordinator).post(
        reverse("parties:contact_create", args=[area.slug]),
        {**valid_data(kommun), "organisation": "999999"},
    )
    assert response.status_code == 400
    assert ContactPerson.objects.count() == 0


def test_coordinator_edits_a_phone_number(client_for, coordinator, area, kommun):
    person = ContactPersonFactory(area=area, organisation=kommun, name="Erik Lindqvist")
    url = reverse("parties:contact_update", args=[area.slug, person.pk])
    client = client_for(coordinator)
    assert client.get(url).status_code == 200
    data = valid_data(kommun, name="Erik Lindqvist", email=person.email, phone="070-123 45 67")
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.phone == "070-123 45 67"
    assert person.last_confirmed_on == timezone.localdate()


def test_a_person_of_another_area_cannot_be_edited_through_this_area(
    client_for, coordinator, area, other_area, kommun
):
    person = ContactPersonFactory(area=other_area, organisation=kommun)
    url = reverse("parties:contact_update", args=[area.slug, person.pk])
    assert client_for(coordinator).get(url).status_code == 404


def test_deactivate_and_reactivate_keeps_the_person(client_for, coordinator, area, kommun):
    person = ContactPersonFactory(area=area, organisation=kommun)
    url = reverse("parties:contact_set_active", args=[area.slug, person.pk])
    client = client_for(coordinator)
    assert client.post(url, {"active": "0"}).status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    assert client.post(url, {"active": "1"}).status_code == 302
    person.refresh_from_db()
    assert person.is_active


def test_deactivate_only_by_post(client_for, coordinator, area, kommun):
    person = ContactPersonFactory(area=area, organisation=kommun)
    response = client_for(coordinator).get(
        reverse("parties:contact_set_active", args=[area.slug, person.pk])
    )
    assert response.status_code == 405
    person.refresh_from_db()
    assert person.is_active


def test_contact_persons_cannot_be_deleted_in_the_admin(admin_client, area, kommun):
    person = ContactPersonFactory(area=area, organisation=kommun)
    response = admin_client.get(reverse("admin:parties_contactperson_delete", args=[person.pk]))
    assert response.status_code == 403
    assert ContactPerson.objects.filter(pk=person.pk).exists()
