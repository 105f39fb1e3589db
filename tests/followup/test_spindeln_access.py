"""Who reaches Spindeln's pages, from the URL conf: every followup:spindeln_* URL has a rule
below, or test_every_spindeln_url_has_a_rule fails.

The area's coordinator reaches everything of the area's rounds; a member of the area's
groups sees the results of a closed round (and the list of closed rounds) and nothing of an
open one; another area's coordinator, a handläggare and a user with no role get 403 and
change nothing. The answer page is public: the signed link is the right."""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from followup.models import SurveyInvitation, SurveyResponse, SurveyRound
from followup.services import spindeln
from groups.enums import GroupKind
from groups.models import Group, GroupMember
from tests.factories import UserFactory

GET, POST = "GET", "POST"
# name -> (kwargs from the world, methods): the area's coordinator only (an open round).
COORDINATOR = {
    "followup:spindeln_create": (lambda w: {"area_slug": w.area.slug}, [GET, POST]),
    "followup:spindeln_round": (lambda w: {"pk": w.open.pk}, [GET]),
    "followup:spindeln_remind": (lambda w: {"pk": w.open.pk}, [POST]),
    "followup:spindeln_close": (lambda w: {"pk": w.open.pk}, [POST]),
    "followup:spindeln_export": (lambda w: {"pk": w.open.pk, "file_format": "csv"}, [GET]),
}
# The closed round's results: the coordinator and the members of the area's groups.
MEMBERS = {
    "followup:spindeln_rounds": lambda w: {"area_slug": w.area.slug},
    "followup:spindeln_round": lambda w: {"pk": w.closed.pk},
    "followup:spindeln_export": lambda w: {"pk": w.closed.pk, "file_format": "csv"},
}
PUBLIC = {"followup:spindeln_answer": "the signed link (test_spindeln.py)"}


def spindeln_url_names():
    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
                yield from walk(entry.url_patterns, ns)
            elif (
                isinstance(entry, URLPattern)
                and prefix.startswith("followup:")
                and entry.name.startswith("spindeln_")
            ):
                yield f"{prefix}{entry.name}"

    return list(walk(get_resolver().url_patterns, ""))


def test_every_spindeln_url_has_a_rule():
    names = spindeln_url_names()
    assert len(names) >= 7
    missing = [n for n in names if n not in set(COORDINATOR) | set(MEMBERS) | set(PUBLIC)]
    assert not missing, f"Spindeln URLs without a rule in {__file__}: {missing}"


class World:
    pass


@pytest.fixture
def world(area, coordinator, parties):
    w = World()
    w.area = area
    group = Group.objects.create(area=area, kind=GroupKind.STEERING)
    w.member = UserFactory(username="ledamot", is_caseworker=False)
    for n in range(4):
        GroupMember.objects.create(
            group=group,
            name=f"Ledamot {n}",
            organisation=parties[n % 3],
            email=f"l{n}@savsjo.se",
            user=w.member if n == 0 else None,
        )
    closes = timezone.localdate() + timedelta(days=10)
    w.closed = spindeln.start_round(
        area=area, user=coordinator, title="Stängd", closes_on=closes, groups=[group]
    )
    for link in w.closed.invitations.all():
        spindeln.submit_answer(
            link, values=dict.fromkeys(spindeln.GENERIC_KEYS, 3), comments={"ledning": "Hemlig"}
        )
    spindeln.close_round(w.closed)
    w.open = spindeln.start_round(
        area=area, user=coordinator, title="Öppen", closes_on=closes, groups=[group]
    )
    for link in list(w.open.invitations.all())[:3]:
        spindeln.submit_answer(link, values=dict.fromkeys(spindeln.GENERIC_KEYS, 1), comments={})
    return w


def _cases(table):
    for name, (_kwargs, methods) in table.items():
        for method in methods:
            yield name, method


def _state():
    return (
        list(SurveyRound.objects.order_by("pk").values_list("pk", "closed_at")),
        list(SurveyInvitation.objects.order_by("pk").values_list("pk", "answered", "reminded_at")),
        SurveyResponse.objects.count(),
    )


def _call(client, world, name, method, kwargs):
    url = reverse(name, kwargs=kwargs(world))
    return client.get(url) if method == GET else client.post(url, {})


@pytest.mark.parametrize(("name", "method"), list(_cases(COORDINATOR)))
def test_the_coordinator_reaches_every_url(client_for, coordinator, world, name, method):
    response = _call(client_for(coordinator), world, name, method, COORDINATOR[name][0])
    assert response.status_code not in (403, 404, 500), (name, method)


@pytest.mark.parametrize("who", ["member", "other_coordinator", "caseworker", "no_role"])
@pytest.mark.parametrize(("name", "method"), list(_cases(COORDINATOR)))
def test_others_are_refused_the_coordinators_pages(request, client_for, world, who, name, method):
    user = world.member if who == "member" else request.getfixturevalue(who)
    before = _state()
    response = _call(client_for(user), world, name, method, COORDINATOR[name][0])
    assert response.status_code == 403, (who, name, method)
    assert _state() == before


@pytest.mark.parametrize("name", list(MEMBERS))
def test_members_and_the_coordinator_see_closed_results(client_for, coordinator, world, name):
    for user in (coordinator, world.member):
        response = _call(client_for(user), world, name, GET, MEMBERS[name])
        assert response.status_code == 200, (user, name)


@pytest.mark.parametrize("who", ["other_coordinator", "caseworker", "no_role"])
@pytest.mark.parametrize("name", list(MEMBERS))
def test_other_areas_see_nothing(request, client_for, world, who, name):
    response = _call(client_for(request.getfixturevalue(who)), world, name, GET, MEMBERS[name])
    assert response.status_code == 403, (who, name)
    assert "Hemlig" not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    for name, kwargs in MEMBERS.items():
        assert client.get(reverse(name, kwargs=kwargs(world))).status_code == 302
