"""Everyone sees the same plan (issue 17): the poll every open page makes. 304 on the ETag
while nothing changed, in a fixed number of queries whatever the plan's size; otherwise every
field's saved value, version and who saved it."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import CaseEvent
from plans.enums import PlanAction
from plans.services.autosave import save_action_field, save_plan_field
from plans.services.rows import add_action, add_goal

from .helpers import autosave


def changes_url(meeting):
    return reverse("plans:changes", args=[meeting.pk])


def client_of(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_poll_shows_what_someone_else_saved_with_who_and_when(convener, af_user, meeting, plan):
    bertil = client_of(af_user)
    first = bertil.get(changes_url(meeting))
    assert first.status_code == 200
    etag = first["ETag"]
    save_plan_field(plan=plan, user=convener, field="way_forward", value="Praktik", seen_version=0)
    second = bertil.get(changes_url(meeting), HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 200 and second["ETag"] != etag
    entry = second.json()["fields"]["way_forward"]
    assert entry["value"] == "Praktik" and entry["version"] == 1
    assert entry["saved"]["by"] == f"{convener}, {convener.organisation}"


def test_nothing_changed_is_304(af_user, meeting, plan):
    bertil = client_of(af_user)
    etag = bertil.get(changes_url(meeting))["ETag"]
    response = bertil.get(changes_url(meeting), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag


def test_rows_and_their_fields_are_in_the_poll(convener, meeting, plan):
    action = add_action(plan=plan, user=convener)
    goal = add_goal(plan=plan, user=convener)
    save_action_field(
        plan=plan, user=convener, action_pk=action.pk, field="what", value="Kurs", seen_version=0
    )
    state = client_of(convener).get(changes_url(meeting)).json()
    assert state["actions"] == [action.pk] and state["goals"] == [goal.pk]
    assert state["fields"][f"action-{action.pk}-what"]["value"] == "Kurs"
    assert state["fields"][f"action-{action.pk}-due_on"] == {
        "value": "",
        "version": 0,
        "saved": None,
    }
    assert state["fields"][f"goal-{goal.pk}-text"]["version"] == 0


def count(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


def measure(client, meeting):
    client.get(changes_url(meeting))  # this minute's read row is written
    full, full_count = count(client, changes_url(meeting))
    unchanged, unchanged_count = count(
        client, changes_url(meeting), HTTP_IF_NONE_MATCH=full["ETag"]
    )
    assert full.status_code == 200 and unchanged.status_code == 304
    return unchanged_count, full_count


def test_queries_per_poll_do_not_grow_with_the_plan(convener, meeting, plan):
    client = client_of(convener)
    add_action(plan=plan, user=convener)
    add_goal(plan=plan, user=convener)
    small = measure(client, meeting)
    for _ in range(24):
        add_action(plan=plan, user=convener)
        add_goal(plan=plan, user=convener)
    large = measure(client, meeting)
    assert small == large, (small, large)
    # 304: session, user, and one query for meeting, ärende and plan revision (plus the
    # ärende's access check). 200: that, the plan, its goals, its actions, the read log.
    assert small[0] <= 4 and small[1] <= small[0] + 5, small
    print("queries per poll (304, 200):", small)


def test_outsiders_get_404(outsider, meeting, plan):
    assert client_of(outsider).get(changes_url(meeting)).status_code == 404


def test_a_logged_out_poll_is_401_not_a_redirect(client, meeting, plan):
    response = client.get(changes_url(meeting), HTTP_HX_REQUEST="true")
    assert response.status_code == 401


def test_an_open_page_logs_one_read_a_minute(convener, af_user, meeting, plan):
    bertil = client_of(af_user)
    before = CaseEvent.objects.filter(action=PlanAction.VIEWED, data__page="live").count()
    for n in range(3):
        save_plan_field(
            plan=plan, user=convener, field="way_forward", value=f"v{n}", seen_version=n
        )
        assert bertil.get(changes_url(meeting)).status_code == 200
    after = CaseEvent.objects.filter(action=PlanAction.VIEWED, data__page="live").count()
    assert after - before == 1


def test_the_section_is_served_for_a_refresh(convener, meeting, plan):
    action = add_action(plan=plan, user=convener)
    client = client_of(convener)
    url = reverse("plans:section", args=[meeting.pk])
    html = client.get(url, {"del": "actions"}).content.decode()
    assert 'id="actions-section"' in html and f'data-row="action-{action.pk}"' in html
    assert client.get(url, {"del": "nope"}).status_code == 400


def test_an_autosave_answer_says_who_saved(convener, meeting, plan):
    response = autosave(
        client_of(convener), meeting, {"way_forward": "Text", "version-way_forward": "0"}
    )
    assert f"av {convener}, {convener.organisation}" in response.content.decode()
