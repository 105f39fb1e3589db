"""Two people on the same field: the second one gets 409 with both texts, nothing lost."""

from django.test import Client

from plans.models import ActionPlan, Goal

from .helpers import autosave, edit_url


def two_clients(*users):
    clients = []
    for user in users:
        c = Client()
        c.force_login(user)
        clients.append(c)
    return clients


def test_the_second_writer_gets_409_with_both_texts(convener, af_user, meeting, plan):
    anna, bertil = two_clients(convener, af_user)
    # Both opened the page at version 0.
    assert anna.get(edit_url(meeting)).status_code == 200
    assert bertil.get(edit_url(meeting)).status_code == 200
    first = autosave(
        anna, meeting, {"current_situation": "Annas text", "version-current_situation": "0"}
    )
    assert first.status_code == 200
    second = autosave(
        bertil, meeting, {"current_situation": "Bertils text", "version-current_situation": "0"}
    )
    assert second.status_code == 409
    html = second.content.decode()
    assert "Annas text" in html and "Bertils text" in html
    assert "Behåll min text" in html and "Använd den sparade" in html
    assert 'data-version="1"' in html
    plan.refresh_from_db()
    assert plan.current_situation == "Annas text"
    assert plan.version_of("current_situation") == 1
    # "Behåll min text": sent again over the version now seen, on purpose.
    keep = autosave(
        bertil, meeting, {"current_situation": "Bertils text", "version-current_situation": "1"}
    )
    assert keep.status_code == 200
    assert ActionPlan.objects.get(pk=plan.pk).current_situation == "Bertils text"


def test_other_fields_are_independent(convener, af_user, meeting, plan):
    anna, bertil = two_clients(convener, af_user)
    autosave(anna, meeting, {"current_situation": "A", "version-current_situation": "0"})
    other = autosave(bertil, meeting, {"way_forward": "B", "version-way_forward": "0"})
    assert other.status_code == 200


def test_goal_rows_conflict_on_their_version(convener, af_user, meeting, plan):
    goal = Goal.objects.create(plan=plan, text="Mål")
    anna, bertil = two_clients(convener, af_user)
    key, version = f"goal-{goal.pk}-text", f"version-goal-{goal.pk}"
    assert autosave(anna, meeting, {key: "Arbete 25 %", version: "0"}).status_code == 200
    clash = autosave(bertil, meeting, {key: "Arbete 50 %", version: "0"})
    assert clash.status_code == 409
    assert "Arbete 25 %" in clash.content.decode() and "Arbete 50 %" in clash.content.decode()
    goal.refresh_from_db()
    assert goal.text == "Arbete 25 %"


def test_action_row_conflict_shows_readable_values(convener, af_user, meeting, plan, orgs):
    action = plan.actions.create(what="Praktik")
    anna, bertil = two_clients(convener, af_user)
    field, version = f"action-{action.pk}-responsible_organisation", f"version-action-{action.pk}"
    assert autosave(anna, meeting, {field: orgs["af"].pk, version: "0"}).status_code == 200
    clash = autosave(bertil, meeting, {field: orgs["kommun"].pk, version: "0"})
    assert clash.status_code == 409
    html = clash.content.decode()
    assert "Arbetsförmedlingen" in html and "Sävsjö kommun" in html
    action.refresh_from_db()
    assert action.responsible_organisation == orgs["af"]


def test_no_js_form_reports_conflicts_and_keeps_my_text(convener, af_user, meeting, plan):
    anna, bertil = two_clients(convener, af_user)
    autosave(anna, meeting, {"desired_situation": "Annas", "version-desired_situation": "0"})
    response = bertil.post(
        edit_url(meeting),
        {
            "desired_situation": "Bertils",
            "version-desired_situation": "0",
            "way_forward": "Sparas ändå",
            "version-way_forward": "0",
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Bertils" in html and "Annas" in html
    # Resubmitting now carries the server's version: keeping my text is a deliberate choice.
    assert 'name="version-desired_situation" value="1"' in html
    plan.refresh_from_db()
    assert plan.desired_situation == "Annas"
    assert plan.way_forward == "Sparas ändå"
