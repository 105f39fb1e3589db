"""Versions per field, on goal and action rows too (issue 17): two people writing different
fields of one row never conflict; the same field still does, and nothing is lost."""

import pytest

from plans.services.autosave import save_action_field, save_goal_text, save_plan_field
from plans.services.shared import Conflict


def test_different_fields_of_one_action_row_do_not_conflict(convener, af_user, plan):
    action = plan.actions.create(what="")
    # Both opened the page with every field of the row at version 0.
    assert (
        save_action_field(
            plan=plan,
            user=convener,
            action_pk=action.pk,
            field="what",
            value="Praktik",
            seen_version=0,
        )
        == 1
    )
    assert (
        save_action_field(
            plan=plan,
            user=af_user,
            action_pk=action.pk,
            field="responsible_name",
            value="Eva",
            seen_version=0,
        )
        == 1
    )
    action.refresh_from_db()
    assert (action.what, action.responsible_name) == ("Praktik", "Eva")
    assert action.field_versions == {"what": 1, "responsible_name": 1}


def test_the_same_field_of_a_row_conflicts_with_the_saved_text(convener, af_user, plan):
    action = plan.actions.create(what="")
    save_action_field(
        plan=plan, user=convener, action_pk=action.pk, field="what", value="Annas", seen_version=0
    )
    with pytest.raises(Conflict) as caught:
        save_action_field(
            plan=plan,
            user=af_user,
            action_pk=action.pk,
            field="what",
            value="Bertils",
            seen_version=0,
        )
    # "Den sparade" is the text saved, never "–".
    assert (caught.value.theirs, caught.value.mine, caught.value.version) == (
        "Annas",
        "Bertils",
        1,
    )
    action.refresh_from_db()
    assert action.what == "Annas"


def test_a_goal_text_keeps_its_own_version(convener, af_user, plan):
    goal = plan.goals.create(text="")
    assert save_goal_text(plan=plan, user=convener, goal_pk=goal.pk, value="A", seen_version=0) == 1
    with pytest.raises(Conflict):
        save_goal_text(plan=plan, user=af_user, goal_pk=goal.pk, value="B", seen_version=0)
    goal.refresh_from_db()
    assert goal.version_of("text") == 1 and goal.text == "A"


def test_keep_mine_moves_the_version_on_so_the_first_writer_sees_it(convener, af_user, plan):
    """'Behåll min text' saves over the version the second writer now saw; the field's
    version and status move on, which is what every open page (the first writer's too)
    polls for: the first writer is never left showing their own text unseen."""
    save_plan_field(plan=plan, user=convener, field="way_forward", value="A", seen_version=0)
    with pytest.raises(Conflict):
        save_plan_field(plan=plan, user=af_user, field="way_forward", value="B", seen_version=0)
    assert (
        save_plan_field(plan=plan, user=af_user, field="way_forward", value="B", seen_version=1)
        == 2
    )
    plan.refresh_from_db()
    assert plan.version_of("way_forward") == 2
    assert plan.field_saved["way_forward"]["by"] == f"{af_user}, {af_user.organisation}"


def test_each_save_records_who_and_when(convener, plan):
    action = plan.actions.create(what="")
    save_action_field(
        plan=plan, user=convener, action_pk=action.pk, field="what", value="X", seen_version=0
    )
    action.refresh_from_db()
    stamp = action.field_saved["what"]
    assert stamp["by"] == f"{convener}, {convener.organisation}"
    assert stamp["at"]


def test_any_participant_can_be_named_responsible(client_for, convener, meeting, plan):
    """'Ansvar' names anyone taking part (issue 17): a contact person or the individual,
    not only those with a login; someone not in the meeting is refused beside the field."""
    from meetings.enums import ParticipantKind
    from tests.factories import ParticipantFactory

    from .helpers import autosave, edit_url

    action = plan.actions.create(what="Kontakt med arbetsgivare")
    contact = ParticipantFactory(meeting=meeting, kind=ParticipantKind.CONTACT, name="Eva Kontakt")
    individual = ParticipantFactory(
        meeting=meeting, kind=ParticipantKind.INDIVIDUAL, name="Alva Andersson"
    )
    stranger = ParticipantFactory(name="Någon Annan")  # of another meeting
    client = client_for(convener)
    html = client.get(edit_url(meeting)).content.decode()
    assert f'<option value="{contact.pk}">Eva Kontakt' in html
    assert f'<option value="{individual.pk}">Alva Andersson' in html
    key = f"action-{action.pk}-responsible_participant"
    assert autosave(client, meeting, {key: contact.pk, f"version-{key}": "0"}).status_code == 200
    action.refresh_from_db()
    assert action.responsible_participant == contact
    assert "Eva Kontakt" in action.responsible_display
    refused = autosave(client, meeting, {key: stranger.pk, f"version-{key}": "1"})
    assert refused.status_code == 400
    assert "Välj ett av alternativen" in refused.content.decode()
    action.refresh_from_db()
    assert action.responsible_participant == contact
