"""Autosave: one field per request, its version back out of band, expired sessions."""

from django.test import Client
from django.urls import reverse

from plans.models import ActionPlan

from .helpers import HTMX, autosave, autosave_url


def test_a_field_is_saved_and_its_new_version_returned(client_for, convener, meeting, plan):
    response = autosave(
        client_for(convener),
        meeting,
        {"current_situation": "Alva mår bättre", "version-current_situation": "0"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sparat" in html
    assert 'id="version-current_situation"' in html and 'value="1"' in html
    assert 'hx-swap-oob="true"' in html
    plan.refresh_from_db()
    assert plan.current_situation == "Alva mår bättre"
    assert plan.field_versions == {"current_situation": 1}


def test_a_retried_save_of_the_same_text_is_not_a_conflict(client_for, convener, meeting, plan):
    client = client_for(convener)
    data = {"way_forward": "Steg 1\r\nSteg 2", "version-way_forward": "0"}
    assert autosave(client, meeting, data).status_code == 200
    # The response was lost on the way: the browser sends the same request again.
    again = autosave(client, meeting, data)
    assert again.status_code == 200
    plan.refresh_from_db()
    assert plan.way_forward == "Steg 1\nSteg 2"
    assert plan.version_of("way_forward") == 1
    assert meeting.case.events.filter(action="plan.changed").count() == 1


def test_action_fields_are_parsed_and_saved(client_for, convener, meeting, plan, orgs):
    action = plan.actions.create()
    client = client_for(convener)
    for name, value in [
        ("what", "Arbetsträning"),
        ("due_on", "2031-01-31"),
        ("responsible_organisation", str(orgs["af"].pk)),
        ("responsible_user", str(convener.pk)),
    ]:
        version = action.__class__.objects.get(pk=action.pk).version
        response = autosave(
            client,
            meeting,
            {f"action-{action.pk}-{name}": value, f"version-action-{action.pk}": str(version)},
        )
        assert response.status_code == 200, (name, response.content)
    action.refresh_from_db()
    assert action.what == "Arbetsträning"
    assert action.due_on.isoformat() == "2031-01-31"
    assert action.responsible_organisation == orgs["af"]
    assert action.responsible_user == convener
    assert action.version == 4


def test_bad_input_is_a_400_with_a_swedish_message(client_for, convener, meeting, plan, outsider):
    action = plan.actions.create()
    client = client_for(convener)
    bad_date = autosave(
        client, meeting, {f"action-{action.pk}-due_on": "31/2", f"version-action-{action.pk}": "0"}
    )
    assert bad_date.status_code == 400
    assert "Ange ett giltigt datum" in bad_date.content.decode()
    # Someone not at the meeting cannot be named responsible through a forged request.
    stranger = autosave(
        client,
        meeting,
        {
            f"action-{action.pk}-responsible_user": str(outsider.pk),
            f"version-action-{action.pk}": "0",
        },
    )
    assert stranger.status_code == 400
    too_long = autosave(
        client, meeting, {"follow_up_when": "x" * 201, "version-follow_up_when": "0"}
    )
    assert too_long.status_code == 400
    assert autosave(client, meeting, {}).status_code == 400
    action.refresh_from_db()
    assert action.due_on is None and action.responsible_user is None


def test_a_removed_row_answers_410(client_for, convener, meeting, plan):
    goal = plan.goals.create()
    goal_pk = goal.pk
    goal.delete()
    response = autosave(
        client_for(convener),
        meeting,
        {f"goal-{goal_pk}-text": "Skrivet", f"version-goal-{goal_pk}": "0"},
    )
    assert response.status_code == 410


def test_an_expired_session_gets_401_for_htmx_not_a_redirect(meeting, plan):
    anonymous = Client()
    response = anonymous.post(
        autosave_url(meeting),
        {"current_situation": "Osparad text", "version-current_situation": "0"},
        **HTMX,
    )
    assert response.status_code == 401
    assert "Du har loggats ut – logga in igen i en ny flik" in response.content.decode()
    plan.refresh_from_db()
    assert plan.current_situation == ""
    # Row buttons and the keepalive answer the same way.
    rows = anonymous.post(reverse("plans:rows", args=[meeting.pk]), {"op": "goal_add"}, **HTMX)
    assert rows.status_code == 401
    assert anonymous.get(reverse("keepalive"), **HTMX).status_code == 401
    # Without htmx it is an ordinary page: to the login page.
    plain = anonymous.post(autosave_url(meeting), {"current_situation": "x"})
    assert plain.status_code == 302 and plain["Location"].startswith(reverse("login"))


def test_after_logging_in_again_the_pending_text_is_saved(client, convener, meeting, plan):
    data = {"current_situation": "Skrivet under utloggning", "version-current_situation": "0"}
    assert autosave(client, meeting, data).status_code == 401
    client.force_login(convener)  # in another tab
    assert autosave(client, meeting, data).status_code == 200
    assert ActionPlan.objects.get(pk=plan.pk).current_situation == "Skrivet under utloggning"


def test_autosave_after_a_fresh_login_needs_the_new_csrf_token(convener, meeting, plan):
    """plan.js reads the token from the cookie for each request, since login rotates it."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(convener)
    client.get(reverse("plans:edit", args=[meeting.pk]))
    token = client.cookies["csrftoken"].value
    data = {"current_situation": "Med token", "version-current_situation": "0"}
    assert client.post(autosave_url(meeting), data, **HTMX).status_code == 403
    response = client.post(autosave_url(meeting), data, HTTP_X_CSRFTOKEN=token, **HTMX)
    assert response.status_code == 200


def test_keepalive_touches_the_session(client_for, convener):
    client = client_for(convener)
    before = client.session.get_expiry_date()
    response = client.get(reverse("keepalive"), **HTMX)
    assert response.status_code == 204
    assert client.session.get_expiry_date() >= before
    assert "sessionid" in response.cookies  # the cookie (and its expiry) is sent again
