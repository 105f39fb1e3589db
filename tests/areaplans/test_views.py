"""The coordinator's pages of the area's handlingsplan, and the public page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from areaplans.enums import VersionKind
from areaplans.models import AreaPlan, AreaPlanVersion, PlanActivity
from areaplans.services.plans import add_activity, add_goal, start_plan
from areaplans.services.versions import save_version
from groups.enums import GroupKind, MemberRole
from groups.models import Assignment, Group, GroupMeeting, GroupMember
from tests.factories import OrganisationFactory, UnitFactory

PERSONNUMMER = "19121212-1212"


@pytest.fixture
def plan(area):
    plan = start_plan(area, 2026)
    goal = add_goal(plan, "Kännedom om samverkan")
    add_activity(goal, text="Lokal samverkansdag", when="1-2 ggr per år")
    return plan


def styrgrupp_meeting(area, **fields):
    group = Group.objects.create(area=area, kind=GroupKind.STEERING)
    start = timezone.now() - timedelta(days=3)
    return GroupMeeting.objects.create(
        group=group, starts_at=start, ends_at=start + timedelta(hours=2), **fields
    )


def activity_data(activity, **changes):
    data = {
        "text": activity.text,
        "how": activity.how,
        "responsible": activity.responsible,
        "when": activity.when,
        "follow_up": activity.follow_up,
    }
    data.update(changes)
    return data


def test_new_year_from_the_form(client_for, coordinator, plan, area):
    client = client_for(coordinator)
    response = client.post(reverse("areaplans:plan_list", args=[area.slug]), {"year": "2027"})
    new = AreaPlan.objects.get(area=area, year=2027)
    assert response.status_code == 302
    assert response["Location"] == reverse("areaplans:plan", args=[area.slug, 2027])
    assert new.based_on == plan
    assert new.goals.get().activities.get().text == "Lokal samverkansdag"


@pytest.mark.parametrize(
    ("year", "message"),
    [("2026", "Området har redan en handlingsplan för 2026."), ("27", "Ange ett år från 2000.")],
)
def test_new_year_refused_with_a_message(client_for, coordinator, plan, area, year, message):
    response = client_for(coordinator).post(
        reverse("areaplans:plan_list", args=[area.slug]), {"year": year}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert AreaPlan.objects.filter(area=area).count() == 1


def test_follow_up_saved_and_shown(client_for, coordinator, plan, area):
    activity = PlanActivity.objects.get()
    url = reverse("areaplans:activity_update", args=[area.slug, 2026, activity.pk])
    client = client_for(coordinator)
    response = client.post(url, activity_data(activity, follow_up="Genomfördes i maj."))
    assert response.status_code == 302
    page = client.get(reverse("areaplans:plan", args=[area.slug, 2026])).content.decode()
    assert "Genomfördes i maj." in page


def test_personnummer_refused_nothing_saved(client_for, coordinator, plan, area):
    activity = PlanActivity.objects.get()
    url = reverse("areaplans:activity_update", args=[area.slug, 2026, activity.pk])
    response = client_for(coordinator).post(
        url, activity_data(activity, follow_up=f"Gäller {PERSONNUMMER}", when="Varje månad")
    )
    assert response.status_code == 400
    activity.refresh_from_db()
    assert (activity.follow_up, activity.when) == ("", "1-2 ggr per år")


def test_uppdrag_linked_to_an_activity_show_on_it(client_for, coordinator, plan, area, other_area):
    meeting = styrgrupp_meeting(area)
    member = GroupMember.objects.create(
        group=meeting.group, name="Anna Berg", organisation=OrganisationFactory()
    )
    ours = Assignment.objects.create(
        meeting=meeting, what="Boka lokal för samverkansdagen", owner=member
    )
    theirs = Assignment.objects.create(meeting=styrgrupp_meeting(other_area), what="Annat")
    activity = PlanActivity.objects.get()
    url = reverse("areaplans:activity_update", args=[area.slug, 2026, activity.pk])
    client = client_for(coordinator)

    refused = client.post(url, activity_data(activity, assignments=[theirs.pk]))
    assert refused.status_code == 400
    assert not activity.assignments.exists()

    assert client.post(url, activity_data(activity, assignments=[ours.pk])).status_code == 302
    page = client.get(reverse("areaplans:plan", args=[area.slug, 2026])).content.decode()
    assert "Boka lokal för samverkansdagen – Anna Berg" in page


def test_fastställd_at_the_styrgrupps_meeting(client_for, coordinator, plan, area, other_area):
    meeting = styrgrupp_meeting(area)
    url = reverse("areaplans:version_create", args=[area.slug, 2026])
    client = client_for(coordinator)
    foreign = styrgrupp_meeting(other_area)
    data = {"kind": VersionKind.ESTABLISHED, "decided_on": "2026-03-01", "meeting": foreign.pk}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Välj ett av styrgruppens möten i området." in refused.content.decode()
    assert not AreaPlanVersion.objects.exists()

    assert client.post(url, {**data, "meeting": meeting.pk}).status_code == 302
    version = AreaPlanVersion.objects.get()
    assert (version.number, version.kind, version.meeting) == (1, "established", meeting)
    assert version.decided_on == date(2026, 3, 1)


def test_pdf_download(client_for, coordinator, plan, area):
    save_version(plan, kind=VersionKind.ESTABLISHED, decided_on=date(2026, 3, 1), user=coordinator)
    client = client_for(coordinator)
    for url, name in [
        (reverse("areaplans:plan_pdf", args=[area.slug, 2026]), "savsjo-2026-utkast"),
        (reverse("areaplans:version_pdf", args=[area.slug, 2026, 1]), "savsjo-2026-v1"),
    ]:
        response = client.get(url)
        assert response["Content-Type"] == "application/pdf"
        assert f"handlingsplan-{name}.pdf" in response["Content-Disposition"]
        assert response.content.startswith(b"%PDF")


def test_public_page_shows_the_fastställd_plan_parties_and_way_in(client, plan, area, coordinator):
    region = OrganisationFactory(name="Region Jönköpings län", kind="region")
    UnitFactory(
        organisation=region, area=area, name="Vårdcentralen", way_in="Ring 1177", phone="0380-1"
    )
    group = Group.objects.create(area=area, kind=GroupKind.STEERING)
    GroupMember.objects.create(group=group, name="Anna Berg", organisation=region)
    url = reverse("areaplans:public", args=[area.slug])

    before = client.get(url).content.decode()
    assert "Området har ingen fastställd handlingsplan ännu." in before
    assert "Lokal samverkansdag" not in before  # a draft is never public

    save_version(plan, kind=VersionKind.ESTABLISHED, decided_on=date(2026, 3, 1), user=coordinator)
    activity = PlanActivity.objects.get()
    activity.text = "Ändrat efter fastställandet"
    activity.save()
    page = client.get(url).content.decode()
    assert "Lokal samverkansdag" in page and "Ändrat efter fastställandet" not in page
    assert "Region Jönköpings län" in page
    assert "Anna Berg" not in page
    assert "Ring 1177" in page and "0380-1" in page
    assert page.count("<h1") == 1


def test_public_page_of_an_unknown_area_is_404(client, db):
    assert client.get(reverse("areaplans:public", args=["finns-inte"])).status_code == 404


def test_plan_page_links_are_the_url_confs(client_for, coordinator, plan, area):
    goal = plan.goals.get()
    activity = goal.activities.get()
    page = client_for(coordinator).get(reverse("areaplans:plan", args=[area.slug, 2026]))
    html = page.content.decode()
    for url in (
        reverse("areaplans:goal_update", args=[area.slug, 2026, goal.pk]),
        reverse("areaplans:activity_update", args=[area.slug, 2026, activity.pk]),
        reverse("areaplans:activity_create", args=[area.slug, 2026, goal.pk]),
    ):
        assert f'href="{url}"' in html
    assert "aktivitet 1a" in html and "under mål 1" in html


@pytest.fixture
def three_uppdrag(plan, area):
    """An activity with three uppdrag from a styrgrupp meeting: one done, one late, one on
    its way (dates around today)."""
    meeting = styrgrupp_meeting(area)
    owner = GroupMember.objects.create(
        group=meeting.group, name="Anna Berg", organisation=OrganisationFactory()
    )
    today = timezone.localdate()
    activity = PlanActivity.objects.get()
    activity.assignments.set(
        [
            Assignment.objects.create(
                meeting=meeting, what="Boka lokal", owner=owner, done_on=today
            ),
            Assignment.objects.create(
                meeting=meeting, what="Skicka inbjudan", owner=owner, due_on=today - timedelta(1)
            ),
            Assignment.objects.create(
                meeting=meeting, what="Ta fram program", owner_name="Per Ek", due_on=today
            ),
        ]
    )
    return activity


def test_a_version_freezes_the_uppdrag_with_their_status(
    client_for, coordinator, plan, area, three_uppdrag
):
    version = save_version(
        plan, kind=VersionKind.ESTABLISHED, decided_on=date(2026, 3, 1), user=coordinator
    )
    frozen = version.snapshot["goals"][0]["activities"][0]["assignments"]
    assert sorted((a["what"], a["owner"], a["status"]) for a in frozen) == [
        ("Boka lokal", "Anna Berg", "done"),
        ("Skicka inbjudan", "Anna Berg", "late"),
        ("Ta fram program", "Per Ek", "ongoing"),
    ]
    # Later the late one is done: the version keeps what it said, the plan page says klart.
    Assignment.objects.filter(what="Skicka inbjudan").update(done_on=timezone.localdate())
    client = client_for(coordinator)
    page = client.get(reverse("areaplans:version", args=[area.slug, 2026, 1])).content.decode()
    assert "Skicka inbjudan – Anna Berg" in page
    assert "försenat" in page and "pågår" in page and "klart" in page
    live = client.get(reverse("areaplans:plan", args=[area.slug, 2026])).content.decode()
    assert "Skicka inbjudan – Anna Berg" in live and "försenat" not in live


def test_the_pdf_prints_the_uppdrag_under_the_activity(coordinator, plan, area, three_uppdrag):
    import io

    from pypdf import PdfReader

    from areaplans.services.documents import plan_pdf

    version = save_version(
        plan, kind=VersionKind.ESTABLISHED, decided_on=date(2026, 3, 1), user=coordinator
    )
    for pdf in (plan_pdf(plan), plan_pdf(plan, version)):
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        text = " ".join(text.split())
        assert "Uppdrag från gruppmöten" in text
        assert "Skicka inbjudan – Anna Berg" in text and "(försenat)" in text
        assert "Boka lokal – Anna Berg" in text and "(klart)" in text
        assert "Ta fram program – Per Ek" in text and "(pågår)" in text


def test_the_public_page_leaves_the_uppdrag_out(client, coordinator, plan, area, three_uppdrag):
    save_version(plan, kind=VersionKind.ESTABLISHED, decided_on=date(2026, 3, 1), user=coordinator)
    page = client.get(reverse("areaplans:public", args=[area.slug])).content.decode()
    assert "Lokal samverkansdag" in page
    assert "Skicka inbjudan" not in page and "Anna Berg" not in page


def test_the_public_page_names_only_the_members_who_agreed(client, client_for, coordinator, area):
    from groups.forms import MemberForm
    from tests.factories import SamverkAreaFactory

    region = OrganisationFactory(name="Region Jönköpings län")
    kommun = OrganisationFactory(name="Sävsjö kommun")
    group = Group.objects.create(area=area, kind=GroupKind.STEERING)
    url = reverse("areaplans:public", args=[area.slug])

    # The coordinator sets the consent on the member's form (groups), default no.
    keeper = client_for(coordinator)
    form = MemberForm(group=group)
    assert "Samtycker till att synas på områdets offentliga sida" in str(form)
    assert form["name_public"].initial is not True
    for name, party, consent in [("Anna Berg", region, True), ("Per Ek", kommun, False)]:
        data = {"name": name, "organisation": party.pk, "role": MemberRole.MEMBER}
        if consent:
            data["name_public"] = "on"
        response = keeper.post(reverse("groups:member_add", args=[group.pk]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
    assert GroupMember.objects.get(name="Per Ek").name_public is False
    # One who agreed but has left, and one of another area's group who agreed: not named.
    GroupMember.objects.create(
        group=group,
        name="Lena Slutat",
        organisation=kommun,
        name_public=True,
        left_on=timezone.localdate() - timedelta(days=1),
    )
    tranas = SamverkAreaFactory(municipality="Tranås", slug="tranas")
    other = Group.objects.create(area=tranas, kind=GroupKind.STEERING)
    GroupMember.objects.create(
        group=other, name="Olle Annan", organisation=kommun, name_public=True
    )

    client.logout()
    page = client.get(url).content.decode()
    assert "Region Jönköpings län" in page and "Sävsjö kommun" in page
    assert "Anna Berg – Styrgrupp (LSG)" in page
    for hidden in ("Per Ek", "Lena Slutat", "Olle Annan"):
        assert hidden not in page
