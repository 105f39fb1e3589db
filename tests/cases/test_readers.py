""" "Vem har läst ärendet" on the history page (issue 13): the reads of the ärende, one line
per person, filterable by organisation and period, for its owner and the area's
coordinator."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.enums import CaseAction
from cases.models import CaseEvent
from cases.reads import readers
from consent.enums import ConsentAction
from meetings.enums import MeetingAction
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, take_part


@pytest.fixture
def kommun(db):
    return OrganisationFactory(name="Sävsjö kommun", kind="kommun")


@pytest.fixture
def fk(db):
    return OrganisationFactory(name="Försäkringskassan", kind="forsakringskassan")


@pytest.fixture
def owner(kommun):
    return UserFactory(username="agare", first_name="Åsa", last_name="Ägare", organisation=kommun)


@pytest.fixture
def case(area, owner):
    return CaseFactory(area=area, owner=owner, first_name="Alva", last_name="Lindgren")


@pytest.fixture
def fk_reader(case, fk):
    user = UserFactory(username="fk", first_name="Frida", last_name="Kassa", organisation=fk)
    take_part(case, user)
    return user


def read(case, user, action, days_ago=0, **data):
    event = case.log(user, action, **data)
    event.at = timezone.now() - timedelta(days=days_ago)
    event.save(update_fields=["at"])
    return event


def history(client, case, **params):
    return client.get(reverse("cases:history", args=[case.pk]), params)


def section(response) -> str:
    return response.content.decode().split('id="readers-heading"', 1)[1]


def test_the_reads_are_listed_one_line_per_person(client_for, owner, case, fk_reader):
    read(case, fk_reader, CaseAction.VIEWED, days_ago=10)
    read(case, fk_reader, MeetingAction.VIEWED, days_ago=2, meeting=1)
    read(case, fk_reader, CaseAction.LISTED, days_ago=1, page="dashboard")
    read(case, owner, ConsentAction.VIEWED, days_ago=3)
    case.log(fk_reader, CaseAction.CHANGED, fields=["phone"])  # a change, not a read
    response = history(client_for(owner), case)
    assert response.status_code == 200
    found = response.context["readers"]
    assert [(r.user, r.count) for r in found] == [(fk_reader, 3), (owner, 1)]
    assert found[0].last - found[0].first > timedelta(days=8)
    text = section(response)
    assert "Försäkringskassan" in text and "Frida Kassa" in text and "handläggare" in text
    assert "Sävsjö kommun" in text


def test_the_page_does_not_list_its_own_read_but_logs_it(client_for, owner, case):
    client = client_for(owner)
    first = history(client, case)
    assert first.context["readers"] == []
    second = history(client, case)
    assert [(r.user, r.count) for r in second.context["readers"]] == [(owner, 1)]
    assert case.events.filter(action=CaseAction.VIEWED, data__page="history").count() == 2


def test_filter_by_organisation(client_for, owner, case, fk_reader, fk, kommun):
    read(case, fk_reader, CaseAction.VIEWED)
    read(case, owner, CaseAction.VIEWED)
    client = client_for(owner)
    response = history(client, case, organisation=fk.pk)
    assert [r.user for r in response.context["readers"]] == [fk_reader]
    # The choices: the organisations of those who have read it, no others.
    choices = [
        str(label)
        for _value, label in response.context["reads_form"].fields["organisation"].choices
    ]
    assert choices == ["Alla organisationer", "Försäkringskassan", "Sävsjö kommun"]


def test_filter_by_period(client_for, owner, case, fk_reader):
    read(case, fk_reader, CaseAction.VIEWED, days_ago=40)
    read(case, owner, CaseAction.VIEWED, days_ago=5)
    today = timezone.localdate()
    client = client_for(owner)
    response = history(client, case, start=(today - timedelta(days=7)).isoformat())
    assert [r.user for r in response.context["readers"]] == [owner]
    response = history(
        client,
        case,
        start=(today - timedelta(days=41)).isoformat(),
        end=(today - timedelta(days=39)).isoformat(),
    )
    assert [r.user for r in response.context["readers"]] == [fk_reader]
    # Both ends are whole days: a read on the end day counts.
    response = history(client, case, end=(today - timedelta(days=5)).isoformat())
    assert {r.user for r in response.context["readers"]} == {owner, fk_reader}


@pytest.mark.parametrize(
    "params",
    [
        {"start": "igår"},
        {"start": "2026-13-45"},
        {"end": "december"},
        {"start": "2026-05-02", "end": "2026-05-01"},
        {"organisation": "999999"},
        {"organisation": "abc"},
        {"start": "\x00"},
    ],
)
def test_a_bad_filter_gives_a_message_not_an_error(client_for, owner, case, params):
    read(case, owner, CaseAction.VIEWED)
    response = history(client_for(owner), case, **params)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Filtret kunde inte användas" in content
    assert 'class="invalid-feedback d-block"' in content
    # Unfiltered, rather than nothing.
    assert [r.user for r in response.context["readers"]] == [owner]


def test_for_the_owner_and_the_coordinator_only(client_for, owner, coordinator, case, fk_reader):
    assert history(client_for(coordinator), case).status_code == 200
    assert history(client_for(fk_reader), case).status_code == 403


def test_the_queries_do_not_grow_with_the_readers(client_for, owner, case, kommun):
    client = client_for(owner)
    history(client, case)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert history(client, case).status_code == 200
        return len(captured.captured_queries)

    read(case, UserFactory(organisation=kommun), CaseAction.VIEWED)
    one = queries()
    for _ in range(15):
        read(case, UserFactory(organisation=OrganisationFactory()), CaseAction.VIEWED)
    assert queries() == one


def test_readers_ignores_other_arenden(owner, case, area):
    other = CaseFactory(area=area, owner=owner)
    read(other, owner, CaseAction.VIEWED)
    assert readers(case) == []
    assert CaseEvent.objects.count() == 1
