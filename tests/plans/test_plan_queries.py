"""The plan page's queries do not grow with its rows (30 actions, 5 versions < 20)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.services.start import get_or_create_plan
from plans.services.versions import freeze_plan
from tests.factories import MeetingFactory, ParticipantFactory, UserFactory

from .helpers import edit_url


def fill(plan, user, orgs, *, actions, versions):
    for i in range(actions):
        plan.actions.create(
            what=f"Insats {i}",
            position=i,
            responsible_organisation=orgs["af"],
            responsible_user=user if i % 2 else None,
        )
    for i in range(6):
        goal = plan.goals.create(text=f"Mål {i}", position=i)
        plan.goals.create(text=f"Delmål {i}", parent=goal)
    for n in range(versions):
        # A change between them: an unchanged plan is frozen once.
        plan.way_forward = f"Version {n + 1}"
        plan.save(update_fields=["way_forward"])
        freeze_plan(plan=plan, user=user)


def page_queries(client, meeting):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(edit_url(meeting)).status_code == 200
    return len(ctx.captured_queries)


def test_thirty_actions_and_five_versions_stay_under_twenty_queries(
    client_for, convener, meeting, plan, orgs, django_assert_max_num_queries
):
    for _ in range(4):
        ParticipantFactory(
            meeting=meeting, kind="staff", user=UserFactory(), organisation=orgs["af"]
        )
    fill(plan, convener, orgs, actions=30, versions=5)
    client = client_for(convener)
    client.get(edit_url(meeting))  # warm the session
    # Besides the session, user and meeting: the plan, the "viewed" log, participants,
    # actions (this plan's and the previous one's), versions with their signature count,
    # organisations, goals, and the people named but not taking part (the convener here).
    with django_assert_max_num_queries(12):
        assert client.get(edit_url(meeting)).status_code == 200


def test_queries_do_not_grow_with_rows(client_for, convener, case, orgs):
    small = MeetingFactory(case=case, convened_by=convener)
    fill(get_or_create_plan(small), convener, orgs, actions=1, versions=1)
    big = MeetingFactory(case=case, convened_by=convener, starts_at=small.starts_at)
    fill(get_or_create_plan(big), convener, orgs, actions=30, versions=5)
    client = client_for(convener)
    client.get(edit_url(small))
    assert page_queries(client, big) == page_queries(client, small)
