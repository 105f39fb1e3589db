"""Bad input to the plan page: control characters never reach the database, every text has
a limit a meeting can use, and a refused save (autosave or the whole form) saves nothing."""

import pytest

from plans.models import LONG_TEXT_MAX, ROW_TEXT_MAX, TEXT_FIELDS, text_limit

from .helpers import autosave, edit_url

CONTROL = "Alva\x00 mår\x01 bättre\x1b[31m\x7f\x0bny rad\x0csida\tflik"
CLEAN = "Alva mår bättre[31m\nny rad\nsida\tflik"


@pytest.fixture
def rows(plan):
    return plan.goals.create(text="Arbete"), plan.actions.create(what="Arbetsträning")


def row_fields(goal, action):
    return {
        f"goal-{goal.pk}-text": (f"version-goal-{goal.pk}", ROW_TEXT_MAX),
        f"action-{action.pk}-what": (f"version-action-{action.pk}", ROW_TEXT_MAX),
        f"action-{action.pk}-responsible_name": (f"version-action-{action.pk}", 150),
    }


def stored(plan, rows, key):
    goal, action = rows
    plan.refresh_from_db()
    if key.startswith("goal-"):
        goal.refresh_from_db()
        return goal.text
    if key.startswith("action-"):
        action.refresh_from_db()
        return getattr(action, key.rsplit("-", 1)[1])
    return getattr(plan, key)


def every_field(rows):
    fields = {name: (f"version-{name}", text_limit(name)) for name in TEXT_FIELDS}
    fields.update(row_fields(*rows))
    return fields


def test_the_limits(rows):
    limits = {key: limit for key, (_v, limit) in every_field(rows).items()}
    assert limits["current_situation"] == LONG_TEXT_MAX == 10_000
    assert limits["individual_words"] == LONG_TEXT_MAX
    assert limits["follow_up_who"] == 500 and limits["follow_up_when"] == 200
    assert ROW_TEXT_MAX == 2_000


def test_control_characters_are_taken_out_by_the_autosave(
    client_for, convener, meeting, plan, rows
):
    client = client_for(convener)
    for key, (version, _limit) in every_field(rows).items():
        # Row fields share the row's version: read it afresh for each.
        rows[1].refresh_from_db()
        seen = rows[1].version if key.startswith("action-") else 0
        response = autosave(client, meeting, {key: CONTROL, version: str(seen)})
        assert response.status_code == 200, key
        assert stored(plan, rows, key) == CLEAN, key


def test_control_characters_are_taken_out_by_the_whole_form(client_for, convener, meeting, plan):
    response = client_for(convener).post(
        edit_url(meeting), {"current_situation": "a\x00b", "version-current_situation": "0"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.current_situation == "ab"


@pytest.mark.parametrize("over", [1, 2_000_000])
def test_a_text_over_its_limit_is_refused_by_the_autosave(
    client_for, convener, meeting, plan, rows, over
):
    client = client_for(convener)
    for key, (version, limit) in every_field(rows).items():
        before = stored(plan, rows, key)
        response = autosave(client, meeting, {key: "x" * (limit + over), version: "0"})
        assert response.status_code == 400, key
        content = response.content.decode()
        assert f"Högst {limit:,} tecken får plats här".replace(",", "\u00a0") in content, key
        assert stored(plan, rows, key) == before, key


def test_a_text_at_its_limit_is_saved(client_for, convener, meeting, plan, rows):
    client = client_for(convener)
    for key, (version, limit) in every_field(rows).items():
        rows[1].refresh_from_db()
        seen = rows[1].version if key.startswith("action-") else 0
        response = autosave(client, meeting, {key: "x" * limit, version: str(seen)})
        assert response.status_code == 200, key
        assert len(stored(plan, rows, key)) == limit, key


def test_the_whole_form_with_one_text_too_long_saves_nothing(
    client_for, convener, meeting, plan, rows
):
    goal, _action = rows
    response = client_for(convener).post(
        edit_url(meeting),
        {
            "current_situation": "Ny text",
            "version-current_situation": "0",
            f"goal-{goal.pk}-text": "x" * (ROW_TEXT_MAX + 1),
            f"version-goal-{goal.pk}": "0",
        },
    )
    assert response.status_code == 400
    assert "Högst 2\u00a0000 tecken får plats här" in response.content.decode()
    plan.refresh_from_db()
    goal.refresh_from_db()
    assert plan.current_situation == "" and goal.text == "Arbete"


@pytest.mark.parametrize("bad", ["²", "٣", "99999999999999999999", "-1", "1e3", ""])
def test_odd_numbers_in_versions_and_choices_are_no_500(
    client_for, convener, meeting, plan, rows, bad
):
    _goal, action = rows
    client = client_for(convener)
    client.raise_request_exception = False
    assert autosave(
        client, meeting, {"way_forward": "Text", "version-way_forward": bad}
    ).status_code in (200, 409)
    for name in ("responsible_organisation", "responsible_user"):
        response = autosave(
            client,
            meeting,
            {f"action-{action.pk}-{name}": bad, f"version-action-{action.pk}": "0"},
        )
        assert response.status_code in (200, 400), (name, response.status_code)
    for key in (f"goal-{bad}-text", f"action-{bad}-what"):
        assert autosave(client, meeting, {key: "Text"}).status_code in (400, 410)


def test_the_page_tells_the_counter_each_limit(client_for, convener, meeting, plan, rows):
    goal, action = rows
    content = client_for(convener).get(edit_url(meeting)).content.decode()
    for key, limit in [
        ("current_situation", LONG_TEXT_MAX),
        ("follow_up_who", 500),
        (f"goal-{goal.pk}-text", ROW_TEXT_MAX),
        (f"action-{action.pk}-what", ROW_TEXT_MAX),
    ]:
        assert f'name="{key}" data-autosave="{key}"' in content
        assert f'data-autosave="{key}" data-version-key' in content
        assert f'data-maxlength="{limit}" hx-post' in content
    # Not maxlength: the browser would cut a long paste off without a word.
    assert f' maxlength="{LONG_TEXT_MAX}"' not in content
