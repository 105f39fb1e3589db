"""Who may book a meeting for an ärende: one predicate, cases.access.may_book, over every
role × an open and a closed ärende; the booking page enforces it and the pages' "Boka …"
buttons show by it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.access import may_book
from cases.enums import CaseStatus
from meetings.enums import MeetingKind
from tests.factories import (
    CaseFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

# role -> may book in an open ärende (never in a closed one)
ROLES = {
    "caseworker_with_organisation": True,
    "caseworker_without_organisation": False,
    # The administrator role by itself opens no ärende, so books in none (issue 13).
    "administrator": False,
    "administrator_without_organisation": False,
    "coordinator_only": False,
    "no_role": False,
}


@pytest.fixture
def people(db, area):
    kommun = OrganisationFactory(name="Sävsjö kommun")
    return {
        "caseworker_with_organisation": UserFactory(username="hl", organisation=kommun),
        "caseworker_without_organisation": UserFactory(username="hl-utan", organisation=None),
        "administrator": UserFactory(
            username="adm", is_caseworker=False, is_administrator=True, organisation=kommun
        ),
        "administrator_without_organisation": UserFactory(
            username="adm-utan", is_caseworker=False, is_administrator=True, organisation=None
        ),
        "coordinator_only": UserFactory(
            username="koord", is_caseworker=False, coordinated_areas=[area], organisation=kommun
        ),
        "no_role": UserFactory(username="ingen", is_caseworker=False, organisation=kommun),
    }


@pytest.fixture(params=[True, False], ids=["open", "closed"])
def case(request, area, people):
    case = CaseFactory(area=area, owner=people["caseworker_without_organisation"])
    if not request.param:
        case.status, case.closed_on = CaseStatus.CLOSED, timezone.localdate()
        case.save()
    # Everyone with a staff role opens the ärende (the owner; the coordinator by their
    # area; the other handläggare as participant of a meeting), so what follows is about
    # booking, not a 404. Those without one (no role; the administrator role alone) get 404.
    case.involved_organisations.add(people["no_role"].organisation)
    convener = people["caseworker_with_organisation"]
    meeting = MeetingFactory(
        case=case, convened_by=convener, convening_organisation=convener.organisation
    )
    for role in ("caseworker_with_organisation", "no_role", "administrator"):
        ParticipantFactory(meeting=meeting, kind="staff", user=people[role], name=role)
    return case


@pytest.mark.parametrize("role", ROLES)
def test_may_book_by_role_and_state_of_the_arende(people, case, role):
    user = people[role]
    assert may_book(user, case) is (ROLES[role] and case.is_open)
    # Without an ärende: the part that does not depend on one (the dashboard's buttons).
    assert may_book(user) is ROLES[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_booking_page_and_the_button_agree_with_it(client, people, case, role):
    user = people[role]
    client.force_login(user)
    book = reverse("meetings:book", args=[case.pk])
    response = client.get(book)
    if not case.is_visible_to(user):
        assert role in ("no_role", "administrator", "administrator_without_organisation")
        assert not may_book(user, case)
        assert response.status_code == 404
        assert client.get(case.get_absolute_url()).status_code == 404
        return
    if may_book(user, case):
        assert response.status_code == 200
    elif may_book(user):
        assert response.status_code == 302  # closed: back to the ärende with a message
    else:
        assert response.status_code == 403
    page = client.get(case.get_absolute_url()).content.decode()
    assert (f'href="{book}"' in page) is may_book(user, case)
    # The förmöte's "Boka samverkansmöte" and the plan's "Boka uppföljning" alike.
    convener = people["caseworker_with_organisation"]
    pre = MeetingFactory(
        case=case,
        kind=MeetingKind.PREMEETING,
        convened_by=convener,
        convening_organisation=convener.organisation,
    )
    page = client.get(pre.get_absolute_url()).content.decode()
    assert (f'href="{book}?formote={pre.pk}"' in page) is may_book(user, case)
    section = client.get(reverse("plans:distribution", args=[pre.pk]), HTTP_HX_REQUEST="true")
    assert (f'href="{book}?uppfoljning={pre.pk}' in section.content.decode()) is may_book(
        user, case
    )
