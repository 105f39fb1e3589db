"""Goals, delmål and actions: added, moved and removed without a page reload."""

from tests.factories import ActionFactory

from .helpers import HTMX, edit_url, rows_url


def op(client, meeting, value, htmx=True):
    return client.post(rows_url(meeting), {"op": value}, **(HTMX if htmx else {}))


def test_add_goal_subgoal_and_action_return_the_section(client_for, convener, meeting, plan):
    client = client_for(convener)
    response = op(client, meeting, "goal_add")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="goals-section"' in html and "Mål 1" in html and "<html" not in html
    goal = plan.goals.get()
    assert f'data-focus="goal-{goal.pk}"' in html
    sub = op(client, meeting, f"goal_add:{goal.pk}")
    assert "Delmål 1.1" in sub.content.decode()
    assert plan.goals.get(parent=goal)
    action = op(client, meeting, "action_add")
    assert 'id="actions-section"' in action.content.decode()
    assert plan.actions.count() == 1
    assert meeting.case.events.filter(action="plan.changed", data__field="goal.added").count() == 2


def test_a_delmal_cannot_have_delmal(client_for, convener, meeting, plan):
    goal = plan.goals.create()
    sub = plan.goals.create(parent=goal)
    assert op(client_for(convener), meeting, f"goal_add:{sub.pk}").status_code == 404


def test_move_up_and_down_and_remove(client_for, convener, meeting, plan):
    client = client_for(convener)
    a, b, c = (plan.actions.create(what=w, position=i) for i, w in enumerate("ABC"))
    op(client, meeting, f"action_up:{c.pk}")
    assert [x.what for x in plan.actions.all()] == ["A", "C", "B"]
    op(client, meeting, f"action_down:{a.pk}")
    assert [x.what for x in plan.actions.all()] == ["C", "A", "B"]
    op(client, meeting, f"action_up:{c.pk}")  # already first: nothing happens
    assert [x.what for x in plan.actions.all()] == ["C", "A", "B"]
    op(client, meeting, f"action_remove:{a.pk}")
    assert [x.what for x in plan.actions.all()] == ["C", "B"]
    g1, g2 = plan.goals.create(text="1", position=0), plan.goals.create(text="2", position=1)
    plan.goals.create(parent=g1, text="1.1")
    op(client, meeting, f"goal_down:{g1.pk}")
    assert [g.text for g in plan.goals.filter(parent=None)] == ["2", "1"]
    op(client, meeting, f"goal_remove:{g1.pk}")
    assert [g.text for g in plan.goals.all()] == ["2"]  # its delmål went with it
    assert g2.pk == plan.goals.get().pk


def test_rows_of_another_plan_are_404(client_for, convener, meeting, plan, case):
    foreign = ActionFactory(plan__meeting__case=case, plan__meeting__convened_by=convener)
    assert op(client_for(convener), meeting, f"action_remove:{foreign.pk}").status_code == 404
    assert op(client_for(convener), meeting, "nonsense").status_code == 400
    assert foreign.plan.actions.filter(pk=foreign.pk).exists()


def test_without_htmx_the_row_endpoint_redirects(client_for, convener, meeting, plan):
    response = op(client_for(convener), meeting, "action_add", htmx=False)
    assert response.status_code == 302
    assert response["Location"] == edit_url(meeting) + "#actions"
