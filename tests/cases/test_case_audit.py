"""The audit trail: every read and change of an ärende is logged with who and when,
and the log itself never holds the personnummer."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.audit import registered_actions
from cases.enums import CaseAction
from cases.models import Case, CaseEvent
from plans.services.versions import freeze_plan
from tests.factories import (
    ActionPlanFactory,
    CaseFactory,
    MeetingFactory,
    OrganisationFactory,
    UserFactory,
)

PNR = "198112289874"
NEW_PNR = "195001011237"


@pytest.fixture
def owner(db):
    return UserFactory(username="agare", organisation=OrganisationFactory(name="Sävsjö kommun"))


@pytest.fixture
def case(area, owner):
    case = CaseFactory(
        area=area,
        owner=owner,
        first_name="Alva",
        last_name="Lindgren",
        personnummer=PNR,
        phone="070-111 22 33",
        address="Storgatan 3",
    )
    case.involved_organisations.add(owner.organisation)
    return case


def edit_data(case, **overrides):
    return {
        "area": case.area_id,
        "first_name": case.first_name,
        "last_name": case.last_name,
        "personnummer": "",
        "address": case.address,
        "phone": case.phone,
        "email": case.email,
        "contact_preference": case.contact_preference,
        "interpreter_language": case.interpreter_language,
        "wishes": case.wishes,
        **overrides,
    }


def assert_no_personnummer_in_log(*numbers):
    dumped = json.dumps(list(CaseEvent.objects.values("action", "data")), ensure_ascii=False)
    for number in numbers:
        for fragment in (number, number[2:], number[8:], f"{number[:8]}-{number[8:]}", number[:8]):
            assert fragment not in dumped, fragment


def test_detail_view_logs_who_and_when(client_for, owner, coordinator, case):
    before = timezone.now()
    client_for(owner).get(case.get_absolute_url())
    client_for(coordinator).get(case.get_absolute_url())
    events = list(case.events.filter(action=CaseAction.VIEWED).order_by("pk"))
    assert [event.user for event in events] == [owner, coordinator]
    assert all(before <= event.at <= timezone.now() for event in events)
    assert all(event.data == {} for event in events)


def test_refused_reads_log_nothing(client_for, case, other_area):
    outsider = UserFactory(
        username="utomstaende", organisation=OrganisationFactory(name="Eksjö kommun")
    )
    assert client_for(outsider).get(case.get_absolute_url()).status_code == 404
    assert not CaseEvent.objects.exists()


def test_create_is_logged_without_data(client_for, owner, area):
    data = edit_data(CaseFactory.build(area=area), personnummer="19811228-9874")
    data["last_name"] = "Berg"
    assert client_for(owner).post(reverse("cases:create"), data).status_code == 302
    event = CaseEvent.objects.get()
    assert (event.action, event.user, event.case.last_name) == (CaseAction.CREATED, owner, "Berg")
    assert_no_personnummer_in_log(PNR)


def test_edit_logs_changed_field_names_only(client_for, owner, case):
    response = client_for(owner).post(
        reverse("cases:update", args=[case.pk]),
        edit_data(
            case, phone="0382-999 99", wishes="Hemligt önskemål", personnummer="19500101-1237"
        ),
    )
    assert response.status_code == 302
    event = case.events.get(action=CaseAction.CHANGED)
    assert event.user == owner
    assert event.data == {"fields": ["personnummer", "phone", "wishes"]}
    dumped = json.dumps(event.data, ensure_ascii=False)
    assert "0382" not in dumped and "Hemligt" not in dumped
    assert_no_personnummer_in_log(PNR, NEW_PNR)


def test_removing_the_personnummer_is_logged_as_a_personnummer_change(client_for, owner, case):
    client_for(owner).post(
        reverse("cases:update", args=[case.pk]), edit_data(case, remove_personnummer="on")
    )
    case.refresh_from_db()
    assert case.personnummer == ""
    assert case.events.get(action=CaseAction.CHANGED).data == {"fields": ["personnummer"]}


def test_entering_the_same_personnummer_again_is_no_change(client_for, owner, case):
    client_for(owner).post(
        reverse("cases:update", args=[case.pk]), edit_data(case, personnummer="811228-9874")
    )
    assert not case.events.filter(action=CaseAction.CHANGED).exists()


def test_saving_without_changes_logs_no_change(client_for, owner, case):
    assert (
        client_for(owner).post(reverse("cases:update", args=[case.pk]), edit_data(case)).status_code
        == 302
    )
    assert not case.events.filter(action=CaseAction.CHANGED).exists()


def test_changing_area_is_logged(client_for, owner, case, other_area):
    client_for(owner).post(
        reverse("cases:update", args=[case.pk]), edit_data(case, area=other_area.pk)
    )
    assert case.events.get(action=CaseAction.CHANGED).data == {"fields": ["area"]}


def test_close_and_reopen_are_logged(client_for, owner, case):
    client = client_for(owner)
    client.post(reverse("cases:close", args=[case.pk]), {"reason": "Flyttat"})
    client.post(reverse("cases:close", args=[case.pk]), {"reopen": "1"})
    actions = list(case.events.order_by("pk").values_list("action", "user"))
    assert actions == [(CaseAction.CLOSED, owner.pk), (CaseAction.REOPENED, owner.pk)]


def test_personnummer_reveal_is_logged(client_for, owner, coordinator, case):
    client_for(owner).post(reverse("cases:personnummer", args=[case.pk]))
    client_for(coordinator).post(reverse("cases:personnummer", args=[case.pk]))
    events = case.events.filter(action=CaseAction.PERSONNUMMER_SHOWN).order_by("pk")
    assert [event.user for event in events] == [owner, coordinator]
    assert_no_personnummer_in_log(PNR)


def test_failed_edit_logs_no_change_only_the_page_shown_again(client_for, owner, case):
    """Nothing is saved, so no change is logged; the form comes back with the ärende's
    name on it, and that response is a read like any other (issue 13)."""
    client_for(owner).post(
        reverse("cases:update", args=[case.pk]), edit_data(case, personnummer="19811228-9875")
    )
    client_for(owner).post(reverse("cases:close", args=[case.pk]), {"reason": ""})
    rows = list(CaseEvent.objects.order_by("pk").values_list("action", "user", "data"))
    assert rows == [
        (CaseAction.VIEWED, owner.pk, {"page": "edit"}),
        (CaseAction.VIEWED, owner.pk, {"page": "close"}),
    ]


def test_history_lists_who_did_what_without_the_number(client_for, owner, case):
    client = client_for(owner)
    client.get(case.get_absolute_url())
    client.post(reverse("cases:personnummer", args=[case.pk]))
    client.post(reverse("cases:update", args=[case.pk]), edit_data(case, phone="1"))
    response = client.get(reverse("cases:history", args=[case.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    for label in ("Ärendet visades", "Personnumret visades", "Ärendet ändrades"):
        assert label in content
    assert str(owner) in content
    assert PNR not in content and "-9874" not in content


def what_column(response):
    """The "Vad" cell of every row of the history table, as rendered."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [re.findall(r"<td>(.*?)</td>", row, re.S)[2] for row in rows]


def test_history_names_a_plan_action(client_for, owner, case):
    plan = ActionPlanFactory(meeting=MeetingFactory(case=case))
    freeze_plan(plan=plan, user=owner)
    response = client_for(owner).get(reverse("cases:history", args=[case.pk]))
    assert what_column(response) == ["Handlingsplanen fastställdes"]


def test_history_names_every_registered_action_and_an_unknown_one_by_its_string(
    client_for, owner, case
):
    labels = registered_actions()
    for action in labels:
        case.log(owner, action)
    case.log(owner, "survey.answered")  # e.g. written by an app since removed
    response = client_for(owner).get(reverse("cases:history", args=[case.pk]))
    shown = what_column(response)
    assert len(shown) == len(labels) + 1
    assert shown[0] == "survey.answered"
    assert sorted(shown[1:]) == sorted(labels.values())
    assert all(shown)


def test_nothing_in_the_whole_lifecycle_logs_the_number(client_for, owner, coordinator, case):
    client = client_for(owner)
    client.get(case.get_absolute_url())
    client.post(reverse("cases:personnummer", args=[case.pk]))
    client.post(reverse("cases:update", args=[case.pk]), edit_data(case, personnummer=NEW_PNR))
    client.post(
        reverse("cases:update", args=[Case.objects.get().pk]),
        edit_data(case, remove_personnummer="on"),
    )
    client.post(reverse("cases:close", args=[case.pk]), {"reason": "Klart"})
    client.post(reverse("cases:close", args=[case.pk]), {"reopen": "1"})
    client_for(coordinator).get(reverse("cases:history", args=[case.pk]))
    assert CaseEvent.objects.count() >= 6
    assert_no_personnummer_in_log(PNR, NEW_PNR)
