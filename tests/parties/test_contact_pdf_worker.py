"""The contact list PDF built by the worker (issue 20): after a change to the list, stored in
MEDIA_ROOT under a random name, the last one served while a new one is made ("Skapas…"),
one build enqueued however many changes or clicks come before it starts. With the real
database task backend and its worker (`db_worker --batch`)."""

import re

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from parties.models import ContactListPdf
from tests.factories import ContactPersonFactory, OrganisationFactory, UnitFactory

from .test_contact_pdf import pdf_text, pdf_url

pytestmark = pytest.mark.django_db(transaction=True)

TASK = "parties.tasks.build_contact_list_pdf"


def builds_waiting():
    return DBTaskResult.objects.filter(task_path=TASK, status="READY").count()


@pytest.fixture
def listed(area):
    kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
    unit = UnitFactory(organisation=kommun, area=area, name="Arbetsmarknadsenheten")
    erik = ContactPersonFactory(area=area, organisation=kommun, unit=unit, name="Erik Lindqvist")
    return {"kommun": kommun, "unit": unit, "erik": erik}


def test_first_visit_says_skapas_and_a_double_click_enqueues_one_build(
    client_for, caseworker, area, listed, run_worker, tmp_path
):
    client = client_for(caseworker)
    first = client.get(pdf_url(area))
    assert first.status_code == 200 and first["Content-Type"].startswith("text/html")
    content = first.content.decode()
    assert "Kontaktlistan som PDF skapas…" in content and content.count("<h1") == 1
    assert "<progress" in content and "Ladda om sidan" in content
    assert 'hx-trigger="every 2s"' in content
    client.get(pdf_url(area))  # the double click
    assert builds_waiting() == 1

    run_worker()
    document = ContactListPdf.objects.get(area=area)
    assert not document.is_behind and document.build_seconds > 0
    # A random name in MEDIA_ROOT: no area, no person.
    assert re.fullmatch(r"kontaktlistor/[0-9a-f]{32}\.pdf", document.file_name)
    assert (tmp_path / document.file_name).is_file()
    response = client.get(pdf_url(area))
    assert response["Content-Type"] == "application/pdf"
    assert "Erik Lindqvist" in pdf_text(response.content)
    status = client.get(pdf_url(area), {"status": "1"}).content.decode()
    assert "PDF:en skapades" in status and "every 2s" not in status


def test_a_change_serves_the_previous_while_the_new_one_is_made(
    client_for, coordinator, area, listed, run_worker, tmp_path
):
    client = client_for(coordinator)
    client.get(pdf_url(area))
    run_worker()
    old_file = ContactListPdf.objects.get(area=area).file_name

    # Two edits before the worker gets to it: one build.
    erik = listed["erik"]
    erik.name = "Erik Nyname"
    erik.save()
    ContactPersonFactory(area=area, organisation=listed["kommun"], name="Nora Ny")
    assert builds_waiting() == 1
    status = client.get(pdf_url(area), {"status": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Kontaktlistan som PDF skapas…" in status
    assert "Ladda ner den förra" in status and 'hx-trigger="every 2s"' in status
    text = pdf_text(client.get(pdf_url(area)).content)
    assert "Erik Lindqvist" in text and "Nora Ny" not in text  # the last one built

    run_worker()
    text = pdf_text(client.get(pdf_url(area)).content)
    assert "Erik Nyname" in text and "Nora Ny" in text
    assert not (tmp_path / old_file).exists()  # the replaced file is removed
    assert builds_waiting() == 0


@pytest.mark.parametrize("change", ["unit", "party", "confirm", "deactivate"])
def test_every_change_on_the_list_asks_for_a_build(
    client_for, coordinator, area, listed, run_worker, change
):
    client = client_for(coordinator)
    client.get(pdf_url(area))
    run_worker()
    if change == "unit":
        listed["unit"].way_in = "Ring växeln"
        listed["unit"].save()
    elif change == "party":
        listed["kommun"].name = "Sävsjö kommun (ny)"
        listed["kommun"].save()
    elif change == "confirm":
        client.post(reverse("parties:contact_list_confirm", args=[area.slug]))
    else:
        listed["erik"].is_active = False
        listed["erik"].save()
    assert builds_waiting() == 1
    assert ContactListPdf.objects.get(area=area).is_behind


def test_an_area_nobody_asked_the_pdf_of_gets_no_builds(area, listed):
    listed["erik"].name = "Erik Annat"
    listed["erik"].save()
    assert builds_waiting() == 0
    assert not ContactListPdf.objects.exists()


def test_the_pdf_and_its_state_follow_the_contact_lists_access(
    client_for, no_role_user, area, listed
):
    client = client_for(no_role_user)
    assert client.get(pdf_url(area)).status_code == 403
    assert client.get(pdf_url(area), {"status": "1"}).status_code == 403
    assert builds_waiting() == 0


def test_a_build_that_died_is_asked_for_again_by_the_next_reader(
    client_for, caseworker, area, listed, run_worker
):
    from datetime import timedelta

    from django.utils import timezone

    client = client_for(caseworker)
    client.get(pdf_url(area))
    run_worker()
    # A change, its build started by a worker that was then killed: started, never finished.
    ContactListPdf.objects.filter(area=area).update(
        wanted=5, built=4, queued=False, started_at=timezone.now() - timedelta(minutes=3)
    )
    DBTaskResult.objects.all().delete()
    client.get(pdf_url(area))
    assert builds_waiting() == 0  # three minutes: it may still be running
    ContactListPdf.objects.filter(area=area).update(
        started_at=timezone.now() - timedelta(minutes=11)
    )
    client.get(pdf_url(area))
    client.get(pdf_url(area))  # the double click
    assert builds_waiting() == 1
    run_worker()
    document = ContactListPdf.objects.get(area=area)
    assert not document.is_behind and document.started_at is None
