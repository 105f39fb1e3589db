"""A plan is as confidential as its ärende: every plan URL × every role."""

import pytest
from django.urls import get_resolver, reverse

from plans.services.versions import freeze_plan
from tests.factories import UserFactory

from .helpers import HTMX

# name -> the methods it answers
PLAN_URLS = {
    "plans:edit": ["get", "post"],
    "plans:autosave": ["post"],
    "plans:rows": ["post"],
    "plans:changes": ["get"],
    "plans:section": ["get"],
    "plans:freeze": ["post"],
    "plans:versions": ["get"],
    "plans:version": ["get"],
    "plans:sign": ["post"],
    "plans:pdf": ["get"],
    "plans:letter": ["get"],
    "plans:distribution": ["get"],
    "plans:distribute": ["post"],
}
# Not tied to one ärende: tested in test_commitments.py and test_autosave.py.
GLOBAL_URLS = {"plans:commitments", "plans:action_done"}


def url_for(name, meeting):
    kwargs = {"meeting_pk": meeting.pk}
    if name in ("plans:version", "plans:sign"):
        kwargs["number"] = 1
    return reverse(name, kwargs=kwargs)


def test_every_plan_url_is_covered_here():
    resolvers = [r for r in get_resolver().url_patterns if getattr(r, "namespace", "") == "plans"]
    names = {f"plans:{pattern.name}" for r in resolvers for pattern in r.url_patterns}
    assert names == set(PLAN_URLS) | GLOBAL_URLS


@pytest.fixture
def frozen(plan, convener):
    plan.current_situation = "Alva Andersson vill arbeta"
    plan.save()
    plan.actions.create(what="Kartläggning")
    freeze_plan(plan=plan, user=convener)
    return plan


@pytest.mark.parametrize(
    "who", ["fk_caseworker", "af_colleague", "other_coordinator", "no_role", "administrator"]
)
def test_outsiders_get_404_and_nothing_of_the_arende(client, meeting, frozen, orgs, who, request):
    if who == "fk_caseworker":
        user = UserFactory(organisation=orgs["fk"], is_caseworker=True)
    elif who == "af_colleague":
        # Of the party involved in the ärende, in none of its meetings: opens nothing.
        user = UserFactory(organisation=orgs["af"], is_caseworker=True)
    elif who == "administrator":
        user = request.getfixturevalue("administrator")
    elif who == "other_coordinator":
        user = UserFactory(
            is_caseworker=False, coordinated_areas=[request.getfixturevalue("other_area")]
        )
    else:
        user = request.getfixturevalue("no_role_user")
    client.force_login(user)
    before = frozen.versions.count(), frozen.goals.count(), frozen.actions.count()
    for name, methods in PLAN_URLS.items():
        url = url_for(name, meeting)
        for method in methods:
            for headers in ({}, HTMX):
                response = getattr(client, method)(
                    url,
                    {
                        "op": "goal_add",
                        "current_situation": "x",
                        "version-current_situation": "9",
                        "role": "staff",
                        "method": "app",
                        "name": "X",
                    }
                    if method == "post"
                    else None,
                    **headers,
                )
                assert response.status_code == 404, (who, name, method, response.status_code)
                body = response.content.decode()
                assert "Andersson" not in body and "Kartläggning" not in body
    frozen.refresh_from_db()
    assert frozen.current_situation == "Alva Andersson vill arbeta"
    assert (frozen.versions.count(), frozen.goals.count(), frozen.actions.count()) == before
    assert not meeting.case.events.filter(user=user).exists()


@pytest.mark.parametrize("who", ["owner", "coordinator", "involved"])
def test_those_involved_may_open_and_edit(client, meeting, frozen, af_user, who, request):
    """The owner, the area's coordinator, a participant of another party (af_user); not an
    administrator by that role alone (test_outsiders_get_404_and_nothing_of_the_arende)."""
    user = {"owner": meeting.case.owner, "involved": af_user}.get(who) or request.getfixturevalue(
        who
    )
    client.force_login(user)
    for name, methods in PLAN_URLS.items():
        if "get" in methods:
            assert client.get(url_for(name, meeting)).status_code == 200, (who, name)
    response = client.post(
        url_for("plans:autosave", meeting),
        {"way_forward": f"Skrivet av {who}", "version-way_forward": "0"},
        **HTMX,
    )
    assert response.status_code == 200


def test_anonymous_is_sent_to_login(client, meeting, frozen):
    for name, methods in PLAN_URLS.items():
        for method in methods:
            response = getattr(client, method)(url_for(name, meeting))
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("login"))
