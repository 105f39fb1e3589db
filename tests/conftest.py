"""Shared fixtures: the three roles Samverk knows, plus an outsider with none.

`area` is the coordinator's area; `other_area` is one the coordinator does not
coordinate.
"""

import pytest

from .factories import SamverkAreaFactory, UserFactory

# The real SAML IdP the single sign-on tests run against (fixture saml_idp).
pytest_plugins = ["tests.idp.saml.fixtures"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real PBKDF2 costs ~0.3 s per user; tests create hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Every test starts with an empty cache: the sign-in's rate limits count there per
    user and address, and user ids come back in the next test's rolled-back database, so
    one test's password changes or failed logins could refuse another's (a 429 depending
    on how fast the tests before it ran)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


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
