"""Every response that shows an individual's data writes an audit row (issue 13, part B).

The URLs come from the URL conf: every pattern of the cases, consent, meetings and plans
namespaces, and the project's dashboard and registerutdrag, is either a page that shows
the individual's name or details (READS: GET it as the ärende's owner and exactly one row
is written, one of the registered read actions) or in EXEMPT with why (and then its GET
response holds none of the individual's data). A new URL in none of them fails
test_every_url_is_decided.

Lists (the dashboard, the case list, the week views, the commitments) write one row per
ärende they name; in this world that is the one ärende. Pages shown again after a refused
POST are reads too: tested at the end.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases.audit import read_actions
from cases.enums import CaseAction
from cases.models import CaseEvent
from consent.services import record_consent
from meetings.enums import Answer, ParticipantKind
from meetings.models import CalendarFeed, PollInvitee, PollTime, Room, TimePoll
from meetings.services.calendar import Week
from meetings.services.invitations import answer_token, delegate_token
from meetings.services.polls import poll_token
from plans.services.start import get_or_create_plan
from plans.services.versions import freeze_plan
from tests.factories import (
    ActionFactory,
    CaseFactory,
    ContactPersonFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    SamverkAreaFactory,
    UserFactory,
)

FIRST, LAST = "Ingalill", "Rönnqvist"
PNR = "198112289874"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

NAMESPACES = ("cases", "consent", "meetings", "plans")
PROJECT_URLS = ("dashboard", "registerutdrag")


class World:
    pass


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = World()
    w.area = SamverkAreaFactory(municipality="Sävsjö", slug="savsjo")
    kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
    w.owner = UserFactory(username="agare", organisation=kommun, is_caseworker=True)
    w.case = CaseFactory(
        area=w.area,
        owner=w.owner,
        first_name=FIRST,
        last_name=LAST,
        personnummer=PNR,
        address="Lindvägen 4",
        phone="070-5544332",
    )
    w.consent = record_consent(
        case=w.case,
        user=w.owner,
        organisations=[kommun],
        form="written",
        covers_premeeting=False,
        given_on=timezone.localdate(),
        valid_until=None,
        restrictions="",
        document=SimpleUploadedFile("samtycke.pdf", PDF),
    )
    w.meeting = MeetingFactory(case=w.case, convened_by=w.owner)
    w.staff = ParticipantFactory(
        meeting=w.meeting,
        kind=ParticipantKind.STAFF,
        user=w.owner,
        organisation=kommun,
        name=str(w.owner),
        email=w.owner.email,
        answer=Answer.ATTENDING,
    )
    # A written contribution to open (meetings:contribution_pdf takes this row).
    w.staff.contribution_file.save("underlag.pdf", SimpleUploadedFile("u.pdf", PDF))
    ParticipantFactory(meeting=w.meeting, kind=ParticipantKind.INDIVIDUAL, name=f"{FIRST} {LAST}")
    contact = ContactPersonFactory(area=w.area, organisation=kommun, name="Kontakt Person")
    w.contact = ParticipantFactory(
        meeting=w.meeting,
        kind=ParticipantKind.CONTACT,
        contact_person=contact,
        organisation=kommun,
        name=contact.name,
        email=contact.email,
    )
    w.plan = get_or_create_plan(w.meeting)
    w.action = ActionFactory(plan=w.plan, what="Träna intervju", responsible_organisation=kommun)
    w.version = freeze_plan(plan=w.plan, user=w.owner)
    w.week = Week.containing(timezone.localtime(w.meeting.starts_at).date()).param
    w.poll = TimePoll.objects.create(
        case=w.case,
        kind=w.meeting.kind,
        purpose=w.meeting.purpose,
        questions=w.meeting.questions,
        location="Kommunhuset",
        convening_organisation=kommun,
        convened_by=w.owner,
        created_by=w.owner,
        answer_by=timezone.localdate() + timedelta(days=7),
    )
    PollTime.objects.create(
        poll=w.poll,
        starts_at=w.meeting.starts_at + timedelta(days=3),
        ends_at=w.meeting.ends_at + timedelta(days=3),
    )
    PollInvitee.objects.create(
        poll=w.poll, kind=ParticipantKind.CONTACT, name=contact.name, email=contact.email
    )
    return w


# --- the URL table ---------------------------------------------------------------------

KWARGS = {
    "pk": {
        "cases": lambda w: w.case.pk,
        "consent": lambda w: w.consent.pk,
        "meetings": lambda w: w.meeting.pk,
        "plans": lambda w: w.action.pk,
        "": lambda w: w.case.pk,
    },
    "case_pk": lambda w: w.case.pk,
    "meeting_pk": lambda w: w.meeting.pk,
    "participant_pk": lambda w: w.staff.pk,
    "number": lambda w: w.version.number,
    "area_slug": lambda w: w.area.slug,
    "grant_pk": lambda w: 1,
}
QUERY = {
    "meetings:my_week": lambda w: {"vecka": w.week},
    "meetings:area_week": lambda w: {"vecka": w.week},
}

# Pages that show the individual's name or details: a GET writes one read row.
READS = {
    "dashboard",
    "registerutdrag",
    "cases:list",
    "cases:detail",
    "cases:update",
    "cases:close",
    "cases:history",
    "cases:share",
    "cases:access",
    "consent:list",
    "consent:create",
    "consent:revoke",
    "consent:document",
    "meetings:book",
    "meetings:detail",
    "meetings:reschedule",
    "meetings:cancel",
    "meetings:my_week",
    "meetings:area_week",
    "meetings:invitation_pdf",
    "meetings:letter_pdf",
    "meetings:ics",
    "meetings:contribution_pdf",
    "meetings:run",
    # "Föreslå tider": the form (as the booking page) and the grid (the ärende's name).
    "meetings:propose_times",
    "meetings:poll",
    "plans:edit",
    # What open pages poll for, and the section they then fetch: once a minute per reader.
    "plans:changes",
    "plans:section",
    "plans:versions",
    "plans:version",
    "plans:pdf",
    "plans:letter",
    "plans:distribution",
    "plans:commitments",
}

# URLs whose GET shows no individual's data, and why.
EXEMPT = {
    # "Prenumerera på mina möten": the user's own feed address and its renewal; the feed
    # names no individual and holds no free text (tests/meetings/test_calendar_feed.py).
    "meetings:subscribe": "no individual's data",
    "meetings:renew_feed": "post only",
    "meetings:feed": "no individual's data",
    # The area's meeting rooms, kept by its coordinator: names and addresses of rooms.
    "meetings:room_list": "coordinator's page",
    "meetings:room_create": "coordinator's page",
    "meetings:room_update": "coordinator's page",
    # A new ärende: an empty form, no individual yet.
    "cases:create": "empty form",
    # POST only (GET: 405). The full number is shown once, logged as its own read
    # (case.personnummer_shown, test_case_audit).
    "cases:personnummer": "post only",
    # The share form's suggestions: colleagues of the user's own organisation (staff).
    "cases:share_suggestions": "staff names only",
    # POST only: a change, logged by its service, then a redirect (or the page again,
    # logged as a read: test_refused_posts_that_show_the_page_again_log_a_read).
    "cases:share_withdraw": "post only",
    "meetings:send_invitations": "post only",
    "meetings:add_participant": "post only",
    "meetings:remove_participant": "post only",
    "meetings:remind": "post only",
    "meetings:interpreter": "post only",
    "meetings:run_start": "post only",
    "meetings:run_attendance": "post only",
    "meetings:run_roles": "post only",
    "meetings:run_agenda": "post only",
    "meetings:run_walk_in": "post only",
    "meetings:run_oral_consent": "post only",
    "plans:autosave": "post only",
    "plans:rows": "post only",
    "plans:freeze": "post only",
    "plans:sign": "post only",
    "plans:distribute": "post only",
    "plans:action_done": "post only",
    # The add-participant field's suggestions: contact persons (staff), never the ärende.
    "meetings:contact_suggestions": "staff names only",
    # The e-mailed answer links: the meeting's kind, time and place only, as they may be
    # forwarded (meetings/views/answers.py); no login, so nobody to log.
    "meetings:answer": "token page",
    "meetings:delegate": "token page",
    # The poll's answer link: the times and the convening party, never the individual.
    "meetings:poll_answer": "token page",
    "meetings:poll_pick": "post only",
    "meetings:poll_remind": "post only",
    "meetings:poll_cancel": "post only",
}


def patterns(entries=None, namespace="", params=()):
    """(full name, parameters) of every named pattern in the URL conf."""
    entries = get_resolver().url_patterns if entries is None else entries
    for entry in entries:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry.url_patterns, inner, (*params, *entry.pattern.converters))
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", {*params, *entry.pattern.converters}


def decided_urls():
    """The names this test decides about: the four apps' namespaces and the project's."""
    return {
        name: params
        for name, params in patterns()
        if name.split(":")[0] in NAMESPACES or name in PROJECT_URLS
    }


def url_of(name, params, w):
    namespace = name.split(":")[0] if ":" in name else ""
    kwargs = {}
    for param in params - {"token"}:
        build = KWARGS[param]
        if isinstance(build, dict):
            build = build[namespace]
        kwargs[param] = build(w)
    if name.startswith("meetings:poll"):  # a poll's pk, or its answer link
        poll = w.poll
        if "pk" in params:
            kwargs["pk"] = poll.pk
        if "token" in params:
            kwargs["token"] = poll_token(poll.invitees.get(asked=True))
            return reverse(name, kwargs=kwargs)
    if name == "meetings:room_update":  # a room of the area
        kwargs["pk"] = Room.objects.get_or_create(area=w.area, name="Rum Ljuset")[0].pk
        return reverse(name, kwargs=kwargs)
    if name == "meetings:feed":  # the owner's own calendar feed, by its secret
        feed, _ = CalendarFeed.objects.get_or_create(user=w.owner)
        return reverse(name, kwargs={"token": feed.token})
    if "token" in params:
        participant = w.contact if name == "meetings:delegate" else w.staff
        kwargs["token"] = (delegate_token if name == "meetings:delegate" else answer_token)(
            participant
        )
    return reverse(name, kwargs=kwargs)


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def test_every_url_is_decided():
    found = set(decided_urls())
    undecided = found - READS - set(EXEMPT)
    assert not undecided, (
        "URLs neither in READS (their GET writes a read row) nor in EXEMPT (with why):\n"
        + "\n".join(sorted(undecided))
    )
    assert not READS & set(EXEMPT)
    stale = (READS | set(EXEMPT)) - found
    assert not stale, f"in the tables but not in the URL conf: {sorted(stale)}"


@pytest.mark.parametrize("name", sorted(READS))
def test_each_page_with_the_individuals_data_writes_one_read_row(client_for, world, name):
    w = world
    client = client_for(w.owner)
    url = url_of(name, decided_urls()[name], w)
    before = set(CaseEvent.objects.values_list("pk", flat=True))
    response = client.get(url, QUERY.get(name, lambda w: {})(w))
    assert response.status_code == 200, (name, response.status_code)
    new = list(CaseEvent.objects.exclude(pk__in=before))
    assert len(new) == 1, (name, [(e.action, e.data) for e in new])
    row = new[0]
    assert row.case_id == w.case.pk and row.user == w.owner
    assert row.action in read_actions(), (name, row.action)
    assert PNR not in str(row.data) and LAST not in str(row.data)


@pytest.mark.parametrize("name", sorted(EXEMPT))
def test_exempt_urls_show_nothing_of_the_individual(client, client_for, world, name):
    w = world
    url = url_of(name, decided_urls()[name], w)
    if EXEMPT[name] == "token page":
        client.logout()
        response = client.get(url)
    elif EXEMPT[name] == "coordinator's page":
        response = client_for(UserFactory(is_caseworker=False, coordinated_areas=[w.area])).get(url)
    else:
        response = client_for(w.owner).get(url)
    assert response.status_code in (200, 405), (name, response.status_code)
    body = body_of(response)
    for secret in (FIRST, LAST, PNR, PNR[2:], "Lindvägen", "070-5544332"):
        assert secret not in body, (name, secret)


def test_a_list_writes_one_row_per_arende_it_names_in_one_query(
    client_for, world, django_assert_max_num_queries
):
    w = world
    others = [CaseFactory(area=w.area, owner=w.owner) for _ in range(5)]
    client = client_for(w.owner)
    client.get(reverse("cases:list"))  # warm the session
    before = CaseEvent.objects.count()
    response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    rows = CaseEvent.objects.filter(action=CaseAction.LISTED).order_by("-pk")[:6]
    assert CaseEvent.objects.count() == before + 6
    assert {r.case_id for r in rows} == {w.case.pk, *(c.pk for c in others)}
    assert all(r.data == {"page": "case_list"} and r.user == w.owner for r in rows)


def test_a_list_that_names_nobody_writes_nothing(client_for, db):
    user = UserFactory(username="ny", is_caseworker=True)
    assert client_for(user).get(reverse("cases:list")).status_code == 200
    assert client_for(user).get(reverse("dashboard")).status_code == 200
    assert not CaseEvent.objects.exists()


def test_a_week_logs_only_the_arenden_it_names(client_for, world):
    """The area's week shows every meeting of the area, but names only the ärenden the
    user may open: only those are read."""
    w = world
    coordinator_of_nothing = UserFactory(username="annan", is_caseworker=True)
    secret = CaseFactory(area=w.area, owner=coordinator_of_nothing, last_name="Hemligsson")
    MeetingFactory(case=secret, starts_at=w.meeting.starts_at + timedelta(hours=2))
    before = set(CaseEvent.objects.values_list("pk", flat=True))
    response = client_for(w.owner).get(
        reverse("meetings:area_week", args=[w.area.slug]), {"vecka": w.week}
    )
    assert response.status_code == 200
    assert "Hemligsson" not in response.content.decode()
    new = CaseEvent.objects.exclude(pk__in=before)
    assert list(new.values_list("case_id", "action")) == [(w.case.pk, CaseAction.LISTED)]


# --- a refused POST shows the page again: a read -----------------------------------------

REFUSED = {
    "cases:update": ({"first_name": ""}, 400),
    "cases:close": ({"reason": ""}, 400),
    "consent:create": ({}, 400),
    "consent:revoke": ({"reason": ""}, 400),
    "meetings:book": ({}, 400),
    "meetings:reschedule": ({"date": "inte ett datum"}, 400),
    "meetings:cancel": ({"reason": ""}, 400),
    "meetings:add_participant": ({}, 400),
    "meetings:run_roles": ({"chair": "999999"}, 400),
    "plans:edit": ({"follow_up_when": "x" * 300}, 400),
    "plans:sign": ({"role": "nobody"}, 400),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_posts_that_show_the_page_again_log_a_read(client_for, world, name):
    w = world
    data, status = REFUSED[name]
    url = url_of(name, decided_urls()[name], w)
    before = set(CaseEvent.objects.values_list("pk", flat=True))
    response = client_for(w.owner).post(url, data)
    assert response.status_code == status, (name, response.status_code)
    assert LAST in body_of(response) or name.startswith("meetings:run")
    new = list(CaseEvent.objects.exclude(pk__in=before).values_list("action", flat=True))
    assert len(new) == 1 and new[0] in read_actions(), (name, new)
