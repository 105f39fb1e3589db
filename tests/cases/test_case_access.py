"""Who may open and who may change an ärende: every URL of cases/urls.py × every role.

Open (need to know): owner, a participant of one of its meetings, the area's coordinator.
Change (edit, close, history): owner, the area's coordinator; 403 for a participant.
Everyone else, the participant's colleague in the same party and an administrator among
them: 404 on every URL, without the name. tests/cases/test_need_to_know.py has the rule's
other roles (grants, expiry, removal).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.enums import CaseStatus
from cases.models import Case
from tests.factories import (
    CaseFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

NAME = "Signe Hemligsdotter"
OPEN, MANAGE = "open", "manage"
ROLES = [
    "owner",
    "coordinator",
    "other_coordinator",
    "administrator",
    "uninvolved_caseworker",
    "involved_caseworker",
    "involved_colleague",
    "no_role_user",
]
MAY_OPEN = {"owner", "coordinator", "involved_caseworker"}
MAY_MANAGE = {"owner", "coordinator"}


@pytest.fixture
def owner(db):
    return UserFactory(username="agare", organisation=OrganisationFactory(name="Sävsjö kommun"))


@pytest.fixture
def other_coordinator(other_area):
    return UserFactory(
        username="koordinator-tranas", is_caseworker=False, coordinated_areas=[other_area]
    )


@pytest.fixture
def uninvolved_caseworker(db):
    return UserFactory(
        username="utomstaende", organisation=OrganisationFactory(name="Eksjö kommun")
    )


@pytest.fixture
def involved_caseworker(db):
    """Takes part in one of the ärende's meetings (see ``take_part``)."""
    return UserFactory(
        username="berord", organisation=OrganisationFactory(name="Försäkringskassan")
    )


@pytest.fixture
def involved_colleague(involved_caseworker):
    """The participant's colleague in the same (nationwide) party, not a participant."""
    return UserFactory(username="berord-kollega", organisation=involved_caseworker.organisation)


def take_part(case, user):
    """``user`` is invited to a meeting of ``case`` as staff of their party."""
    ParticipantFactory(
        meeting=MeetingFactory(case=case),
        kind="staff",
        user=user,
        organisation=user.organisation,
        name=str(user),
    )


@pytest.fixture
def case(area, owner, involved_caseworker):
    case = CaseFactory(area=area, owner=owner, first_name="Signe", last_name="Hemligsdotter")
    case.involved_organisations.add(owner.organisation, involved_caseworker.organisation)
    take_part(case, involved_caseworker)
    return case


def pages(case):
    """(method, url, data, kind) for every URL of one ärende."""
    pk = case.pk
    return [
        ("get", reverse("cases:detail", args=[pk]), None, OPEN),
        ("head", reverse("cases:detail", args=[pk]), None, OPEN),
        ("post", reverse("cases:personnummer", args=[pk]), {}, OPEN),
        ("get", reverse("cases:update", args=[pk]), None, MANAGE),
        ("post", reverse("cases:update", args=[pk]), {"first_name": "Ändrad"}, MANAGE),
        ("get", reverse("cases:close", args=[pk]), None, MANAGE),
        ("post", reverse("cases:close", args=[pk]), {"reason": ""}, MANAGE),
        ("post", reverse("cases:close", args=[pk]), {"reopen": "1"}, MANAGE),
        ("get", reverse("cases:history", args=[pk]), None, MANAGE),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_url_for_every_role(request, client, case, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    before = Case.objects.values().get(pk=case.pk)
    for method, url, data, kind in pages(case):
        response = (
            getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        )
        label = (role, method, url)
        if role not in MAY_OPEN:
            assert response.status_code == 404, label
            assert NAME not in response.content.decode(), label
            assert "Signe" not in response.content.decode(), label
        elif kind == MANAGE and role not in MAY_MANAGE:
            assert response.status_code == 403, label
            assert NAME not in response.content.decode(), label
        else:
            # Allowed: a page, a redirect back to the ärende, or 400 for the empty forms above.
            assert response.status_code in (200, 302, 400), label
    if role not in MAY_MANAGE:
        assert Case.objects.values().get(pk=case.pk) == before


@pytest.mark.parametrize("role", sorted(set(ROLES) - MAY_OPEN))
def test_uninvolved_get_404_even_on_post_only_and_unknown_urls(request, client, case, role):
    """The reveal URL answers 404 (not 405) to someone who may not open the ärende."""
    client.force_login(request.getfixturevalue(role))
    for url in (
        reverse("cases:personnummer", args=[case.pk]),
        reverse("cases:detail", args=[case.pk + 1000]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert NAME not in response.content.decode()


def test_involved_party_may_open_but_sees_no_manage_buttons(client_for, involved_caseworker, case):
    content = client_for(involved_caseworker).get(case.get_absolute_url()).content.decode()
    assert NAME in content
    assert reverse("cases:update", args=[case.pk]) not in content
    assert reverse("cases:history", args=[case.pk]) not in content


@pytest.mark.parametrize("role", sorted(MAY_MANAGE))
def test_managers_see_manage_buttons(request, client_for, case, role):
    content = (
        client_for(request.getfixturevalue(role)).get(case.get_absolute_url()).content.decode()
    )
    assert reverse("cases:update", args=[case.pk]) in content
    assert reverse("cases:close", args=[case.pk]) in content


def test_involved_party_cannot_close_or_edit(client_for, involved_caseworker, case):
    client = client_for(involved_caseworker)
    assert client.post(reverse("cases:close", args=[case.pk]), {"reason": "Nej"}).status_code == 403
    data = {
        "area": case.area_id,
        "first_name": "X",
        "last_name": "Y",
        "contact_preference": "letter",
    }
    assert client.post(reverse("cases:update", args=[case.pk]), data).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert case.first_name == "Signe"


def test_coordinator_of_another_area_loses_access_when_the_case_moves(client_for, case, other_area):
    tranas = UserFactory(username="k-tranas", is_caseworker=False, coordinated_areas=[other_area])
    client = client_for(tranas)
    assert client.get(case.get_absolute_url()).status_code == 404
    case.area = other_area
    case.save()
    assert client.get(case.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "name", ["cases:detail", "cases:update", "cases:personnummer", "cases:close", "cases:history"]
)
def test_anonymous_is_sent_to_login(client, case, name):
    url = reverse(name, args=[case.pk])
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["cases:list", "cases:create"])
def test_anonymous_is_sent_to_login_from_list_and_create(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- the list never shows what the user may not open ---------------------------------------------


@pytest.fixture
def many(area, other_area, owner, involved_caseworker, uninvolved_caseworker):
    someone = UserFactory(
        username="nagon", organisation=OrganisationFactory(name="Region Jönköping")
    )
    cases = {
        "own": CaseFactory(area=area, owner=owner, last_name="Egen"),
        "involved": CaseFactory(area=area, owner=someone, last_name="Berord"),
        "area": CaseFactory(area=area, owner=someone, last_name="Omradet"),
        "elsewhere": CaseFactory(area=other_area, owner=someone, last_name="Annanstans"),
        "closed": CaseFactory(
            area=other_area,
            owner=someone,
            last_name="Stangd",
            status=CaseStatus.CLOSED,
            closed_on="2025-01-02",
        ),
    }
    cases["involved"].involved_organisations.add(
        involved_caseworker.organisation, someone.organisation
    )
    take_part(cases["involved"], involved_caseworker)
    cases["closed"].involved_organisations.add(involved_caseworker.organisation)
    take_part(cases["closed"], involved_caseworker)
    # Involved by organisation only: opens to nobody of it.
    cases["area"].involved_organisations.add(involved_caseworker.organisation)
    return cases


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_exactly_the_cases_the_user_may_open(request, client, many, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(reverse("cases:list"), {"omfang": "alla", "status": "alla"})
    assert response.status_code == 200
    shown = {case.pk for case in response.context["cases"]}
    openable = {
        case.pk
        for case in Case.objects.all()
        if client.get(case.get_absolute_url()).status_code == 200
    }
    assert shown == openable
    content = response.content.decode()
    for case in Case.objects.exclude(pk__in=shown):
        assert case.last_name not in content
    # No duplicates from the organisation join.
    assert len(response.context["cases"]) == len(shown)


def test_list_for_administrator_and_outsider(client_for, many, administrator, no_role_user):
    """The administrator role opens no ärende (it manages lists and settings)."""
    params = {"omfang": "alla", "status": "alla"}
    assert len(client_for(administrator).get(reverse("cases:list"), params).context["cases"]) == 0
    assert len(client_for(no_role_user).get(reverse("cases:list"), params).context["cases"]) == 0


def test_list_for_the_participant_shows_the_cases_of_their_meetings_only(
    client_for, many, involved_caseworker, involved_colleague
):
    params = {"omfang": "alla", "status": "alla"}
    shown = client_for(involved_caseworker).get(reverse("cases:list"), params).context["cases"]
    assert {case.last_name for case in shown} == {"Berord", "Stangd"}
    shown = client_for(involved_colleague).get(reverse("cases:list"), params).context["cases"]
    assert len(shown) == 0


@pytest.mark.parametrize("role", ["owner", "coordinator", "involved_caseworker"])
def test_list_query_count_does_not_grow_with_cases(
    request, client, area, owner, involved_caseworker, role
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    params = {"omfang": "alla", "status": "alla"}

    def make(count):
        for _ in range(count):
            case = CaseFactory(area=area, owner=owner)
            case.involved_organisations.add(involved_caseworker.organisation, owner.organisation)
            take_part(case, involved_caseworker)

    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("cases:list"), params)
        assert response.status_code == 200
        return len(context.captured_queries), len(response.context["cases"])

    make(1)
    one, shown_one = queries()
    make(29)
    thirty, shown_thirty = queries()
    assert (shown_one, shown_thirty) == (1, 30)
    assert one == thirty


@pytest.mark.parametrize("role", ROLES)
def test_one_case_check_agrees_with_the_queryset_rule(request, many, role):
    """``Case.is_visible_to`` (one page's check) and ``visible_to`` (lists) are one rule."""
    user = request.getfixturevalue(role)
    visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
    for case in Case.objects.all():
        assert case.is_visible_to(user) == (case.pk in visible), (role, case.last_name)
