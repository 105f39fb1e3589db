"""Commitments ("Mina åtaganden"): the actions a user or organisation is tracked for."""

from django.db.models import F, Q, Subquery
from django.db.models.functions import Coalesce

from cases.models import Case

from ..models import Action, ActionPlan
from .start import earlier_plans


def tracked_actions(user):
    """Actions the user may see (their ärende is visible), newest copy of each only."""
    return (
        Action.objects.filter(
            plan__meeting__case__in=Case.objects.visible_to(user),
            carried_over__isnull=True,
        )
        .exclude(what="")
        .select_related(
            "responsible_organisation",
            "responsible_user",
            "plan__meeting__case",
        )
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def commitments_for(user):
    """Mina åtaganden: my organisation's actions and those I am named for."""
    rule = Q(responsible_user=user)
    if user.organisation_id:
        rule |= Q(responsible_organisation_id=user.organisation_id)
    return tracked_actions(user).filter(rule)


def commitments_of_organisation(user, organisation_id: int):
    return tracked_actions(user).filter(responsible_organisation_id=organisation_id)


def previous_plan_actions(meeting) -> list[Action]:
    """The previous plan's actions with their state, for the meeting page.

    The plan is the one :func:`previous_plan_for` picks, found here as a subquery of
    the actions' query: the page reads plan and actions in one round trip.
    """
    plan = Subquery(earlier_plans(meeting).values("pk")[:1])
    if meeting.premeeting_id:
        premeeting_plan = ActionPlan.objects.filter(meeting_id=meeting.premeeting_id)
        plan = Coalesce(plan, Subquery(premeeting_plan.values("pk")[:1]))
    return list(
        Action.objects.filter(plan_id=plan)
        .exclude(what="")
        .select_related("responsible_organisation", "responsible_user")
    )
