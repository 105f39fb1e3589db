"""The bench's area plan pages (issue 18): 12 mål × 3 aktiviteter with uppdrag and a
fastställd version, within the page targets; the query count does not grow with the plan."""

import pytest
from django.test import Client

from bench import dataset, scenarios
from bench.areaplans import build_area_plan


@pytest.fixture
def data(db):
    return dataset.build_dataset(contacts=30, cases=12, meetings=12)


def test_area_plan_pages_within_targets(data):
    plan_page, public_page, version_page = scenarios.area_plan_scenarios(data)
    client = Client()
    client.force_login(data.user)
    for scenario in (plan_page, public_page, version_page):
        result = scenarios.measure(client, scenario, repeat=3)
        assert result.error is None, result.error
        assert result.query_count <= scenarios.TARGET_QUERIES, (scenario.name, result.queries)
    page = client.get(plan_page.url).content.decode()
    assert page.count("Ändra målet") == 12
    assert page.count("Uppdrag till aktivitet") == 36
    frozen = client.get(version_page.url).content.decode()
    assert frozen.count("Uppdrag till aktivitet") == 36
    public = client.get(public_page.url).content.decode()
    assert public.count("Ledamot ") == 4  # the four who agreed
    assert "Uppdrag till aktivitet" not in public


def test_queries_do_not_grow_with_the_plan(data):
    client = Client()
    client.force_login(data.user)
    counts = []
    for goals in (2, 12):
        build_area_plan(data.measured_area, data.user, goals=goals)
        (plan_page, public_page) = (
            scenarios.Scenario("plan", f"/handlingsplaner/{data.measured_area.slug}/2026/"),
            scenarios.Scenario("public", f"/omrade/{data.measured_area.slug}/"),
        )
        counts.append(
            tuple(scenarios.measure(client, s, 2).query_count for s in (plan_page, public_page))
        )
    assert counts[0] == counts[1]
