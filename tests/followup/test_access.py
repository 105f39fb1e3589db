"""Who reaches the followup pages, from the URL conf: every named URL of followup/urls.py
has a rule below, or test_every_followup_url_has_a_rule fails.

The area's coordinator reaches everything of the area; another area's coordinator, a
handläggare and a user with no role get 403 (the reporting pages: a user with no staff role
403, every staff member 200), see nothing and change nothing."""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from followup.models import Deviation
from followup.services.deviations import report_deviation

GET, POST = "GET", "POST"
# name -> (kwargs from the world, methods): the area's coordinator only.
COORDINATOR = {
    "followup:deviation_detail": (lambda w: {"pk": w.deviation.pk}, [GET, POST]),
    "followup:deviation_list": (lambda w: {"area_slug": w.area.slug}, [GET]),
    "followup:deviation_compilation": (lambda w: {"area_slug": w.area.slug}, [GET, POST]),
    "followup:statistics": (lambda w: {"area_slug": w.area.slug}, [GET]),
    "followup:statistics_export": (
        lambda w: {"area_slug": w.area.slug, "file_format": "xlsx"},
        [GET],
    ),
    "followup:annual_report": (lambda w: {"area_slug": w.area.slug, "year": 2026}, [GET]),
}
# Any staff member; a user with no staff role 403.
STAFF = {
    "followup:deviation_create": (lambda w: {}, [GET, POST]),
    "followup:deviation_create_from_case": (lambda w: {"case_pk": w.case.pk}, [GET]),
}
NOT_TIED = {
    "followup:home": "the menu's Uppföljning: a redirect to the user's own pages (test_steering)",
    "followup:deviation_mine": "the user's own reports (test_deviations.py)",
    "followup:deviation_areas": "the areas the user coordinates, else 403 (below)",
}
# All Höglandet's statistics: any coordinator and the administrators (test_statistics.py);
# here: a handläggare and a user with no role get 403.
HOGLANDET = {
    "followup:statistics": {"area_slug": "hoglandet"},
    "followup:statistics_export": {"area_slug": "hoglandet", "file_format": "xlsx"},
    "followup:annual_report": {"area_slug": "hoglandet", "year": 2026},
}


def followup_url_names():
    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
                yield from walk(entry.url_patterns, ns)
            elif isinstance(entry, URLPattern) and prefix.startswith("followup:"):
                yield f"{prefix}{entry.name}"

    return list(walk(get_resolver().url_patterns, ""))


def test_every_followup_url_has_a_rule():
    names = followup_url_names()
    assert names, "followup/urls.py is not mounted"
    # Spindeln's URLs have their rules in test_spindeln_access.py (from the URL conf too).
    missing = [
        n
        for n in names
        if n not in COORDINATOR | STAFF | NOT_TIED and not n.startswith("followup:spindeln_")
    ]
    assert set(HOGLANDET) <= set(names)
    assert not missing, f"URLs without an access rule in tests/followup/test_access.py: {missing}"


class World:
    pass


@pytest.fixture
def world(area, caseworker, parties, case):
    w = World()
    w.area = area
    w.case = case
    w.deviation = report_deviation(
        user=caseworker,
        area=area,
        occurred_on=date(2026, 2, 1),
        category="information",
        what_happened="Hemlig text om händelsen",
        consequence="Fick vänta",
        parties=parties,
    )
    return w


def _cases(table):
    for name, (_kwargs, methods) in table.items():
        for method in methods:
            yield name, method


def _call(client, world, table, name, method):
    url = reverse(name, kwargs=table[name][0](world))
    return client.get(url) if method == GET else client.post(url, {})


def _state():
    return list(Deviation.objects.values_list("pk", "status", "notes", "measures"))


@pytest.mark.parametrize(("name", "method"), list(_cases(COORDINATOR)))
def test_the_coordinator_reaches_every_url(client_for, coordinator, world, name, method):
    response = _call(client_for(coordinator), world, COORDINATOR, name, method)
    assert response.status_code not in (403, 404, 500), (name, method)


@pytest.mark.parametrize("who", ["other_coordinator", "caseworker", "no_role"])
@pytest.mark.parametrize(("name", "method"), list(_cases(COORDINATOR)))
def test_others_are_refused_the_areas_avvikelser(request, client_for, world, who, name, method):
    before = _state()
    response = _call(client_for(request.getfixturevalue(who)), world, COORDINATOR, name, method)
    assert response.status_code == 403, (who, name, method)
    assert "Hemlig text" not in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize(("name", "method"), list(_cases(STAFF)))
def test_staff_may_report(client_for, caseworker, world, name, method):
    response = _call(client_for(caseworker), world, STAFF, name, method)
    assert response.status_code in (200, 400), (name, method)


@pytest.mark.parametrize(("name", "method"), list(_cases(STAFF)))
def test_a_user_without_a_staff_role_may_not_report(client_for, no_role, world, name, method):
    before = _state()
    response = _call(client_for(no_role), world, STAFF, name, method)
    assert response.status_code in (403, 404), (name, method)
    assert _state() == before


def test_the_areas_page_is_403_for_a_non_coordinator(client_for, caseworker, coordinator, world):
    url = reverse("followup:deviation_areas")
    assert client_for(caseworker).get(url).status_code == 403
    assert client_for(coordinator).get(url).status_code == 302


def test_the_reporters_list_shows_only_their_own(client_for, coordinator, world):
    page = client_for(coordinator).get(reverse("followup:deviation_mine")).content.decode()
    assert "Inte rapporterat" in page or "Du har inte rapporterat" in page


@pytest.mark.parametrize("who", ["caseworker", "no_role"])
@pytest.mark.parametrize("name", list(HOGLANDET))
def test_hoglandet_is_refused_to_non_coordinators(request, client_for, world, who, name):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse(name, kwargs=HOGLANDET[name])).status_code == 403
