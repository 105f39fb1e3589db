"""The Django admin shows no individual's data (issue 13, part B; common.admin).

Chosen over logging the admin's reads: the administrator role manages lists and settings
and opens no ärende, so what an administrator sees of an ärende in the admin would be a
way around need to know, logged or not. The admin shows ids, area, owner, status and dates;
the pages below (list, search, change or view page, history, delete confirmation, the
messages after a save) are read as a superuser and none of the individual's data may be in
them. The ärende cannot be deleted here and the audit trail cannot be changed or deleted.
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.enums import CaseAction
from cases.models import Case, CaseEvent
from meetings.enums import ParticipantKind
from outbox.enums import MessageState
from plans.services.start import get_or_create_plan
from plans.services.versions import freeze_plan
from tests.factories import (
    CaseFactory,
    ConsentFactory,
    MeetingFactory,
    OrganisationFactory,
    OutboundMessageFactory,
    ParticipantFactory,
    UserFactory,
)

FIRST, LAST = "Siri", "Vindelström"
PNR = "198112289874"
SECRETS = {
    "first name": FIRST,
    "last name": LAST,
    "personnummer": PNR,
    "personnummer (short)": PNR[2:8],
    "address": "Hallonstigen",
    "phone": "070-1212121",
    "e-mail": "siri.v@example.org",
    "wishes": "Kantarell",
    "consent restrictions": "Lingonsylt",
    "closing reason": "Fjällräv",
    "purpose": "Skogsmulle",
    "questions": "Tallkotte",
    "place": "Hemma hos Siri",
    "cancel reason": "Snöstorm",
    "plan text": "Björkris",
    "message text": "Kallelsetext om Siri",
    "log data": "Hemlig anledning",
}


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True, is_caseworker=False)


@pytest.fixture
def world(db, area, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
    owner = UserFactory(username="agare", organisation=kommun)
    case = CaseFactory(
        area=area,
        owner=owner,
        first_name=FIRST,
        last_name=LAST,
        personnummer=PNR,
        address="Hallonstigen 2",
        phone="070-1212121",
        email="siri.v@example.org",
        wishes="Vill plocka Kantarell",
        status="closed",
        closed_on="2026-01-01",
        closed_reason="Flyttade till Fjällräv",
    )
    consent = ConsentFactory(
        case=case,
        organisations=[kommun],
        restrictions="Inget om Lingonsylt",
        document=SimpleUploadedFile("s.pdf", b"%PDF-1.4\n"),
    )
    meeting = MeetingFactory(
        case=case,
        purpose="Prata om Skogsmulle",
        questions="Var finns Tallkotte?",
        location="Hemma hos Siri",
        cancelled_reason="Snöstorm",
    )
    individual = ParticipantFactory(
        meeting=meeting,
        kind=ParticipantKind.INDIVIDUAL,
        name=f"{FIRST} {LAST}",
        email="siri.v@example.org",
        note="Kantarell",
    )
    plan = get_or_create_plan(meeting)
    plan.current_situation = "Sitter i Björkris"
    plan.save()
    version = freeze_plan(plan=plan, user=owner)
    event = case.log(owner, CaseAction.CHANGED, reason="Hemlig anledning", name=LAST)
    message = OutboundMessageFactory(
        to_email="siri.v@example.org",
        to_name=f"{FIRST} {LAST}",
        subject=f"Svar på kallelse: {FIRST} {LAST} – Kommer",
        text_body="Kallelsetext om Siri",
        html_body="<p>Kallelsetext om Siri</p>",
        state=MessageState.BOUNCED,
        last_error="550 siri.v@example.org: no such user",
        related=individual,
    )
    return {
        "case": case,
        "consent": consent,
        "meeting": meeting,
        "plan": plan,
        "version": version,
        "event": event,
        "message": message,
    }


ADMINS = {
    "cases_case": "case",
    "cases_caseevent": "event",
    "consent_consent": "consent",
    "meetings_meeting": "meeting",
    "plans_actionplan": "plan",
    "plans_planversion": "version",
    "outbox_outboundmessage": "message",
}


def leaks(response, searched="") -> list[str]:
    body = response.content.decode()
    if searched:
        # The search box shows what was typed: that is not the admin showing data.
        body = body.replace(f'value="{searched}"', "")
    return [what for what, text in SECRETS.items() if text in body]


def pages(world, admin_name):
    obj = world[ADMINS[admin_name]]
    changelist = reverse(f"admin:{admin_name}_changelist")
    yield "list", changelist
    # Searching by the name finds nothing and shows nothing.
    yield "search by name", f"{changelist}?q={LAST}"
    yield "search by id", f"{changelist}?q={obj.pk}"
    yield "search by other text", f"{changelist}?q=abc"
    yield "change", reverse(f"admin:{admin_name}_change", args=[obj.pk])
    yield "history", reverse(f"admin:{admin_name}_history", args=[obj.pk])


@pytest.mark.parametrize("admin_name", list(ADMINS))
def test_no_page_of_the_admin_shows_the_individual(client, superuser, world, admin_name):
    client.force_login(superuser)
    for page, url in pages(world, admin_name):
        response = client.get(url)
        assert response.status_code == 200, (admin_name, page, response.status_code)
        searched = LAST if page == "search by name" else ""
        assert not leaks(response, searched), (admin_name, page, leaks(response, searched))


def test_the_search_by_name_finds_no_arende(client, superuser, world):
    client.force_login(superuser)
    response = client.get(reverse("admin:cases_case_changelist"), {"q": LAST})
    assert list(response.context["cl"].result_list) == []
    response = client.get(reverse("admin:cases_case_changelist"), {"q": world["case"].pk})
    assert list(response.context["cl"].result_list) == [world["case"]]


def test_the_meeting_delete_confirmation_names_nothing(client, superuser, world):
    client.force_login(superuser)
    url = reverse("admin:meetings_meeting_delete", args=[world["meeting"].pk])
    response = client.get(url)
    assert response.status_code == 200
    assert not leaks(response), leaks(response)


def test_an_arende_cannot_be_deleted_in_the_admin(client, superuser, world):
    client.force_login(superuser)
    case = world["case"]
    assert client.get(reverse("admin:cases_case_delete", args=[case.pk])).status_code == 403
    assert client.post(reverse("admin:cases_case_delete", args=[case.pk])).status_code == 403
    response = client.post(
        reverse("admin:cases_case_changelist"),
        {"action": "delete_selected", "_selected_action": [case.pk], "post": "yes"},
    )
    assert Case.objects.filter(pk=case.pk).exists()
    assert "delete_selected" not in response.content.decode()


def test_the_audit_trail_cannot_be_changed_or_deleted_in_the_admin(client, superuser, world):
    client.force_login(superuser)
    event = world["event"]
    change = reverse("admin:cases_caseevent_change", args=[event.pk])
    client.post(change, {"action": "case.viewed"})
    assert client.post(reverse("admin:cases_caseevent_delete", args=[event.pk])).status_code == 403
    client.post(
        reverse("admin:cases_caseevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    event.refresh_from_db()
    assert event.action == CaseAction.CHANGED
    assert client.get(reverse("admin:cases_caseevent_add")).status_code == 403


def test_reassigning_the_owner_is_logged_without_the_name(client, superuser, world):
    client.force_login(superuser)
    case = world["case"]
    new_owner = UserFactory(username="ny-agare", organisation=case.owner.organisation)
    response = client.post(
        reverse("admin:cases_case_change", args=[case.pk]),
        {"area": case.area_id, "owner": new_owner.pk},
        follow=True,
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.owner == new_owner
    assert case.first_name == FIRST and case.personnummer == PNR  # untouched
    event = case.events.filter(action=CaseAction.CHANGED, user=superuser).get()
    assert event.data == {"fields": ["owner"]}
    assert not leaks(response), leaks(response)  # the success message names it by id
    entry = LogEntry.objects.get(object_id=str(case.pk), content_type__model="case")
    assert LAST not in entry.object_repr and entry.object_repr == f"Ärende {case.pk}"
    index = client.get(reverse("admin:index"))
    assert not leaks(index), leaks(index)


def test_the_outbox_admin_searches_and_shows_the_kind_not_the_recipient(client, superuser, world):
    client.force_login(superuser)
    changelist = reverse("admin:outbox_outboundmessage_changelist")
    found = client.get(changelist, {"q": "Svar på kallelse"}).context["cl"].result_list
    assert list(found) == [world["message"]]
    # Past the colon is what may be a name: not searched.
    found = client.get(changelist, {"q": f'"Svar på kallelse: {FIRST}"'}).context["cl"]
    assert list(found.result_list) == []
    page = client.get(reverse("admin:outbox_outboundmessage_change", args=[world["message"].pk]))
    content = page.content.decode()
    assert "Svar på kallelse" in content and "example.org" in content
    assert "[e-postadress]" in content and "no such user" in content


def test_retrying_from_the_list_still_works(
    client, superuser, world, django_capture_on_commit_callbacks
):
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:outbox_outboundmessage_changelist"),
            {"action": "send_again", "_selected_action": [world["message"].pk]},
            follow=True,
        )
    assert "1 meddelande köades för att skickas igen." in response.content.decode()
    assert not leaks(response), leaks(response)


def test_reads_in_the_app_are_unaffected(client, superuser, world):
    """The admin writes no audit row: it shows nothing to log."""
    client.force_login(superuser)
    before = CaseEvent.objects.count()
    for admin_name in ADMINS:
        for _page, url in pages(world, admin_name):
            client.get(url)
    assert CaseEvent.objects.count() == before
