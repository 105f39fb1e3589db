"""Statistics (followup/services/statistics.py): one rule, one test, and the page."""

from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from followup.services import statistics as stats
from followup.services.statistics import Table, shown_count
from meetings.enums import MeetingKind
from tests.factories import CaseFactory, MeetingFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def at(day, hour=10):
    return timezone.make_aware(timezone.datetime(2026, 3, day, hour, 0))


@pytest.fixture
def meetings(area, other_area, caseworker, parties):
    case = CaseFactory(area=area, owner=caseworker)
    second = CaseFactory(area=area, owner=caseworker)
    pre = MeetingFactory(
        case=case,
        kind=MeetingKind.PREMEETING,
        starts_at=at(2),
        ends_at=at(2, 11),
        convening_organisation=parties[0],
        invitations_sent_at=at(2) - timedelta(days=30),
    )
    MeetingFactory(
        case=case,
        kind=MeetingKind.COLLABORATION,
        premeeting=pre,
        starts_at=at(10),
        ends_at=at(10, 12),
        convening_organisation=parties[0],
        invitations_sent_at=at(10) - timedelta(days=5),
    )
    held = MeetingFactory(
        case=second,
        kind=MeetingKind.COLLABORATION,
        starts_at=at(20),
        ends_at=at(20, 11),
        convening_organisation=parties[1],
    )
    for n in range(4):
        ParticipantFactory(
            meeting=held,
            kind="external",
            organisation=parties[1],
            name=f"P{n}",
            attendance="present" if n < 3 else "absent",
        )
    # Another area's meeting is not counted for this area.
    MeetingFactory(case=CaseFactory(area=other_area, owner=caseworker), starts_at=at(5))
    return pre


def row(table, label):
    return next(r for r in table.rows if r[0] == label)


def test_small_counts_show_as_under_three_only_in_broken_down_tables():
    assert shown_count(2, True) == "<3" and shown_count(0, True) == 0
    assert shown_count(3, True) == 3 and shown_count(2, False) == 2
    table = Table("t", "T", ["Part", "Antal"], [["FK", 1], ["AF", 5]], small=True)
    assert table.shown() == [["FK", "<3"], ["AF", 5]]


def test_meetings_are_counted_by_kind_for_the_area_and_period(area, meetings):
    table = stats.by_kind(stats.meetings_in([area], date(2026, 1, 1), date(2026, 12, 31)))
    assert row(table, MeetingKind.COLLABORATION.label)[1] == 2
    assert row(table, MeetingKind.PREMEETING.label)[1] == 1
    assert row(table, "Totalt")[1] == 3


def test_the_guidelines_count_lead_time_length_and_followed_premeetings(area, meetings):
    table = stats.guidelines(stats.meetings_in([area], date(2026, 1, 1), date(2026, 12, 31)))
    assert row(table, "Enskilda som haft möte")[1] == 2
    assert row(table, "Förmöten följda av samverkansmöte inom 14 dagar")[1] == 1
    assert row(table, "Kallade minst tre veckor i förväg")[1] == 1
    assert row(table, "Kallade senare än tre veckor före")[1] == 1
    assert row(table, "Möten längre än en timme")[1] == 1


def test_turnout_is_per_party_over_past_meetings(area, meetings, parties):
    table = stats.turnout(stats.meetings_in([area], date(2026, 1, 1), date(2026, 12, 31)))
    assert row(table, parties[1].name)[1:] == [4, 3]


def test_months_are_bucketed_in_sql(area, meetings):
    table = stats.by_month(stats.meetings_in([area], date(2026, 1, 1), date(2026, 12, 31)))
    assert [r[0] for r in table.rows] == ["mars 2026"]


def test_the_page_shows_charts_with_tables_and_exports_xlsx(
    client_for, coordinator, area, meetings
):
    client = client_for(coordinator)
    url = reverse("followup:statistics", args=[area.slug])
    page = client.get(url, {"ar": "2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") >= 3 and "Kallade och närvarande per part" in html
    assert "&lt;3" in html  # the small-count rule shown
    xlsx = client.get(
        reverse("followup:statistics_export", args=[area.slug, "xlsx"]), {"ar": "2026"}
    )
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(__import__("io").BytesIO(xlsx.content))
    assert len(book.sheetnames) >= 8
    csv = client.get(
        reverse("followup:statistics_export", args=[area.slug, "csv"]),
        {"ar": "2026", "tabell": "by_kind"},
    )
    assert csv.status_code == 200 and "Samverkansmöte" in csv.content.decode("utf-8-sig")
    assert client.get(url, {"ar": "abc"}).status_code == 400


def test_hoglandet_is_for_coordinators_and_administrators(
    client_for, coordinator, caseworker, meetings
):
    url = reverse("followup:statistics", args=["hoglandet"])
    assert client_for(coordinator).get(url, {"ar": "2026"}).status_code == 200
    assert client_for(caseworker).get(url).status_code == 403


def test_the_annual_report_is_a_pdf_with_the_charts_and_tables(
    client_for, coordinator, area, meetings
):
    from pypdf import PdfReader

    url = reverse("followup:annual_report", args=[area.slug, 2026])
    response = client_for(coordinator).get(url)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="arsrapport-{area.slug}-2026.pdf"'
    )
    import io

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert f"Årsrapport {area.name} 2026" in text
    assert "Kallade och närvarande per part" in text and "<3" in text
    (Path(__file__).resolve().parents[2] / "test-output").mkdir(exist_ok=True)
    (Path(__file__).resolve().parents[2] / "test-output" / "arsrapport.pdf").write_bytes(
        response.content
    )
