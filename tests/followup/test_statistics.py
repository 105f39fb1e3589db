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


YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def counts(area, now=None):
    return stats.meeting_counts(stats.meetings_in([area], *YEAR), *YEAR, now=now)


def test_meetings_are_counted_by_kind_for_the_area_and_period(area, meetings):
    table = stats.by_kind(counts(area))
    assert row(table, MeetingKind.COLLABORATION.label)[1] == 2
    assert row(table, MeetingKind.PREMEETING.label)[1] == 1
    assert row(table, "Totalt")[1] == 3


def test_the_guidelines_count_lead_time_length_and_followed_premeetings(area, meetings):
    table = stats.guidelines(counts(area))
    assert row(table, "Enskilda som haft möte")[1] == 2
    assert row(table, "Förmöten följda av samverkansmöte inom 14 dagar")[1] == 1
    assert row(table, "Kallade minst tre veckor i förväg")[1] == 1
    assert row(table, "Kallade senare än tre veckor före")[1] == 1
    assert row(table, "Möten längre än en timme")[1] == 1


def test_turnout_is_per_party_over_past_meetings(area, meetings, parties):
    table = stats.turnout(stats.meetings_in([area], date(2026, 1, 1), date(2026, 12, 31)))
    assert row(table, parties[1].name)[1:] == [4, 3]


def test_months_are_bucketed_in_sql_in_local_time(area, meetings, caseworker):
    # 00:30 on 1 April in Sweden is 22:30 on 31 March in UTC: counted in April.
    MeetingFactory(
        case=meetings.case,
        starts_at=timezone.make_aware(timezone.datetime(2026, 4, 1, 0, 30)),
        ends_at=timezone.make_aware(timezone.datetime(2026, 4, 1, 1, 30)),
    )
    table = stats.by_month(counts(area))
    assert [r[0] for r in table.rows][:4] == [
        "januari 2026",
        "februari 2026",
        "mars 2026",
        "april 2026",
    ]
    assert len(table.rows) == 12
    collaboration = 1 + [k for k, _l in MeetingKind.choices].index(MeetingKind.COLLABORATION)
    assert table.rows[2][collaboration] == 2 and table.rows[3][collaboration] == 1
    assert table.shown()[2][collaboration] == "<3"


def test_a_month_or_half_year_has_its_own_months():
    assert [d.month for d, _l, _h in stats.month_ranges(date(2026, 7, 1), date(2026, 12, 31))] == [
        7,
        8,
        9,
        10,
        11,
        12,
    ]
    ((first, low, high),) = stats.month_ranges(date(2026, 2, 1), date(2026, 2, 28))
    assert timezone.localtime(low).date() == date(2026, 2, 1)
    assert timezone.localtime(high).date() == date(2026, 3, 1)


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


def test_the_median_comes_from_a_histogram():
    from followup.services.sql import median_of

    assert median_of({}) is None
    assert median_of({0: 1, 3: 1, 10: 1}) == 3
    assert median_of({1: 2, 5: 2}) == 3
    assert median_of({2: 5, None: 4}) == 2


@pytest.fixture
def held(area, caseworker, parties):
    """Three meetings in March 2026 already held (the clock is on 15 May 2026)."""
    return [
        MeetingFactory(
            case=CaseFactory(area=area, owner=caseworker),
            starts_at=at(day),
            ends_at=at(day, 11),
            convening_organisation=parties[0],
        )
        for day in (3, 4, 5)
    ]


NOW = timezone.make_aware(timezone.datetime(2026, 5, 15, 12, 0))


def test_plans_fastställda_and_distributed_with_the_median_days(area, held, caseworker):
    from cases.models import CaseEvent
    from plans.enums import PlanAction
    from tests.factories import ActionPlanFactory, PlanVersionFactory

    for meeting, frozen_after, sent_after in zip(held, (0, 2, 10), (1, None, 12), strict=True):
        plan = ActionPlanFactory(meeting=meeting)
        PlanVersionFactory(plan=plan, frozen_at=meeting.starts_at + timedelta(days=frozen_after))
        # A second version later does not move "fastställd".
        PlanVersionFactory(plan=plan, frozen_at=meeting.starts_at + timedelta(days=40))
        for days in (sent_after, 30) if sent_after is not None else ():
            CaseEvent.objects.create(
                case=meeting.case,
                user=caseworker,
                action=PlanAction.DISTRIBUTED,
                data={"meeting": meeting.pk, "version": 1, "count": 3},
                at=meeting.starts_at + timedelta(days=days),
            )
    # Another meeting's distribution in the same ärende is not this meeting's.
    CaseEvent.objects.create(
        case=held[1].case,
        user=caseworker,
        action=PlanAction.DISTRIBUTED,
        data={"meeting": held[0].pk},
        at=held[1].starts_at,
    )
    table = stats.plans(stats.meetings_in([area], *YEAR), now=NOW)
    assert row(table, "Handlingsplaner fastställda")[1] == 3
    assert row(table, "… fastställda samma dag som mötet")[1] == 1
    assert row(table, "Dagar från mötet till fastställd (median)")[1] == "2"
    assert row(table, "Handlingsplaner skickade till deltagarna")[1] == 2
    assert row(table, "Dagar från mötet till skickad (median)")[1] == "6,5"


def test_follow_ups_booked_are_later_meetings_of_the_arende(area, held):
    MeetingFactory(
        case=held[0].case, kind=MeetingKind.CHECKPOINT, starts_at=at(3) + timedelta(days=75)
    )
    # A later förmöte, or a cancelled meeting, is not a booked follow-up.
    MeetingFactory(case=held[1].case, kind=MeetingKind.PREMEETING, starts_at=at(28))
    MeetingFactory(case=held[2].case, status="cancelled", starts_at=at(28))
    table = stats.guidelines(counts(area, now=NOW))
    held_row = "Genomförda samverkans-, SIP-, avstämnings- och överlämningsmöten"
    assert row(table, held_row)[1] == 3
    assert row(table, "… följda av ett bokat uppföljande möte i ärendet")[1] == 1
    # One booked in the next year counts too.
    MeetingFactory(
        case=held[2].case,
        kind=MeetingKind.CHECKPOINT,
        starts_at=timezone.make_aware(timezone.datetime(2027, 1, 15, 10, 0)),
    )
    table = stats.guidelines(counts(area, now=NOW))
    assert row(table, "… följda av ett bokat uppföljande möte i ärendet")[1] == 2


def test_commitments_per_party_done_on_time_late_and_overdue(area, held, parties):
    from tests.factories import ActionFactory, ActionPlanFactory

    plan = ActionPlanFactory(meeting=held[0])
    due = date(2026, 4, 1)
    for done, party in [
        (due, parties[0]),
        (due - timedelta(days=3), parties[0]),
        (due + timedelta(days=5), parties[0]),
        (None, parties[0]),
        (None, parties[1]),
    ]:
        ActionFactory(plan=plan, due_on=due, done_on=done, responsible_organisation=party)
    ActionFactory(plan=plan, due_on=date(2026, 6, 1), responsible_name="Den enskilde")
    # Without När, or without Ansvar, it is not a commitment.
    ActionFactory(plan=plan, responsible_organisation=parties[1])
    ActionFactory(plan=plan, due_on=due)
    table = stats.commitments(stats.meetings_in([area], *YEAR), today=NOW.date())
    assert row(table, parties[0].name)[1:] == [4, 2, 1, 1, 0]
    assert row(table, parties[1].name)[1:] == [1, 0, 0, 1, 0]
    assert row(table, "Ingen part angiven")[1:] == [1, 0, 0, 0, 1]
    assert table.small
    assert dict((r[0], r[1:]) for r in table.shown())[parties[0].name] == [4, "<3", "<3", "<3", 0]
