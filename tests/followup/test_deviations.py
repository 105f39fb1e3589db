"""Avvikelser: one rule, one test (followup/services/deviations.py) and the pages."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from followup.enums import DeviationCategory, DeviationStatus
from followup.models import Deviation
from followup.services import deviations as service
from followup.services.periods import BadPeriod, period_from
from groups.models import AgendaItem, Group, GroupMeeting
from outbox.models import OutboundMessage
from tests.helpers import PNR

pytestmark = pytest.mark.django_db


def report(user, area, parties, **overrides):
    data = {
        "user": user,
        "area": area,
        "occurred_on": date(2026, 3, 4),
        "category": DeviationCategory.BETWEEN_CHAIRS,
        "what_happened": "Ingen part tog ansvar för att boka uppföljningen.",
        "consequence": "Hamnade mellan stolarna i två månader.",
        "parties": parties,
    }
    return service.report_deviation(**{**data, **overrides})


def form_data(area, parties, **overrides):
    data = {
        "area": area.pk,
        "occurred_on": "2026-03-04",
        "category": DeviationCategory.INFORMATION,
        "parties": [p.pk for p in parties],
        "what_happened": "Informationen om beslutet kom inte fram till vårdcentralen.",
        "consequence": "Fick vänta på insatsen.",
    }
    return {**data, **overrides}


def test_a_report_goes_to_the_areas_coordinator_without_its_text(
    caseworker, coordinator, area, parties
):
    deviation = report(caseworker, area, parties[:2])
    message = OutboundMessage.objects.get(to_email=coordinator.email)
    assert area.name in message.subject
    assert reverse("followup:deviation_detail", args=[deviation.pk]) in message.text_body
    assert "Ingen part tog ansvar" not in message.text_body + message.html_body
    assert deviation.status == DeviationStatus.NEW


def test_a_report_from_a_case_of_another_area_is_refused(caseworker, other_area, parties, case):
    with pytest.raises(ValidationError):
        report(caseworker, other_area, parties, case=case)
    assert not Deviation.objects.exists()


def test_possible_names_finds_two_capitalised_words_not_the_parties():
    assert service.possible_names("Anna Svensson ringde") == ["Anna Svensson"]
    assert service.possible_names("Region Jönköpings län och Försäkringskassan") == []
    assert service.possible_names("Han ringde till oss") == []


def test_possible_names_finds_the_individuals_own_name():
    assert service.possible_names("alva ringde", known=("Alva", "Enskildsson")) == ["Alva"]


def test_handling_links_only_the_areas_activity_and_agenda_item(
    caseworker, area, other_area, parties
):
    deviation = report(caseworker, area, parties)
    group = Group.objects.create(area=other_area, kind="styrgrupp")
    meeting = GroupMeeting.objects.create(
        group=group, starts_at="2026-03-01T10:00Z", ends_at="2026-03-01T11:00Z"
    )
    item = AgendaItem.objects.create(meeting=meeting, title="Avvikelser")
    with pytest.raises(ValidationError) as error:
        service.handle_deviation(
            deviation, status="utreds", notes="", measures="", agenda_item=item
        )
    assert "agenda_item" in error.value.message_dict
    deviation.refresh_from_db()
    assert deviation.status == DeviationStatus.NEW and deviation.agenda_item is None


def test_handling_records_when_the_status_changed(caseworker, area, parties):
    deviation = report(caseworker, area, parties)
    service.handle_deviation(deviation, status="utreds", notes="Ringt FK", measures="")
    deviation.refresh_from_db()
    assert deviation.status == DeviationStatus.INVESTIGATING and deviation.status_changed_at


def test_the_compilation_counts_per_party_and_category_in_the_period(caseworker, area, parties):
    report(caseworker, area, parties[:2])
    report(caseworker, area, parties[1:2], category=DeviationCategory.RULES)
    report(caseworker, area, parties, occurred_on=date(2025, 12, 31))
    summary = service.compilation([area], date(2026, 1, 1), date(2026, 12, 31))
    assert summary["total"] == 2
    assert dict(summary["by_party"]) == {"Försäkringskassan": 2, "Sävsjö kommun": 1}
    by_category = dict(summary["by_category"])
    assert by_category[DeviationCategory.BETWEEN_CHAIRS.label] == 1
    assert by_category[DeviationCategory.RULES.label] == 1


def test_the_period_is_a_year_half_year_or_month():
    assert period_from({"ar": "2026"}).end == date(2026, 12, 31)
    assert period_from({"ar": "2026", "halvar": "2"}).start == date(2026, 7, 1)
    assert period_from({"ar": "2026", "manad": "2"}).end == date(2026, 2, 28)
    for bad in ({"ar": "x"}, {"ar": "2026", "manad": "13"}, {"ar": "2026", "halvar": "3"}):
        with pytest.raises(BadPeriod):
            period_from(bad)


def test_the_form_refuses_a_personnummer_and_saves_nothing(client_for, caseworker, area, parties):
    data = form_data(area, parties, what_happened=f"Gäller {PNR}, se ärendet")
    response = client_for(caseworker).post(reverse("followup:deviation_create"), data)
    assert response.status_code == 400
    assert "Skriv inte personnummer här" in response.content.decode()
    assert not Deviation.objects.exists()


def test_the_form_warns_on_a_name_until_confirmed(client_for, caseworker, area, parties):
    client = client_for(caseworker)
    data = form_data(area, parties, what_happened="Anna Svensson fick inget besked.")
    response = client.post(reverse("followup:deviation_create"), data)
    assert response.status_code == 400
    assert "Anna Svensson" in response.content.decode()
    assert not Deviation.objects.exists()
    response = client.post(reverse("followup:deviation_create"), {**data, "names_checked": "on"})
    assert response.status_code == 302
    assert Deviation.objects.count() == 1


def test_from_a_case_only_the_coordinator_sees_the_link(
    client_for, caseworker, coordinator, area, parties, case
):
    url = reverse("followup:deviation_create_from_case", args=[case.pk])
    data = form_data(area, parties)
    del data["area"]
    response = client_for(caseworker).post(url, data)
    assert response.status_code == 302
    deviation = Deviation.objects.get()
    assert deviation.case == case and deviation.area == area
    mine = client_for(caseworker).get(reverse("followup:deviation_mine")).content.decode()
    assert reverse("cases:detail", args=[case.pk]) not in mine
    assert "Ny" in mine
    page = client_for(coordinator).get(reverse("followup:deviation_detail", args=[deviation.pk]))
    assert reverse("cases:detail", args=[case.pk]) in page.content.decode()


def test_from_a_case_the_user_cannot_open_is_404(client_for, no_role, area, parties, case):
    from tests.factories import UserFactory

    stranger = UserFactory(username="annan-handlaggare", is_caseworker=True)
    url = reverse("followup:deviation_create_from_case", args=[case.pk])
    assert client_for(stranger).get(url).status_code == 404


def test_the_reporter_sees_the_status_the_coordinator_gives(
    client_for, caseworker, coordinator, area, parties
):
    deviation = report(caseworker, area, parties)
    url = reverse("followup:deviation_detail", args=[deviation.pk])
    response = client_for(coordinator).post(
        url, {"status": "atgardad", "notes": "Rutin ändrad", "measures": "Ny rutin för FK"}
    )
    assert response.status_code == 302
    mine = client_for(caseworker).get(reverse("followup:deviation_mine")).content.decode()
    assert "Åtgärdad" in mine and "Rutin ändrad" not in mine


def test_the_compilation_page_shows_counts_and_refuses_a_bad_year(
    client_for, caseworker, coordinator, area, parties
):
    report(caseworker, area, parties)
    url = reverse("followup:deviation_compilation", args=[area.slug])
    page = client_for(coordinator).get(url, {"ar": "2026"}).content.decode()
    assert "Försäkringskassan" in page and "Ingen part tog ansvar" not in page
    assert client_for(coordinator).get(url, {"ar": "99999"}).status_code == 400
