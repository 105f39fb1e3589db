"""The plan page's rows, built in Python (plans/markup.py): every input keeps its label,
autosave and status; what anyone typed is escaped; names come without extra queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.services.autosave import save_plan_field
from plans.services.shared import Conflict
from plans.services.start import get_or_create_plan
from plans.services.versions import freeze_plan
from tests.factories import MeetingFactory, OrganisationFactory, ParticipantFactory, UserFactory

from .helpers import autosave_url, edit_url, rows_url


def page(client, meeting):
    response = client.get(edit_url(meeting))
    assert response.status_code == 200
    return response.content.decode()


def test_every_input_has_its_label_autosave_and_status(client_for, convener, meeting, plan):
    goal = plan.goals.create(text="Arbete")
    sub = plan.goals.create(text="Praktik", parent=goal)
    action = plan.actions.create(what="Kartläggning")
    html = page(client_for(convener), meeting)
    keys = [
        ("current_situation", "current_situation"),
        # A version per field, on rows too (two people on different fields never conflict).
        (f"goal-{goal.pk}-text", f"goal-{goal.pk}-text"),
        (f"goal-{sub.pk}-text", f"goal-{sub.pk}-text"),
    ] + [
        (f"action-{action.pk}-{name}", f"action-{action.pk}-{name}")
        for name in (
            "what",
            "due_on",
            "responsible_organisation",
            "responsible_user",
            "responsible_name",
            "done_on",
        )
    ]
    for key, version_key in keys:
        assert f'for="f-{key}"' in html
        assert f'id="f-{key}" name="{key}" data-autosave="{key}"' in html
        assert f'data-version-key="{version_key}"' in html
        assert f'hx-post="{autosave_url(meeting)}"' in html
        assert f'hx-params="{key},version-{version_key}" hx-target="#status-{key}"' in html
        assert f'aria-describedby="status-{key}"' in html
        assert f'id="status-{key}" class="plan-status small" aria-live="polite"' in html
        assert f'id="version-{version_key}" name="version-{version_key}" value="0"' in html
    assert "Mål 1" in html and "Delmål 1.1" in html and "Beslut 1" in html
    assert f'hx-vals=\'{{"op": "goal_add:{goal.pk}"}}\'' in html  # "Lägg till delmål"
    assert "till mål 1" in html
    assert "{#" not in html and "{{" not in html  # no template syntax leaks into the page
    for op in ("goal_up", "goal_down", "goal_remove", "action_up", "action_down"):
        assert f'hx-post="{rows_url(meeting)}"' in html and f'value="{op}:' in html
    assert 'aria-label="Flytta eller ta bort beslut 1"' in html
    assert 'hx-confirm="Ta bort Mål 1?"' in html


def test_what_was_typed_is_escaped(client_for, convener, meeting, plan):
    OrganisationFactory(name='Vård & "omsorg" <AB>')
    plan.current_situation = "<script>alert(1)</script>"
    plan.follow_up_where = 'Rum "7" & <b>'
    plan.save()
    plan.goals.create(text="<i>mål</i>")
    plan.actions.create(what="<b>fet</b>", responsible_name='Eva "E" <x>')
    html = page(client_for(convener), meeting)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'value="Rum &quot;7&quot; &amp; &lt;b&gt;"' in html
    assert "&lt;i&gt;mål&lt;/i&gt;</textarea>" in html
    assert "&lt;b&gt;fet&lt;/b&gt;</textarea>" in html
    assert 'value="Eva &quot;E&quot; &lt;x&gt;"' in html
    assert "Vård &amp; &quot;omsorg&quot; &lt;AB&gt;</option>" in html


def test_rows_show_their_state_and_the_bad_input(client_for, convener, meeting, plan):
    plan.actions.create(what="Sen", due_on=date(2020, 1, 1))
    done = plan.actions.create(what="Gjord", due_on=date(2020, 1, 1), done_on=date(2020, 2, 1))
    html = page(client_for(convener), meeting)
    assert 'class="plan-row border rounded p-2 mb-3 border-danger"' in html
    assert "Försenad" in html and 'value="2020-01-01"' in html
    assert f'name="action-{done.pk}-done_on" data-autosave' in html and 'value="2020-02-01"' in html
    response = client_for(convener).post(
        edit_url(meeting),
        {f"action-{done.pk}-due_on": "i maj", f"version-action-{done.pk}": "0"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="form-control is-invalid"' in html
    assert '<span class="text-danger">Ange ett giltigt datum' in html


def test_names_on_rows_come_without_a_query_per_row(
    client_for, convener, case, meeting, plan, orgs, django_assert_max_num_queries
):
    """Someone named on a row, or who froze a version, need not take part in the
    meeting: their names are read with the people's (one query for all of them)."""
    staff = UserFactory(first_name="Stina", last_name="Staff", organisation=orgs["af"])
    ParticipantFactory(
        meeting=meeting, kind="staff", user=staff, organisation=orgs["af"], name="Stina Staff"
    )
    elsewhere = [
        UserFactory(first_name="Olle", last_name=f"Annan{i}", organisation=orgs["fk"])
        for i in range(3)
    ]
    for i, user in enumerate(elsewhere):
        plan.actions.create(what=f"Insats {i}", responsible_user=user)
    freeze_plan(plan=plan, user=elsewhere[0])
    # The previous plan's done action is shown with its party and person.
    earlier = MeetingFactory(case=case, starts_at=meeting.starts_at.replace(year=2020))
    previous = get_or_create_plan(earlier)
    previous.actions.create(
        what="Klar sedan", done_on=date(2020, 3, 1), responsible_organisation=orgs["kommun"]
    )
    plan.previous = previous
    plan.save()
    client = client_for(convener)
    page(client, meeting)
    with CaptureQueriesContext(connection) as few:
        html = page(client, meeting)
    for _more in range(3):  # more rows naming more people: no more queries
        plan.actions.create(what="Till", responsible_user=UserFactory(organisation=orgs["fk"]))
    with django_assert_max_num_queries(len(few)):
        page(client, meeting)
    for user in [staff, convener, *elsewhere]:
        assert f'<option value="{user.pk}"' in html
    assert f'<option value="{elsewhere[1].pk}" selected>Olle Annan1</option>' in html
    assert "Olle Annan0 –" in html  # who froze version 1
    assert "Klar sedan – Sävsjö kommun" in html
    assert "Stina Staff (Arbetsförmedlingen) – Ej registrerad" in html


def test_an_autosave_reads_the_plan_once(client_for, convener, meeting, plan):
    client = client_for(convener)
    data = {"current_situation": "Text", "version-current_situation": "0"}
    with CaptureQueriesContext(connection) as ctx:
        assert client.post(autosave_url(meeting), data, HTTP_HX_REQUEST="true").status_code == 200
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "plans_actionplan"' in q["sql"]]
    assert len(reads) == 1
    plan.refresh_from_db()
    assert plan.current_situation == "Text" and plan.version_of("current_situation") == 1


def test_a_save_on_a_plan_read_before_someone_elses_still_conflicts(convener, af_user, plan):
    """The first write is tried on the plan as read; a conflict, an unchanged text or a
    version newer than that read are decided on a fresh read."""
    stale = type(plan).objects.get(pk=plan.pk)
    assert (
        save_plan_field(plan=plan, user=convener, field="way_forward", value="A", seen_version=0)
        == 1
    )
    with pytest.raises(Conflict) as conflict:
        save_plan_field(plan=stale, user=af_user, field="way_forward", value="B", seen_version=0)
    assert (conflict.value.theirs, conflict.value.version) == ("A", 1)
    # "Behåll min text": sent over version 1, which the stale read has not seen yet.
    assert (
        save_plan_field(plan=stale, user=af_user, field="way_forward", value="B", seen_version=1)
        == 2
    )
    # The text already stored, sent again over an old version: no conflict, no write.
    older = type(plan).objects.get(pk=plan.pk)
    save_plan_field(plan=plan, user=convener, field="way_forward", value="C", seen_version=2)
    assert (
        save_plan_field(plan=older, user=convener, field="way_forward", value="C", seen_version=2)
        == 3
    )
    plan.refresh_from_db()
    assert plan.way_forward == "C" and plan.version_of("way_forward") == 3
