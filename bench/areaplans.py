"""The area plan's bench pages (issue 18): the coordinator's plan page and the area's public
page with a 12-mål plan, each mål with three aktiviteter, follow-up notes, an uppdrag from
a styrgrupp meeting linked to every aktivitet (each with an owner of the styrgrupp), and a
fastställd version (its page shows the frozen uppdrag). The styrgrupp has eight members of
four parties, half of whom agreed to be named on the public page."""

from datetime import date, timedelta

from django.utils import timezone

from areaplans.enums import VersionKind
from areaplans.models import AreaPlan, PlanActivity, PlanGoal
from areaplans.services.versions import save_version
from groups.enums import GroupKind
from groups.models import Assignment, Group, GroupMeeting, GroupMember
from parties.models import Organisation

PLAN_GOALS, PLAN_ACTIVITIES = 12, 3
PLAN_YEAR = 2026
STYRGRUPP_MEMBERS = 8


def build_area_plan(area, user, *, goals=PLAN_GOALS, activities=PLAN_ACTIVITIES, year=PLAN_YEAR):
    """The area's plan for ``year`` (replaced if there is one), fastställd once."""
    AreaPlan.objects.filter(area=area, year=year).delete()
    plan = AreaPlan.objects.create(area=area, year=year, comment="Styrgruppen reviderade. " * 20)
    group, _ = Group.objects.get_or_create(area=area, kind=GroupKind.STEERING, name="Bench LSG")
    members = list(group.members.all())
    if not members:
        parties = list(Organisation.objects.order_by("pk")[:4])
        members = GroupMember.objects.bulk_create(
            GroupMember(
                group=group,
                name=f"Ledamot {n}",
                organisation=parties[n % len(parties)],
                name_public=n % 2 == 0,
            )
            for n in range(STYRGRUPP_MEMBERS)
        )
    start = timezone.now() - timedelta(days=30)
    meeting = GroupMeeting.objects.create(
        group=group, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    goal_rows = PlanGoal.objects.bulk_create(
        PlanGoal(plan=plan, position=n, text=f"Mål {n}: stabila samverkanssystem " * 3)
        for n in range(1, goals + 1)
    )
    activity_rows = PlanActivity.objects.bulk_create(
        PlanActivity(
            goal=goal,
            position=letter,
            text="Arbetsgruppen planerar och inbjuder till lokal samverkansdag. " * 2,
            how="Alla aktörer utser representanter till arbetsgruppen. " * 2,
            responsible="Arbetsgruppen och samverkanskoordinator",
            when="Fyra ggr per år",
            follow_up="Genomfört under våren, bör finnas kvar nästa år. " * 2,
            is_done=letter == 1,
        )
        for goal in goal_rows
        for letter in range(1, activities + 1)
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(
            meeting=meeting,
            what=f"Uppdrag till aktivitet {i}",
            owner=members[i % len(members)],
            due_on=date(year, 6, 1),
        )
        for i in range(len(activity_rows))
    )
    PlanActivity.assignments.through.objects.bulk_create(
        PlanActivity.assignments.through(planactivity_id=a.pk, assignment_id=u.pk)
        for a, u in zip(activity_rows, assignments, strict=True)
    )
    save_version(plan, kind=VersionKind.ESTABLISHED, decided_on=date(year, 3, 1), user=user)
    return plan
