"""Who reaches the area's handlingsplan: every URL of the areaplans namespace, read from the
URL conf (a new URL without a rule here fails), × every kind of user × GET and POST.

The area's coordinators and the administrators keep the plan. The current members of the
area's groups read it (the draft too), and change nothing. Everyone else logged in (a
coordinator of another area, a member of another area's group or a former member, a
handläggare, a user with no role) gets 403 and changes nothing; anonymous users go to the
login. The public page alone answers everyone.
"""

from datetime import date

import pytest
from django.urls import get_resolver, reverse

from areaplans.enums import VersionKind
from areaplans.models import AreaPlan, AreaPlanVersion, PlanActivity, PlanGoal
from areaplans.services.plans import add_activity, add_goal, start_plan
from areaplans.services.versions import save_version
from groups.enums import GroupKind
from groups.models import Group, GroupMember
from tests.factories import OrganisationFactory, UserFactory

PUBLIC = {"areaplans:public"}
# What a current member of one of the area's groups may GET (nothing may be POSTed).
MEMBERS_READ = {
    "areaplans:plan_list",
    "areaplans:plan",
    "areaplans:plan_pdf",
    "areaplans:version",
    "areaplans:version_pdf",
}


def areaplan_patterns():
    for entry in get_resolver().url_patterns:
        if getattr(entry, "namespace", None) == "areaplans":
            for pattern in entry.url_patterns:
                yield f"areaplans:{pattern.name}", set(pattern.pattern.converters)


@pytest.fixture
def world(area, coordinator):
    plan = start_plan(area, 2026)
    goal = add_goal(plan, "Kännedom om samverkan")
    activity = add_activity(goal, text="Lokal samverkansdag")
    save_version(plan, kind=VersionKind.ESTABLISHED, decided_on=date(2026, 3, 1), user=coordinator)
    return {"area": area, "plan": plan, "goal": goal, "activity": activity}


def kwargs_for(name, params, world):
    values = {
        "area_slug": world["area"].slug,
        "year": world["plan"].year,
        "number": 1,
        "goal_pk": world["goal"].pk,
        "pk": world["activity"].pk if "activity" in name else world["goal"].pk,
    }
    unknown = params - set(values)
    assert not unknown, f"{name}: no rule for {unknown}"
    return {param: values[param] for param in params}


def urls(world):
    found = [
        (name, reverse(name, kwargs=kwargs_for(name, params, world)))
        for name, params in areaplan_patterns()
    ]
    assert len(found) >= 12
    return found


def state():
    return (
        list(AreaPlan.objects.values_list("pk", "comment", "year")),
        list(PlanGoal.objects.values_list("pk", "position", "text")),
        list(PlanActivity.objects.values_list("pk", "position", "text")),
        AreaPlanVersion.objects.count(),
    )


def group_member(area, username, **fields):
    user = UserFactory(username=username, is_caseworker=True)
    group = Group.objects.create(area=area, kind=GroupKind.WORKING)
    GroupMember.objects.create(
        group=group, user=user, name=username, organisation=OrganisationFactory(), **fields
    )
    return user


@pytest.fixture
def outsiders(other_area, area, caseworker, no_role_user):
    return {
        "other area's coordinator": UserFactory(
            username="koordinator-tranas", is_caseworker=False, coordinated_areas=[other_area]
        ),
        "member of another area's group": group_member(other_area, "medlem-tranas"),
        "former member": group_member(area, "slutat", left_on=date(2026, 1, 1)),
        "caseworker": caseworker,
        "no role": no_role_user,
    }


@pytest.fixture
def member(area):
    return group_member(area, "medlem-savsjo")


@pytest.mark.parametrize("method", ["get", "post"])
def test_members_of_the_areas_groups_read_and_change_nothing(client, world, member, method):
    client.force_login(member)
    before = state()
    readable = MEMBERS_READ | PUBLIC
    assert readable <= {name for name, _ in urls(world)}
    wrong = []
    for name, url in urls(world):
        response = getattr(client, method)(url)
        if method == "get":
            expected = {200} if name in readable else {403}
        else:
            expected = {405} if name in PUBLIC else {403}
        if response.status_code not in expected:
            wrong.append(f"{method} {name}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert state() == before


def test_a_member_reads_the_draft_without_the_editing_controls(client, world, member):
    client.force_login(member)
    area, plan = world["area"], world["plan"]
    page = client.get(reverse("areaplans:plan", args=[area.slug, plan.year])).content.decode()
    assert "Lokal samverkansdag" in page
    for control in ("Ändra målet", "Lägg till aktivitet", "Lägg till mål", "Spara versionen"):
        assert control not in page
    assert "Du läser planen som medlem" in page
    listing = client.get(reverse("areaplans:plan_list", args=[area.slug])).content.decode()
    assert "Skapa planen" not in listing
    assert "Handlingsplan 2026" in listing


@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_get_403_and_change_nothing(client, world, outsiders, method):
    before = state()
    wrong = []
    for label, user in outsiders.items():
        client.force_login(user)
        for name, url in urls(world):
            response = getattr(client, method)(url)
            expected = {200, 405} if name in PUBLIC else {403}
            if response.status_code not in expected:
                wrong.append(f"{label} {method} {name}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert state() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_users_are_sent_to_the_login(client, world, method):
    before = state()
    for name, url in urls(world):
        response = getattr(client, method)(url)
        if name in PUBLIC:
            assert response.status_code == (200 if method == "get" else 405), name
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse("login")), name
    assert state() == before


@pytest.mark.parametrize("role", ["coordinator", "administrator"])
def test_keepers_reach_every_page(client, world, role, request):
    client.force_login(request.getfixturevalue(role))
    for name, url in urls(world):
        response = client.get(url)
        assert response.status_code in {200, 405}, (name, response.status_code)


def test_the_public_page_leads_readers_of_the_plan_to_it(client, world, member, caseworker):
    area = world["area"]
    plans = reverse("areaplans:plan_list", args=[area.slug])
    public = reverse("areaplans:public", args=[area.slug])
    assert plans not in client.get(public).content.decode()
    client.force_login(caseworker)
    assert plans not in client.get(public).content.decode()
    client.force_login(member)
    assert f'href="{plans}"' in client.get(public).content.decode()
