"""Shared fixtures: the three roles Samverk knows, plus an outsider with none.

`area` is the coordinator's area; `other_area` is one the coordinator does not
coordinate.
"""

import pytest

from .factories import SamverkAreaFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real PBKDF2 costs ~0.3 s per user; tests create hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def area(db):
    return SamverkAreaFactory(municipality="Sävsjö", slug="savsjo")


@pytest.fixture
def other_area(db):
    return SamverkAreaFactory(municipality="Tranås", slug="tranas")


@pytest.fixture
def caseworker(db):
    return UserFactory(username="handlaggare", is_caseworker=True)


@pytest.fixture
def coordinator(db, area):
    return UserFactory(username="koordinator", is_caseworker=False, coordinated_areas=[area])


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", is_caseworker=False, is_administrator=True)


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="utan-roll", is_caseworker=False)


@pytest.fixture
def client_for(client):
    """Log the test client in as a user: ``client_for(coordinator).get(url)``."""

    def login(user):
        client.force_login(user)
        return client

    return login
