"""The plan page: the seeds' headings in order, viewing logged once, the no-JS form."""

from cases.models import CaseEvent
from plans.models import ActionPlan

from .helpers import autosave, edit_url


def test_the_page_has_the_seeds_headings_in_order(client_for, convener, meeting):
    response = client_for(convener).get(edit_url(meeting))
    assert response.status_code == 200
    html = response.content.decode()
    headings = [
        "Handlingsplan för Alva Andersson",
        "Närvarande",
        "Hur är det nu?",
        "Hur borde det vara?",
        "Hur når vi dit?",
        "Mål och delmål",
        "Det här har vi bestämt",
        "Uppföljning / nästa möte",
        "Samordningsansvarig",
        "Den enskildes egna ord",
        "Fastställ och signera",
    ]
    positions = [html.index(h) for h in headings]
    assert positions == sorted(positions)
    assert 'hx-trigger="input changed delay:800ms, plan:retry"' in html
    assert 'aria-live="polite"' in html
    assert "js/plan.js" in html and "vendor/htmx" in html and "//cdn" not in html
    # The keepalive ping, fired by static/js/session.js only after typing or clicking.
    assert 'hx-trigger="keepalive"' in html and 'data-keepalive-every="300"' in html


def test_opening_logs_viewed_once_and_autosave_does_not(client_for, convener, meeting):
    client = client_for(convener)
    client.get(edit_url(meeting))
    autosave(client, meeting, {"current_situation": "Text", "version-current_situation": "0"})
    autosave(client, meeting, {"current_situation": "Text 2", "version-current_situation": "1"})
    events = CaseEvent.objects.filter(case=meeting.case)
    assert events.filter(action="plan.viewed").count() == 1
    changed = events.filter(action="plan.changed")
    # Two saves of one field within a minute: one row (tests/plans/test_autosave_log.py).
    assert changed.count() == 1
    for event in changed:
        assert event.data["field"] == "current_situation"
        assert "Text" not in str(event.data)  # never the text itself


def test_no_js_post_saves_the_whole_form_and_redirects(client_for, convener, meeting, plan, orgs):
    goal = plan.goals.create(text="")
    action = plan.actions.create()
    response = client_for(convener).post(
        edit_url(meeting),
        {
            "current_situation": "Alva är sjukskriven.\r\nHon vill arbeta.",
            "version-current_situation": "0",
            "way_forward": "Arbetsträning",
            "version-way_forward": "0",
            "individual_words": "Jag vill jobba med djur.",
            "version-individual_words": "0",
            f"goal-{goal.pk}-text": "Arbete på 50 %",
            f"version-goal-{goal.pk}": "0",
            f"action-{action.pk}-what": "Kartläggning",
            f"action-{action.pk}-due_on": "2031-05-14",
            f"action-{action.pk}-responsible_organisation": str(orgs["af"].pk),
            f"action-{action.pk}-responsible_user": "",
            f"action-{action.pk}-responsible_name": "Eva",
            f"action-{action.pk}-done_on": "",
            f"version-action-{action.pk}": "0",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == edit_url(meeting)
    plan = ActionPlan.objects.get(pk=plan.pk)
    assert plan.current_situation == "Alva är sjukskriven.\nHon vill arbeta."
    assert plan.individual_words == "Jag vill jobba med djur."
    goal.refresh_from_db()
    action.refresh_from_db()
    assert goal.text == "Arbete på 50 %"
    assert action.what == "Kartläggning"
    assert str(action.due_on) == "2031-05-14"
    assert action.responsible_organisation == orgs["af"]
    assert action.responsible_name == "Eva"


def test_no_js_post_with_a_bad_date_saves_nothing(client_for, convener, meeting, plan):
    action = plan.actions.create()
    response = client_for(convener).post(
        edit_url(meeting),
        {
            "current_situation": "Ny text",
            "version-current_situation": "0",
            f"action-{action.pk}-what": "Kartläggning",
            f"action-{action.pk}-due_on": "i maj",
            f"version-action-{action.pk}": "0",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ange ett giltigt datum" in html
    assert "Ny text" in html and "Kartläggning" in html  # what was typed is still there
    plan.refresh_from_db()
    action.refresh_from_db()
    assert plan.current_situation == "" and action.what == ""


def test_no_js_row_buttons_save_then_act(client_for, convener, meeting, plan):
    response = client_for(convener).post(
        edit_url(meeting),
        {"current_situation": "Sparas först", "version-current_situation": "0", "op": "goal_add"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#goals")
    plan.refresh_from_db()
    assert plan.current_situation == "Sparas först"
    assert plan.goals.count() == 1
