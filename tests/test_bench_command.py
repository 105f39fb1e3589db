"""The bench's building blocks, run inside pytest's own test database.

``manage.py bench`` itself creates and destroys its own database, so it is not
called here; its data builder and timer are.
"""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench import dataset, scenarios
from cases.models import Case
from consent.models import Consent
from meetings.enums import MeetingKind, MeetingStatus, ParticipantKind
from meetings.models import Meeting, Participant
from meetings.services.dashboard import follow_up_booked
from parties.models import ContactPerson, SamverkArea, User

CASES, MEETINGS = 40, 200


@pytest.fixture
def data(db):
    return dataset.build_dataset(contacts=60, cases=CASES, meetings=MEETINGS)


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
    scenario = scenarios.Scenario(
        "Kontaktlista", reverse("parties:contact_list", args=[data.measured_area.slug])
    )
    result = scenarios.measure(client, scenario, repeat=3)
    assert result.error is None
    assert len(result.times_ms) == 3
    assert result.median_ms > 0 and result.p95_ms >= result.median_ms
    assert result.query_count > 0
    assert result.as_dict()["queries"] == result.query_count
    assert "Kontaktlista" in scenarios.format_table([result])


def test_a_failing_page_is_an_error_not_a_crash(data):
    client = Client()
    client.force_login(data.user)
    missing = scenarios.Scenario("Finns inte", "/kontakter/finns-inte/")
    result = scenarios.measure(client, missing, repeat=2)
    assert result.error == "HTTP 404"
    assert result.median_ms is None
    assert "FEL: HTTP 404" in scenarios.format_table([result])


def test_default_scenarios_cover_list_search_exports_and_pdf(data):
    names = [scenario.name for scenario in scenarios.default_scenarios(data)]
    assert len(names) == len(set(names))
    for wanted in [
        "Kontaktlista",
        "Sök",
        "Filter",
        "CSV",
        "XLSX",
        "PDF i arbetaren",
        "PDF (senast",
    ]:
        assert any(wanted in name for name in names), wanted


def test_builder_makes_arenden_spread_over_areas_and_caseworkers(data):
    assert Case.objects.count() == data.cases == CASES
    assert Case.objects.values("area").distinct().count() == 6
    owners = Case.objects.values_list("owner", flat=True).distinct().count()
    assert owners > 10
    assert User.objects.filter(is_caseworker=True).count() == data.staff == 51
    mine = Case.objects.filter(owner=data.user)
    assert mine.count() == data.owned_cases >= 1
    assert not mine.exclude(area=data.measured_area).exists()
    # Involved through the organisation in ärenden the user does not own.
    involved = Case.objects.filter(involved_organisations=data.user.organisation)
    assert involved.exclude(owner=data.user).exists()
    assert Consent.objects.count() == data.consents > 0


def test_builder_makes_meetings_with_participants(data):
    now = timezone.now()
    meetings = Meeting.objects.all()
    assert meetings.count() == data.meetings == MEETINGS
    assert Participant.objects.count() == data.participants
    assert 4 * MEETINGS <= data.participants <= 5 * MEETINGS
    assert len({kind for kind in meetings.values_list("kind", flat=True)}) >= 5
    assert meetings.filter(starts_at__lt=now - timedelta(days=180)).exists()
    assert meetings.filter(starts_at__gt=now + timedelta(days=180)).exists()
    assert meetings.filter(status=MeetingStatus.CANCELLED).exists()
    # Every meeting has its convener among the participants.
    for meeting in meetings.prefetch_related("participants"):
        users = {p.user_id for p in meeting.participants.all() if p.kind == ParticipantKind.STAFF}
        assert meeting.convened_by_id in users
    premeetings = meetings.filter(kind=MeetingKind.PREMEETING, status=MeetingStatus.PLANNED)
    assert premeetings.filter(follow_up_booked()).exists()
    assert premeetings.exclude(follow_up_booked()).exists()


def test_no_room_is_double_booked(data):
    taken = {}
    for meeting in Meeting.objects.planned().exclude(room=None):
        for other in taken.get(meeting.room_id, []):
            assert not (meeting.starts_at < other.ends_at and other.starts_at < meeting.ends_at)
        taken.setdefault(meeting.room_id, []).append(meeting)


def test_the_measured_arende_and_meeting(data):
    case, meeting = data.measured_case, data.measured_meeting
    assert case.owner == data.user and case.is_open
    assert case.meetings.count() == len(dataset.DETAIL_MEETINGS)
    assert case.consents.count() == dataset.DETAIL_CONSENTS
    assert case.consents.current().count() == dataset.DETAIL_CONSENTS - 1
    assert meeting.case == case and meeting.convened_by == data.user
    assert meeting.status == MeetingStatus.PLANNED and meeting.starts_at > timezone.now()
    assert meeting.premeeting.kind == MeetingKind.PREMEETING
    assert meeting.participants.count() >= 4
    assert data.measured_week.starts_at <= meeting.starts_at < data.measured_week.ends_at
    # Ids given by the builder: the next meeting saved still gets a free one.
    extra = Meeting.objects.create(
        case=case,
        kind=MeetingKind.CHECKPOINT,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location="Kommunhuset",
        purpose="Följa upp",
        questions="Hur går det?",
        convening_organisation=data.user.organisation,
        convened_by=data.user,
    )
    assert extra.pk > Meeting.objects.exclude(pk=extra.pk).order_by("-pk").first().pk


def test_case_and_meeting_pages_answer_with_targets(data):
    client = Client()
    client.force_login(data.user)
    case_pages = scenarios.case_scenarios(data)
    names = [s.name for s in case_pages]
    for wanted in ["Översikt", "Mina ärenden", "Ärendesida", "Min vecka", "Områdets vecka"]:
        assert wanted in names
    assert any("Boka" in name for name in names) and "Mötessida" in names
    for scenario in case_pages:
        assert scenario.max_queries == scenarios.TARGET_QUERIES
        assert scenario.max_median_ms == scenarios.TARGET_MEDIAN_MS
        result = scenarios.measure(client, scenario, repeat=1)
        assert result.error is None, (scenario.name, result.error)
        assert result.as_dict()["target_queries"] == scenarios.TARGET_QUERIES


def test_table_marks_pages_that_miss_a_target():
    def result(name, ms, queries, **targets):
        return scenarios.Result(
            name, "/", times_ms=[ms], queries=[queries], size_bytes=1, **targets
        )

    targets = {"max_queries": 20, "max_median_ms": 150.0}
    rows = [
        result("Snabb", 10.0, 5, **targets),
        result("Många frågor", 10.0, 25, **targets),
        result("Långsam", 200.0, 5, **targets),
        result("Båda", 200.0, 25, **targets),
        result("Utan mål", 900.0, 90),
    ]
    table = scenarios.format_table(rows).splitlines()
    names = ["Snabb", "Många frågor", "Långsam", "Båda", "Utan mål"]
    line = {name: next(row for row in table if row.startswith(name)) for name in names}
    assert line["Snabb"].endswith("ok")
    assert line["Många frågor"].endswith("✗ frågor")
    assert line["Långsam"].endswith("✗ tid")
    assert line["Båda"].endswith("✗ frågor+tid")
    assert line["Utan mål"].endswith("–")
    assert "högst 20 frågor" in table[-1] and "150 ms" in table[-1]
    assert rows[1].as_dict()["meets_targets"] is False
    assert rows[0].as_dict()["meets_targets"] is True
    assert rows[4].as_dict()["meets_targets"] is None


def test_without_arenden_only_the_contact_pages_are_measured(db):
    data = dataset.build_dataset(contacts=10, cases=0)
    assert data.measured_case is None and not Case.objects.exists()
    assert scenarios.case_scenarios(data) == []
    assert scenarios.default_scenarios(data) == scenarios.contact_scenarios(data)


def test_manage_py_runs_the_bench_with_the_bench_settings():
    """The bench app is installed only for `manage.py bench`: the production settings lack it."""
    root = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}

    def manage(*args):
        return subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
            [sys.executable, "manage.py", *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    bench = manage("bench", "--help")
    assert bench.returncode == 0, bench.stderr
    assert "--http" in bench.stdout
    shown = (
        "from django.conf import settings as s; print(s.ROOT_URLCONF, 'bench' in s.INSTALLED_APPS)"
    )
    other = manage("shell", "--no-imports", "-c", shown)
    assert other.stdout.split() == ["samverk.urls", "False"], other.stderr


def test_the_poll_grid_scenario_renders_six_times_twelve_people(data):
    """ "Föreslå tider" (issue 16): the grid of 6 times × 12 people, within the page targets
    for queries (the time is reported by `make bench`)."""
    (scenario,) = scenarios.poll_scenarios(data)
    client = Client()
    client.force_login(data.user)
    result = scenarios.measure(client, scenario, repeat=3)
    assert result.error is None, result.error
    assert result.query_count <= scenarios.TARGET_QUERIES
    page = client.get(scenario.url).content.decode()
    assert page.count('<th scope="row">') == scenarios.POLL_PEOPLE + 1  # and the totals
    assert page.count(">Välj<") == scenarios.POLL_TIMES
