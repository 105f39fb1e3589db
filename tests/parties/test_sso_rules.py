"""Single sign-on's rules (parties/services/sso.py), one test each: who a login through an
organisation's identity provider becomes, which roles it brings, when it counts as strong.
The same functions serve OpenID Connect and SAML; tests/parties/test_sso_oidc.py runs them
through a real OpenID Connect provider."""

import pytest
from allauth.socialaccount.models import SocialApp

from parties.models import IdentityProvider, User
from parties.services import sso
from tests.factories import (
    ContactPersonFactory,
    OrganisationFactory,
    SamverkAreaFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    organisation = OrganisationFactory(name="Eksjö kommun")
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="eksjo",
        name="Eksjö kommun",
        client_id="samverk",
        settings={"server_url": "https://login.eksjo.test"},
    )
    return IdentityProvider.objects.create(
        organisation=organisation, app=app, strong_values="urn:loa3\nurn:loa4"
    )


def test_verified_email_links_the_existing_user_of_the_organisation(provider):
    user = UserFactory(email="Anna.Berg@eksjo.test", organisation=provider.organisation)
    placement = sso.place_user(provider, "anna.berg@eksjo.test", True, {})
    assert placement.linked and not placement.created
    assert placement.user == user


def test_unverified_email_is_not_linked_to_the_existing_user(provider):
    user = UserFactory(email="anna@eksjo.test", organisation=provider.organisation)
    with pytest.raises(sso.SSORefused) as refused:
        sso.place_user(provider, "anna@eksjo.test", False, {})
    assert refused.value.user == user
    assert "bekräftat" in str(refused.value.message)


def test_unverified_email_makes_no_new_user(provider):
    with pytest.raises(sso.SSORefused):
        sso.place_user(provider, "ny@eksjo.test", False, {"given_name": "Ny"})


def test_no_email_is_refused(provider):
    with pytest.raises(sso.SSORefused):
        sso.place_user(provider, "", True, {})


def test_user_of_another_organisation_is_refused(provider):
    other = UserFactory(email="bo@annan.test", organisation=OrganisationFactory(name="Region"))
    with pytest.raises(sso.SSORefused) as refused:
        sso.place_user(provider, "bo@annan.test", True, {})
    assert refused.value.user == other
    assert "annan organisation" in str(refused.value.message)
    other.refresh_from_db()
    assert other.organisation.name == "Region"


def test_contact_person_of_the_organisation_becomes_the_user(provider):
    unit = UnitFactory(organisation=provider.organisation, name="Socialtjänsten")
    ContactPersonFactory(
        organisation=provider.organisation,
        unit=unit,
        name="Karin Kontakt",
        title="Socialsekreterare",
        phone="0381-123",
        email="karin@eksjo.test",
    )
    placement = sso.place_user(provider, "Karin@eksjo.test", True, {})
    user = placement.user
    assert placement.created and user.pk is None
    assert (user.first_name, user.last_name) == ("Karin", "Kontakt")
    assert (user.title, user.phone, user.unit) == ("Socialsekreterare", "0381-123", unit)
    assert user.organisation == provider.organisation


def test_contact_person_of_another_organisation_is_refused(provider):
    ContactPersonFactory(organisation=OrganisationFactory(name="Region"), email="k@region.test")
    with pytest.raises(sso.SSORefused):
        sso.place_user(provider, "k@region.test", True, {})


def test_new_user_is_placed_in_the_providers_organisation_without_roles(provider):
    claims = {"given_name": "Ny", "family_name": "Person", "groups": ["samverk-koordinator"]}
    placement = sso.place_user(provider, "ny@eksjo.test", True, claims)
    user = placement.user
    assert placement.created and placement.areas == []
    assert user.organisation == provider.organisation and user.email == "ny@eksjo.test"
    assert (user.first_name, user.last_name) == ("Ny", "Person")
    assert not user.is_caseworker and not user.is_administrator and not user.is_staff


def test_roles_come_from_the_claim_only_when_mapped(provider):
    user = UserFactory(organisation=provider.organisation, is_caseworker=False)
    sso.apply_roles(provider, user, {"groups": ["handlaggare"]})
    user.refresh_from_db()
    assert not user.is_caseworker


def test_mapped_caseworker_role_is_given_and_taken_by_the_claim(provider):
    provider.role_claim, provider.caseworker_value = "groups", "handlaggare"
    user = UserFactory(organisation=provider.organisation, is_caseworker=False)
    sso.apply_roles(provider, user, {"groups": ["alla", "handlaggare"]})
    assert User.objects.get(pk=user.pk).is_caseworker
    sso.apply_roles(provider, user, {"groups": ["alla"]})
    assert not User.objects.get(pk=user.pk).is_caseworker


def test_mapped_coordinator_role_is_for_the_configured_area(provider):
    area = SamverkAreaFactory(name="Samverk Eksjö")
    provider.role_claim, provider.coordinator_value = "roll", "koordinator"
    provider.coordinator_area = area
    user = UserFactory(organisation=provider.organisation)
    sso.apply_roles(provider, user, {"roll": "koordinator"})
    assert list(user.coordinated_areas.all()) == [area]
    sso.apply_roles(provider, user, {"roll": "handlaggare"})
    assert not user.coordinated_areas.exists()


def test_a_new_users_mapped_coordinator_area_is_returned_to_be_added(provider):
    area = SamverkAreaFactory()
    provider.role_claim, provider.coordinator_value = "groups", "koordinator"
    provider.coordinator_area = area
    placement = sso.place_user(provider, "kim@eksjo.test", True, {"groups": ["koordinator"]})
    assert placement.areas == [area]


def test_a_listed_authentication_context_is_strong(provider):
    assert sso.is_strong(provider, ["urn:loa4"])


def test_an_unlisted_or_missing_authentication_context_is_weak(provider):
    assert not sso.is_strong(provider, ["urn:loa1"])
    assert not sso.is_strong(provider, [])
    provider.strong_values = ""
    assert not sso.is_strong(provider, ["urn:loa4"])


def test_returning_user_moved_to_another_organisation_is_refused(provider):
    user = UserFactory(organisation=OrganisationFactory(name="Region"))
    with pytest.raises(sso.SSORefused):
        sso.check_returning_user(provider, user)


def test_role_values_without_a_claim_or_area_are_refused_by_the_model(provider):
    from django.core.exceptions import ValidationError

    provider.coordinator_value = "koordinator"
    with pytest.raises(ValidationError) as error:
        provider.full_clean()
    assert {"role_claim", "coordinator_area"} <= set(error.value.message_dict)
