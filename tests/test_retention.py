"""Closed ärenden are removed after the retention period, with everything about them."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case, CaseEvent, PurgedCase
from consent.models import Consent
from meetings.models import Meeting, Participant
from outbox.models import OutboundMessage
from outbox.services import queue_message
from samverk.retention import purge_closed_cases
from tests.factories import CaseFactory, ConsentFactory, MeetingFactory, ParticipantFactory

PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def closed_case(area, caseworker, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = CaseFactory(
        area=area,
        owner=caseworker,
        status="closed",
        closed_on=timezone.localdate() - timedelta(days=800),
    )
    consent = ConsentFactory(case=case, document=SimpleUploadedFile("s.pdf", PDF))
    meeting = MeetingFactory(case=case)
    participant = ParticipantFactory(meeting=meeting, email="p@example.se")
    queue_message(to_email="p@example.se", subject="Kallelse", text_body="x", related=participant)
    case.log(caseworker, "case.viewed")
    return case, consent


def test_purge_removes_the_case_and_everything_about_it(closed_case, tmp_path):
    case, consent = closed_case
    path = consent.document.path
    counts = purge_closed_cases(days=730)
    assert counts == {"cases": 1, "messages": 1, "documents": 1}
    assert not Case.objects.exists()
    assert not Meeting.objects.exists() and not Participant.objects.exists()
    assert not Consent.objects.exists() and not CaseEvent.objects.exists()
    assert not OutboundMessage.objects.exists()
    import os

    assert not os.path.exists(path)


def test_open_and_recently_closed_cases_stay(area, caseworker):
    CaseFactory(area=area, owner=caseworker)
    CaseFactory(
        area=area,
        owner=caseworker,
        status="closed",
        closed_on=timezone.localdate() - timedelta(days=10),
    )
    assert purge_closed_cases(days=730)["cases"] == 0
    assert Case.objects.count() == 2


def test_dry_run_changes_nothing(closed_case, capsys):
    call_command("purge_closed_cases", "--dry-run")
    assert "Skulle ta bort 1 ärenden" in capsys.readouterr().out
    assert Case.objects.count() == 1


# --- the tombstone and the audit trail (issue 13) -------------------------------------


def test_the_purge_leaves_a_tombstone_and_nothing_about_the_individual(closed_case, caseworker):
    case, _consent = closed_case
    case.log(caseworker, "case.closed")
    case_pk, area, closed_on = case.pk, case.area, case.closed_on
    purge_closed_cases(days=730)
    tombstone = PurgedCase.objects.get()
    assert (tombstone.case_ref, tombstone.area, tombstone.closed_on) == (case_pk, area, closed_on)
    assert (tombstone.meetings, tombstone.events) == (1, 2)
    assert abs(tombstone.purged_at - timezone.now()) < timedelta(minutes=1)
    fields = {f.name for f in PurgedCase._meta.get_fields()}
    assert not fields & {"first_name", "last_name", "personnummer", "address", "email", "phone"}


def test_the_purge_takes_only_the_expired_arendens_audit_rows(closed_case, area, caseworker):
    case, _consent = closed_case
    other = CaseFactory(area=area, owner=caseworker)
    other.log(caseworker, "case.viewed")
    purge_closed_cases(days=730)
    assert list(CaseEvent.objects.values_list("case_id", flat=True)) == [other.pk]
    assert list(PurgedCase.objects.values_list("case_ref", flat=True)) == [case.pk]


def test_a_dry_run_leaves_no_tombstone(closed_case):
    purge_closed_cases(days=730, dry_run=True)
    assert not PurgedCase.objects.exists()
    assert CaseEvent.objects.exists()


def test_an_arende_deleted_any_other_way_leaves_its_audit_rows(area, caseworker):
    """Append-only: the rows outlive the ärende (the admin refuses to delete one; a
    deletion from code or the shell leaves the trail), and only the purge removes them."""
    case = CaseFactory(area=area, owner=caseworker)
    case.log(caseworker, "case.viewed")
    case_pk = case.pk
    case.delete()
    assert list(CaseEvent.objects.values_list("case_id", flat=True)) == [case_pk]
    assert not PurgedCase.objects.exists()
