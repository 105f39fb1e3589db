"""The ärende, meeting and booking pages make as many queries for a big ärende as for a small.

Each page is requested twice over: for an ärende with one of everything (meeting,
consent, involved party, participant of each kind, contact person, colleague, room)
and for one with twelve of each. The query counts must be equal, and under 20: a
count that grows with the ärende is an N+1 (a query per row in a view, a template or
a form). Failures print both query lists so the extra queries are easy to find.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.enums import Answer, MeetingKind, ParticipantKind
from meetings.models import Meeting
from outbox.enums import MessageState

from .factories import (
    CaseFactory,
    ConsentFactory,
    ContactPersonFactory,
    MeetingFactory,
    OrganisationFactory,
    OutboundMessageFactory,
    ParticipantFactory,
    RoomFactory,
    UserFactory,
)

MAX_QUERIES = 20
SMALL, LARGE = 1, 12


@dataclass
class Built:
    case: object
    premeeting: Meeting  # a förmöte followed by every meeting of the ärende
    meeting: Meeting  # the first of them, with n staff, n contacts and the individual


def build(n, *, area, owner, tag):
    """An open ärende of ``owner`` with ``n`` of everything the pages show."""
    parties = [OrganisationFactory(name=f"Part {tag}{i}") for i in range(n)]
    colleagues = [
        UserFactory(username=f"kollega-{tag}{i}", organisation=parties[i]) for i in range(n)
    ]
    contacts = [
        ContactPersonFactory(area=area, organisation=parties[i], name=f"Kontakt {tag}{i}")
        for i in range(n)
    ]
    rooms = [RoomFactory(area=area, name=f"Rum {tag}{i}") for i in range(n)]
    case = CaseFactory(area=area, owner=owner, interpreter_language="arabiska")
    case.involved_organisations.set([owner.organisation, *parties])
    for i in range(n):
        ConsentFactory(
            case=case,
            organisations=[owner.organisation, parties[i]],
            form="oral" if i % 2 else "written",
            covers_premeeting=i % 2 == 0,
            restrictions="Inget om skulder." if i == 0 else "",
        )

    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=30)
    premeeting = MeetingFactory(case=case, kind=MeetingKind.PREMEETING, starts_at=start)
    meetings = [
        MeetingFactory(
            case=case,
            premeeting=premeeting,
            starts_at=start + timedelta(days=1 + i),
            room=rooms[i],
            location="",
        )
        for i in range(n)
    ]
    for meeting in (premeeting, meetings[0]):
        people = [
            ParticipantFactory(
                meeting=meeting,
                kind=ParticipantKind.STAFF,
                user=owner,
                organisation=owner.organisation,
                name=str(owner),
                note="Sammankallande",
                answer=Answer.ATTENDING,
            )
        ]
        people += [
            ParticipantFactory(
                meeting=meeting,
                kind=ParticipantKind.STAFF,
                user=colleague,
                organisation=colleague.organisation,
                name=str(colleague),
                answer=Answer.DECLINED,  # the only one from the party: a key person declines
            )
            for colleague in colleagues
        ]
        people += [
            ParticipantFactory(
                meeting=meeting,
                kind=ParticipantKind.CONTACT,
                contact_person=contact,
                organisation=contact.organisation,
                name=contact.name,
                email=contact.email,
            )
            for contact in contacts
        ]
        if meeting.kind == MeetingKind.PREMEETING:
            people.append(
                ParticipantFactory(meeting=meeting, organisation_name="Frivården", name="Extern")
            )
        else:
            people.append(
                ParticipantFactory(
                    meeting=meeting, kind=ParticipantKind.INDIVIDUAL, name=case.individual_name
                )
            )
        for person in people:
            OutboundMessageFactory(
                state=MessageState.SENT, to_email=person.email or "x@example.se", related=person
            )
    return Built(case=case, premeeting=premeeting, meeting=meetings[0])


PAGES = {
    "ärende": lambda b: reverse("cases:detail", args=[b.case.pk]),
    "möte": lambda b: reverse("meetings:detail", args=[b.meeting.pk]),
    "förmöte": lambda b: reverse("meetings:detail", args=[b.premeeting.pk]),
    "boka": lambda b: reverse("meetings:book", args=[b.case.pk]),
    "boka från förmöte": lambda b: (
        f"{reverse('meetings:book', args=[b.case.pk])}?formote={b.premeeting.pk}"
    ),
}


@pytest.fixture
def owner(caseworker):
    return caseworker


@pytest.fixture
def small(area, owner):
    return build(SMALL, area=area, owner=owner, tag="s")


@pytest.fixture
def large(area, owner):
    return build(LARGE, area=area, owner=owner, tag="l")


def queries(client, url):
    client.get(url)  # warm-up: per-process caches (content types, sessions) filled
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def listing(sqls):
    return "\n".join(f"  {i + 1:2d}. {sql[:200]}" for i, sql in enumerate(sqls))


@pytest.mark.parametrize("name", list(PAGES))
def test_query_count_does_not_grow_with_the_arende(client_for, owner, small, large, name):
    client = client_for(owner)
    few = queries(client, PAGES[name](small))
    many = queries(client, PAGES[name](large))
    assert len(few) == len(many), (
        f"{name}: {len(few)} queries with {SMALL} of everything, {len(many)} with {LARGE}\n"
        f"with {SMALL}:\n{listing(few)}\nwith {LARGE}:\n{listing(many)}"
    )
    assert len(many) < MAX_QUERIES, f"{name}: {len(many)} queries\n{listing(many)}"


def test_the_large_arende_really_is_large(large):
    """Guards the test above: it compares nothing if the builder stops building."""
    assert large.case.meetings.count() == LARGE + 1
    assert large.case.consents.count() == LARGE
    assert large.meeting.participants.count() == 2 * LARGE + 2
    assert large.premeeting.follow_ups.count() == LARGE
