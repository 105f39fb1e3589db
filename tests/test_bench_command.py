"""The bench's building blocks, run inside pytest's own test database.

``manage.py bench`` itself creates and destroys its own database, so it is not
called here; its data builder and timer are.
"""

import pytest
from django.test import Client
from django.urls import reverse

from parties.models import ContactPerson, SamverkArea
from samverk import bench


@pytest.fixture
def data(db):
    return bench.build_dataset(contacts=60)


def test_builder_makes_hoglandet_with_most_contacts_in_the_measured_area(data):
    assert SamverkArea.objects.count() == 6
    assert ContactPerson.objects.count() == 60
    assert data.measured_area.contact_persons.count() == data.measured_contacts == 15
    assert data.user.has_perm("parties.edit_contact_list", data.measured_area)
    for contact in ContactPerson.objects.select_related("unit").exclude(unit=None):
        assert contact.unit.organisation_id == contact.organisation_id


def test_measure_reports_median_p95_and_queries(data):
    client = Client()
    client.force_login(data.user)
    scenario = bench.Scenario(
        "Kontaktlista", reverse("parties:contact_list", args=[data.measured_area.slug])
    )
    result = bench.measure(client, scenario, repeat=3)
    assert result.error is None
    assert len(result.times_ms) == 3
    assert result.median_ms > 0 and result.p95_ms >= result.median_ms
    assert result.query_count > 0
    assert result.as_dict()["queries"] == result.query_count
    assert "Kontaktlista" in bench.format_table([result])


def test_a_failing_page_is_an_error_not_a_crash(data):
    client = Client()
    client.force_login(data.user)
    missing = bench.Scenario("Finns inte", "/kontakter/finns-inte/")
    result = bench.measure(client, missing, repeat=2)
    assert result.error == "HTTP 404"
    assert result.median_ms is None
    assert "FEL: HTTP 404" in bench.format_table([result])


def test_default_scenarios_cover_list_search_exports_and_pdf(data):
    names = [scenario.name for scenario in bench.default_scenarios(data)]
    assert len(names) == len(set(names))
    for wanted in ["Kontaktlista", "Sök", "Filter", "CSV", "XLSX", "PDF kall", "PDF varm"]:
        assert any(wanted in name for name in names), wanted
