"""The user loaded on each request comes with the organisation the menu shows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parties.backends import StaffBackend
from tests.factories import OrganisationFactory, UserFactory


def test_user_comes_with_organisation_in_one_query(db, django_assert_num_queries):
    user = UserFactory(organisation=OrganisationFactory(name="Försäkringskassan"))
    with django_assert_num_queries(1):
        loaded = StaffBackend().get_user(user.pk)
        assert loaded.organisation.name == "Försäkringskassan"


def test_inactive_or_unknown_user_is_not_loaded(db):
    user = UserFactory(is_active=False)
    assert StaffBackend().get_user(user.pk) is None
    assert StaffBackend().get_user(user.pk + 1000) is None


def test_menu_shows_organisation_without_a_query_of_its_own(client, db):
    user = UserFactory(organisation=OrganisationFactory(name="Region Jönköpings län"))
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        content = client.get(reverse("cases:list")).content.decode()
    assert "Region Jönköpings län" in content
    own_queries = [q for q in ctx.captured_queries if 'FROM "parties_organisation"' in q["sql"]]
    assert not own_queries


def test_password_login_still_works(client, db):
    user = UserFactory(username="inloggning")
    user.set_password("ett-bra-losenord-123")
    user.save()
    response = client.post(
        reverse("login"), {"login": "inloggning", "password": "ett-bra-losenord-123"}
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
