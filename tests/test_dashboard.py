"""The dashboard ("Översikt") and the förmöte follow-up rule behind it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.services.dashboard import mark_can_open, premeetings_without_follow_up
from tests.factories import (
    CaseFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

FLAG = "Inget samverkansmöte bokat inom 14 dagar"


def in_days(days, hour=10):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour, 0))


def meeting_in(days, hour=10, **kwargs):
    start = in_days(days, hour)
    return MeetingFactory(starts_at=start, ends_at=start + timedelta(hours=1), **kwargs)


@pytest.fixture
def me(db):
    return UserFactory(
        username="jag", first_name="Maja", organisation=OrganisationFactory(name="Sävsjö kommun")
    )


@pytest.fixture
def my_case(area, me):
    return CaseFactory(area=area, owner=me, first_name="Alva", last_name="Andersson")


@pytest.fixture
def someone_else(db):
    return UserFactory(username="annan", organisation=OrganisationFactory(name="Nässjö kommun"))


def dashboard(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_dashboard_greets_and_lists_the_coordinators_areas(client_for, coordinator, area):
    response = client_for(coordinator).get(reverse("dashboard"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "Kontaktlista Samverk Sävsjö" in content
    assert "Behöver bekräftas" in content
    assert "Nytt ärende" not in content  # a coordinator only is no caseworker


# --- Mina öppna ärenden -------------------------------------------------------------


def test_my_open_cases(client_for, me, my_case, area, someone_else):
    CaseFactory(
        area=area, owner=me, last_name="Stängd", status="closed", closed_on=timezone.localdate()
    )
    CaseFactory(area=area, owner=someone_else, last_name="Annanssons")
    content = dashboard(client_for(me))
    assert "Mina öppna ärenden" in content
    assert "Alva Andersson" in content
    assert reverse("cases:detail", args=[my_case.pk]) in content
    assert "Stängd" not in content and "Annanssons" not in content
    assert "Alla mina ärenden" in content and reverse("cases:list") in content
    assert "Nytt ärende" in content and reverse("cases:create") in content


def test_open_cases_of_an_owner_without_the_caseworker_role(
    client_for, area, other_area, coordinator
):
    # An owner who is no handläggare opens their ärenden only with another staff role, the
    # coordinator's of some area (the rule of Case.is_visible_to): listed then, else not.
    former = UserFactory(username="f.d.handlaggare", is_caseworker=False)
    CaseFactory(area=area, owner=former, last_name="Utanroll")
    assert "Utanroll" not in dashboard(client_for(former))
    CaseFactory(area=area, owner=coordinator, last_name="Koordinerad")
    CaseFactory(area=other_area, owner=coordinator, last_name="Annatomrade")
    content = dashboard(client_for(coordinator))
    assert "Koordinerad" in content and "Annatomrade" in content


def test_open_cases_are_at_most_ten(client_for, me, area):
    for _ in range(12):
        CaseFactory(area=area, owner=me)
    response = client_for(me).get(reverse("dashboard"))
    assert len(response.context["open_cases"]) == 10


# --- Mina kommande möten ------------------------------------------------------------


def test_my_upcoming_meetings(client_for, me, my_case, someone_else, area):
    convened = meeting_in(3, 9, case=my_case, kind="sip", location="Vårdcentralen")
    other_case = CaseFactory(area=area, owner=someone_else, last_name="Bergström")
    other_case.involved_organisations.add(me.organisation)
    invited = meeting_in(5, 13, case=other_case, location="Jobbtorget")
    ParticipantFactory(meeting=invited, kind="staff", user=me)
    meeting_in(-3, case=my_case, location="Förra veckans rum")
    meeting_in(4, case=my_case, status="cancelled", location="Inställda rummet")
    meeting_in(6, case=CaseFactory(area=area, owner=someone_else), location="Någon annans rum")

    content = dashboard(client_for(me))

    assert "Mina kommande möten" in content
    assert "SIP (samordnad individuell plan)" in content and "kind-sip" in content
    assert "09:00–10:00" in content
    assert "Vårdcentralen" in content and "Jobbtorget" in content
    assert "Alva Andersson" in content and "Bergström" in content
    assert reverse("meetings:detail", args=[convened.pk]) in content
    assert reverse("meetings:detail", args=[invited.pk]) in content
    for hidden in ("Förra veckans rum", "Inställda rummet", "Någon annans rum"):
        assert hidden not in content


def test_upcoming_meeting_date_is_swedish(client_for, me, my_case):
    meeting_in(2, case=my_case)
    content = dashboard(client_for(me))
    day = in_days(2)
    weekday = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"][day.weekday()]
    month = [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ][day.month - 1]
    assert f"{weekday} {day.day} {month} {day.year}, 10:00–11:00" in content


def test_invited_to_a_case_i_cannot_open_shows_no_name(client_for, me, someone_else, area):
    """Invited, then taken off the meeting: the ärende no longer opens to me (need to know)."""
    secret = CaseFactory(area=area, owner=someone_else, first_name="Hemlig", last_name="Hemligsson")
    meeting = meeting_in(5, case=secret)
    ParticipantFactory(meeting=meeting, kind="staff", user=me, removed_at=timezone.now())
    content = dashboard(client_for(me))
    assert "Hemligsson" not in content
    assert reverse("meetings:detail", args=[meeting.pk]) not in content


def test_invited_as_staff_to_someone_elses_case_shows_its_name(client_for, me, someone_else, area):
    """Taking part in one of its meetings opens the ärende, whoever owns it."""
    theirs = CaseFactory(area=area, owner=someone_else, first_name="Delad", last_name="Deltagare")
    meeting = meeting_in(5, case=theirs)
    ParticipantFactory(meeting=meeting, kind="staff", user=me)
    content = dashboard(client_for(me))
    assert "Delad Deltagare" in content
    assert reverse("meetings:detail", args=[meeting.pk]) in content


# --- Väntar på svar -----------------------------------------------------------------


def test_waiting_for_answers_counts_those_who_have_not_answered(client_for, me, my_case):
    waiting = meeting_in(10, case=my_case, location="Väntrummet")
    ParticipantFactory(meeting=waiting, answer="none")
    ParticipantFactory(meeting=waiting, answer="none")
    ParticipantFactory(meeting=waiting, answer="attending")
    answered = meeting_in(11, case=my_case, location="Svarsrummet")
    ParticipantFactory(meeting=answered, answer="declined")

    response = client_for(me).get(reverse("dashboard"))

    assert [m.pk for m in response.context["awaiting_answers"]] == [waiting.pk]
    assert response.context["awaiting_answers"][0].unanswered == 2
    content = response.content.decode()
    assert "Väntar på svar" in content
    assert "2 deltagare har inte svarat" in content


def test_waiting_for_answers_only_for_meetings_i_convened_that_are_ahead(
    client_for, me, my_case, someone_else
):
    past = meeting_in(-2, case=my_case)
    ParticipantFactory(meeting=past, answer="none")
    cancelled = meeting_in(5, case=my_case, status="cancelled")
    ParticipantFactory(meeting=cancelled, answer="none")
    not_mine = meeting_in(5, case=my_case, convened_by=someone_else)
    ParticipantFactory(meeting=not_mine, answer="none")
    response = client_for(me).get(reverse("dashboard"))
    assert response.context["awaiting_answers"] == []
    assert "Alla har svarat på dina kallelser." in response.content.decode()


# --- Förmöten utan samverkansmöte ---------------------------------------------------


@pytest.fixture
def premeeting(me, my_case):
    return meeting_in(3, case=my_case, kind="formote", location="Förmötesrummet")


def flagged(user):
    return [m.pk for m in premeetings_without_follow_up(user)]


def test_premeeting_without_follow_up_is_flagged_with_a_booking_link(
    client_for, me, my_case, premeeting
):
    assert flagged(me) == [premeeting.pk]
    content = dashboard(client_for(me))
    assert "Förmöten utan samverkansmöte" in content
    assert FLAG in content
    book = reverse("meetings:book", args=[my_case.pk])
    assert f"{book}?formote={premeeting.pk}" in content


@pytest.mark.parametrize(
    ("days_after", "kind", "status", "still_flagged"),
    [
        (10, "samverkansmote", "planned", False),
        (14, "sip", "planned", False),  # the 14th day still counts
        (0, "avstamningsmote", "planned", False),
        (20, "samverkansmote", "planned", True),  # too late
        (10, "samverkansmote", "cancelled", True),
        (10, "formote", "planned", True),  # another förmöte is no meeting with the individual
        (-1, "samverkansmote", "planned", True),  # before the förmöte
    ],
)
def test_follow_up_rule(me, my_case, premeeting, days_after, kind, status, still_flagged):
    start = premeeting.starts_at + timedelta(days=days_after)
    MeetingFactory(
        case=my_case, kind=kind, status=status, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    assert (premeeting.pk in flagged(me)) is still_flagged


def test_follow_up_in_another_case_does_not_count(me, my_case, premeeting, area):
    start = premeeting.starts_at + timedelta(days=7)
    MeetingFactory(
        case=CaseFactory(area=area, owner=me), starts_at=start, ends_at=start + timedelta(hours=1)
    )
    assert flagged(me) == [premeeting.pk]


def test_flag_disappears_once_a_samverkansmote_is_booked_within_14_days(
    client_for, me, my_case, premeeting
):
    client = client_for(me)
    late = premeeting.starts_at + timedelta(days=20)
    MeetingFactory(case=my_case, starts_at=late, ends_at=late + timedelta(hours=1))
    assert FLAG in dashboard(client)  # booked, but 20 days after
    soon = premeeting.starts_at + timedelta(days=10)
    MeetingFactory(case=my_case, starts_at=soon, ends_at=soon + timedelta(hours=1))
    content = dashboard(client)
    assert FLAG not in content
    assert "Förmöten utan samverkansmöte" not in content


def test_premeetings_flagged_for_convener_and_case_owner_only(
    me, my_case, premeeting, someone_else, area
):
    # The owner sees a förmöte someone else convened in their ärende.
    by_other = meeting_in(4, case=my_case, kind="formote", convened_by=someone_else)
    # The convener sees a förmöte in someone else's ärende.
    their_case = CaseFactory(area=area, owner=someone_else)
    convened_by_me = meeting_in(5, case=their_case, kind="formote", convened_by=me)
    theirs = meeting_in(6, case=their_case, kind="formote")  # neither mine nor convened by me
    meeting_in(7, case=my_case, kind="formote", status="cancelled")
    assert flagged(me) == [premeeting.pk, by_other.pk, convened_by_me.pk]
    assert flagged(someone_else) == [by_other.pk, convened_by_me.pk, theirs.pk]


def test_premeetings_in_closed_cases_are_not_flagged(me, my_case, premeeting):
    my_case.status = "closed"
    my_case.closed_on = timezone.localdate()
    my_case.save()
    assert flagged(me) == []


def test_premeeting_rule_is_one_query(me, my_case, premeeting, django_assert_num_queries):
    for i in range(5):
        meeting_in(4 + i, case=CaseFactory(area=my_case.area, owner=me), kind="formote")
    with django_assert_num_queries(1):
        result = list(premeetings_without_follow_up(me))
        assert all(m.case.individual_name for m in result)
    assert len(result) == 6


def test_which_names_may_be_shown_is_one_query_for_all_lists(
    me, my_case, someone_else, area, django_assert_num_queries
):
    """A meeting in an ärende the user may not open shows no name; one they convened in
    someone else's ärende does (the convener takes part in it)."""
    mine = meeting_in(3, case=my_case)
    convened = meeting_in(4, case=CaseFactory(area=area, owner=someone_else), convened_by=me)
    theirs = meeting_in(6, case=CaseFactory(area=area, owner=someone_else))
    also_mine = meeting_in(5, case=CaseFactory(area=area, owner=me))
    with django_assert_num_queries(1):
        mark_can_open(me, [mine, convened, theirs], [also_mine], [])
    assert (mine.can_open, convened.can_open, theirs.can_open, also_mine.can_open) == (
        True,
        True,
        False,
        True,
    )


# --- query count --------------------------------------------------------------------


def make_everything(n, me, area, someone_else):
    for i in range(n):
        case = CaseFactory(area=area, owner=me)
        upcoming = meeting_in(30 + i % 20, 8 + i % 8, case=case, kind="sip")  # not a follow-up
        ParticipantFactory(meeting=upcoming, answer="none")
        ParticipantFactory(meeting=upcoming, answer="attending")
        meeting_in(3 + i % 20, case=case, kind="formote")
        other = CaseFactory(area=area, owner=someone_else)
        invited = meeting_in(6 + i % 20, case=other)
        ParticipantFactory(meeting=invited, kind="staff", user=me)


def dashboard_queries(client):
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return len(context.captured_queries), response.context


def test_dashboard_query_count_does_not_grow(client_for, me, area, someone_else):
    me.coordinated_areas.add(area)
    client = client_for(me)
    make_everything(1, me, area, someone_else)
    one, context = dashboard_queries(client)
    assert len(context["premeetings_without_follow_up"]) == 1
    assert len(context["awaiting_answers"]) == 1
    make_everything(14, me, area, someone_else)
    fifteen, context = dashboard_queries(client)
    assert len(context["open_cases"]) == 10
    assert len(context["upcoming_meetings"]) == 10
    assert len(context["awaiting_answers"]) == 10
    assert len(context["premeetings_without_follow_up"]) == 10
    assert one == fifteen
    assert fifteen < 20
