"""The ärende pages a handläggare uses: create, edit, close/reopen, "Mina ärenden", reveal."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.enums import CaseAction, CaseStatus
from cases.models import Case, CaseEvent
from tests.factories import (
    CaseFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

PNR = "198112289874"
PNR_OTHER = "195001011237"  # another valid number (Luhn)


def valid_data(area_, **overrides):
    return {
        "area": area_.pk,
        "first_name": "Alva",
        "last_name": "Lindgren",
        "personnummer": "19811228-9874",
        "address": "Storgatan 3\n576 30 Sävsjö",
        "phone": "070-123 45 67",
        "email": "alva@example.se",
        "contact_preference": "letter",
        "interpreter_language": "arabiska",
        "needs_support_person": "on",
        "needs_cognitive_support": "",
        "wishes": "Vill att mamma är med.",
        **overrides,
    }


def edit_data(case, **overrides):
    data = {
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
    return {key: value for key, value in data.items() if value is not None}


def field_error(content: str, field: str) -> str:
    """The error text crispy renders right beside one field ('' when there is none)."""
    match = re.search(rf'id="error_\d+_id_{field}"[^>]*>(.*?)</(?:p|span|div)>', content, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)) if match else ""


def assert_no_full_personnummer(content: str, number: str = PNR):
    assert number not in content
    assert f"{number[:8]}-{number[8:]}" not in content
    assert f"-{number[8:]}" not in content


@pytest.fixture
def owner(area):
    return UserFactory(username="agare", organisation=OrganisationFactory(name="Sävsjö kommun"))


@pytest.fixture
def case(area, owner):
    return CaseFactory(
        area=area, owner=owner, first_name="Alva", last_name="Lindgren", personnummer=PNR
    )


# --- create -------------------------------------------------------------------------------------


def test_caseworker_creates_a_case(client_for, owner, area):
    response = client_for(owner).post(reverse("cases:create"), valid_data(area))
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == case.get_absolute_url()
    assert PNR not in response["Location"] and PNR[8:] not in response["Location"]
    assert case.owner == owner
    assert case.area == area
    assert case.personnummer == PNR
    assert case.status == CaseStatus.OPEN
    assert case.interpreter_language == "arabiska"
    assert case.needs_support_person and not case.needs_cognitive_support
    assert list(case.involved_organisations.all()) == [owner.organisation]
    assert case.created_at and case.updated_at
    assert list(case.events.values_list("action", "user")) == [(CaseAction.CREATED, owner.pk)]


def test_create_without_personnummer_and_ten_digit_form(client_for, owner, area):
    client = client_for(owner)
    assert (
        client.post(reverse("cases:create"), valid_data(area, personnummer="")).status_code == 302
    )
    assert (
        client.post(
            reverse("cases:create"), valid_data(area, last_name="Berg", personnummer="811228-9874")
        ).status_code
        == 302
    )
    assert dict(Case.objects.values_list("last_name", "personnummer")) == {
        "Lindgren": "",
        "Berg": PNR,
    }


def test_create_page_renders(client_for, owner):
    response = client_for(owner).get(reverse("cases:create"))
    assert response.status_code == 200
    assert "Nytt ärende" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("personnummer", "19811228-9875", "kontrollsiffran stämmer inte"),
        ("personnummer", "19811332-1234", "Personnumret"),
        ("personnummer", "19811332-1230", "Personnumret"),
        ("personnummer", "1981122A-9874", "ÅÅÅÅMMDD-NNNN"),
        ("personnummer", "811228-987", "ÅÅÅÅMMDD-NNNN"),
        ("personnummer", "20991231-1234", "Personnumret"),
        ("email", "alva@", "Ange en giltig e-postadress."),
        ("email", "inte en adress", "Ange en giltig e-postadress."),
        ("first_name", "", "Ange den enskildes förnamn."),
        ("last_name", "   ", "Ange den enskildes efternamn."),
        ("area", "", "Välj Samverk-område."),
        ("area", "999999", "Välj ett område i listan."),
        ("area", "abc", "Välj ett område i listan."),
        ("contact_preference", "brevduva", "Välj ett giltigt alternativ"),
        ("phone", "0" * 41, "som mest 40 tecken"),
        ("wishes", "nul\x00tecken", "Null"),
    ],
)
def test_bad_input_is_400_with_swedish_message_beside_the_field(
    client_for, owner, area, field, value, message
):
    response = client_for(owner).post(reverse("cases:create"), valid_data(area, **{field: value}))
    assert response.status_code == 400
    content = response.content.decode()
    assert message.lower() in field_error(content, field).lower(), field_error(content, field)
    assert "Ärendet sparades inte" in content
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()


def test_empty_form_is_400(client_for, owner):
    response = client_for(owner).post(reverse("cases:create"), {})
    assert response.status_code == 400
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", ["no_role_user", "coordinator", "administrator"])
def test_only_caseworkers_create(client_for, request, area, role):
    """Not the administrator role by itself either: an ärende opens only to staff roles, so
    its creator could not open it (need to know, issue 13)."""
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("cases:create")).status_code == 403
    assert client.post(reverse("cases:create"), valid_data(area)).status_code == 403
    assert not Case.objects.exists()


def test_administrator_who_is_a_caseworker_creates_and_opens_it(client_for, administrator, area):
    administrator.is_caseworker = True
    administrator.save()
    client = client_for(administrator)
    response = client.post(reverse("cases:create"), valid_data(area))
    assert response.status_code == 302
    assert Case.objects.get().owner == administrator
    assert client.get(response["Location"]).status_code == 200


# --- edit ---------------------------------------------------------------------------------------


def test_edit_form_never_echoes_the_number(client_for, owner, case):
    response = client_for(owner).get(reverse("cases:update", args=[case.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "19811228-****" in content
    assert_no_full_personnummer(content)


def test_edit_keeps_personnummer_when_left_empty(client_for, owner, case):
    response = client_for(owner).post(
        reverse("cases:update", args=[case.pk]), edit_data(case, phone="0382-100 00")
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.personnummer == PNR
    assert case.phone == "0382-100 00"


def test_edit_replaces_personnummer(client_for, owner, case):
    response = client_for(owner).post(
        reverse("cases:update", args=[case.pk]), edit_data(case, personnummer="500101-1237")
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.personnummer == PNR_OTHER


def test_edit_removes_personnummer_with_the_checkbox(client_for, owner, case):
    response = client_for(owner).post(
        reverse("cases:update", args=[case.pk]), edit_data(case, remove_personnummer="on")
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.personnummer == ""


def test_edit_with_bad_input_saves_nothing(client_for, owner, case):
    before = Case.objects.values().get(pk=case.pk)
    response = client_for(owner).post(
        reverse("cases:update", args=[case.pk]),
        edit_data(case, first_name="Ny", personnummer="19811228-9875", remove_personnummer="on"),
    )
    assert response.status_code == 400
    assert "kontrollsiffran" in field_error(response.content.decode(), "personnummer")
    assert Case.objects.values().get(pk=case.pk) == before
    assert not case.events.filter(action=CaseAction.CHANGED).exists()


def test_edit_with_tampered_area_is_400(client_for, owner, case):
    response = client_for(owner).post(
        reverse("cases:update", args=[case.pk]), edit_data(case, area="999999")
    )
    assert response.status_code == 400
    assert "Välj ett område i listan." in field_error(response.content.decode(), "area")
    case.refresh_from_db()
    assert case.area_id != 999999


# --- close and reopen ---------------------------------------------------------------------------


def test_close_with_reason_and_reopen(client_for, owner, case):
    client = client_for(owner)
    assert client.get(reverse("cases:close", args=[case.pk])).status_code == 200
    response = client.post(reverse("cases:close", args=[case.pk]), {"reason": "Har fått arbete."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_on == timezone.localdate()
    assert case.closed_reason == "Har fått arbete."

    detail = client.get(case.get_absolute_url()).content.decode()
    assert "Har fått arbete." in detail
    assert "Öppna igen" in detail

    response = client.post(reverse("cases:close", args=[case.pk]), {"reopen": "1"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert case.closed_on is None
    assert case.closed_reason == ""
    actions = list(case.events.order_by("pk").values_list("action", flat=True))
    assert CaseAction.CLOSED in actions and CaseAction.REOPENED in actions


def test_close_without_reason_is_400(client_for, owner, case):
    response = client_for(owner).post(reverse("cases:close", args=[case.pk]), {"reason": "  "})
    assert response.status_code == 400
    assert "Ange varför ärendet avslutas." in response.content.decode()
    case.refresh_from_db()
    assert case.is_open


def test_closing_twice_or_reopening_an_open_case_is_no_error_page(client_for, owner, case):
    client = client_for(owner)
    response = client.post(reverse("cases:close", args=[case.pk]), {"reopen": "1"}, follow=True)
    assert response.status_code == 200
    assert "redan öppet" in response.content.decode()
    client.post(reverse("cases:close", args=[case.pk]), {"reason": "Klart."})
    response = client.post(reverse("cases:close", args=[case.pk]), {"reason": "Igen."}, follow=True)
    assert response.status_code == 200
    assert "redan avslutat" in response.content.decode()
    case.refresh_from_db()
    assert case.closed_reason == "Klart."


# --- "Mina ärenden" ------------------------------------------------------------------------------


@pytest.fixture
def listed(area, other_area, owner):
    """Cases the owner sees in different ways, and one he does not."""
    someone = UserFactory(username="kollega", organisation=OrganisationFactory(name="Region"))
    own_open = CaseFactory(area=area, owner=owner, first_name="Alva", last_name="Lindgren")
    own_closed = CaseFactory(
        area=area,
        owner=owner,
        first_name="Bo",
        last_name="Nilsson",
        status=CaseStatus.CLOSED,
        closed_on=timezone.localdate(),
        personnummer=PNR_OTHER,
    )
    involved = CaseFactory(area=area, owner=someone, first_name="Cecilia", last_name="Ek")
    involved.involved_organisations.add(owner.organisation)
    # The owner takes part in one of its meetings (the organisation alone opens nothing).
    ParticipantFactory(
        meeting=MeetingFactory(case=involved), kind="staff", user=owner, name=str(owner)
    )
    # Involved by organisation only: not listed.
    by_org = CaseFactory(area=area, owner=someone, first_name="Dragan", last_name="Hemligare")
    by_org.involved_organisations.add(owner.organisation)
    hidden = CaseFactory(area=other_area, owner=someone, first_name="Dragan", last_name="Hemlig")
    return {"own_open": own_open, "own_closed": own_closed, "involved": involved, "hidden": hidden}


def listed_names(response):
    return {case.last_name for case in response.context["cases"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"Lindgren"}),
        ({"omfang": "mina", "status": "open"}, {"Lindgren"}),
        ({"status": "closed"}, {"Nilsson"}),
        ({"status": "alla"}, {"Lindgren", "Nilsson"}),
        ({"omfang": "alla"}, {"Lindgren", "Ek"}),
        ({"omfang": "alla", "status": "alla"}, {"Lindgren", "Nilsson", "Ek"}),
        ({"omfang": "alla", "status": "alla", "q": "ek"}, {"Ek"}),
        ({"omfang": "alla", "status": "alla", "q": "alva lind"}, {"Lindgren"}),
        ({"omfang": "alla", "status": "alla", "q": "hemlig"}, set()),
        ({"omfang": "x'; DROP", "status": "<script>"}, {"Lindgren"}),
    ],
)
def test_list_scope_status_and_search(client_for, owner, listed, params, expected):
    response = client_for(owner).get(reverse("cases:list"), params)
    assert response.status_code == 200
    assert listed_names(response) == expected
    assert "Hemlig" not in response.content.decode()


def test_list_shows_masked_numbers_only(client_for, owner, listed):
    response = client_for(owner).get(reverse("cases:list"), {"omfang": "alla", "status": "alla"})
    content = response.content.decode()
    assert "19811228-****" in content
    assert "19500101-****" in content
    assert_no_full_personnummer(content, PNR)
    assert_no_full_personnummer(content, PNR_OTHER)


def test_detail_shows_masked_number_only(client_for, owner, case):
    response = client_for(owner).get(case.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "19811228-****" in content
    assert_no_full_personnummer(content)


def test_detail_shows_the_individual_and_needs(client_for, owner, area):
    case = CaseFactory(
        area=area,
        owner=owner,
        first_name="Alva",
        last_name="Lindgren",
        address="Storgatan 3",
        phone="070-1",
        interpreter_language="tigrinja",
        needs_support_person=True,
        needs_cognitive_support=True,
        wishes="Vill inte ha möten före tio.",
    )
    content = client_for(owner).get(case.get_absolute_url()).content.decode()
    for text in (
        "Alva Lindgren",
        "Storgatan 3",
        "070-1",
        "tigrinja",
        "Vill inte ha möten före tio.",
    ):
        assert text in content


@pytest.mark.parametrize(
    "params", [{"page": "abc"}, {"page": "999"}, {"q": "a" * 5000}, {"q": "nul\x00"}]
)
def test_list_tampered_parameters_are_no_error_page(client_for, owner, listed, params):
    assert client_for(owner).get(reverse("cases:list"), params).status_code in (200, 404)


# --- revealing the personnummer ------------------------------------------------------------------


def test_reveal_is_post_only(client_for, owner, case):
    client = client_for(owner)
    assert client.get(reverse("cases:personnummer", args=[case.pk])).status_code == 405
    assert not case.events.filter(action=CaseAction.PERSONNUMMER_SHOWN).exists()


def test_reveal_shows_the_full_number_and_logs(client_for, owner, case):
    response = client_for(owner).post(reverse("cases:personnummer", args=[case.pk]))
    assert response.status_code == 200
    assert "19811228-9874" in response.content.decode()
    event = case.events.get(action=CaseAction.PERSONNUMMER_SHOWN)
    assert event.user == owner
    assert event.data == {}


def test_reveal_without_number(client_for, owner, area):
    case = CaseFactory(area=area, owner=owner, personnummer="")
    response = client_for(owner).post(reverse("cases:personnummer", args=[case.pk]))
    assert response.status_code == 200
    assert "Inget personnummer är sparat." in response.content.decode()


def test_detail_offers_reveal_as_a_form(client_for, owner, case):
    content = client_for(owner).get(case.get_absolute_url()).content.decode()
    url = reverse("cases:personnummer", args=[case.pk])
    assert re.search(rf'<form method="post" action="{re.escape(url)}"', content)
