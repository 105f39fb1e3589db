"""Finding and starting a plan: the meeting's plan, the previous one, what carries over."""

from django.db import IntegrityError, transaction

from ..models import Action, ActionPlan, Goal


def earlier_plans(meeting):
    """Plans of the ärende's earlier meetings, the most recent first."""
    return (
        ActionPlan.objects.filter(
            meeting__case_id=meeting.case_id, meeting__starts_at__lt=meeting.starts_at
        )
        .exclude(meeting_id=meeting.pk)
        .order_by("-meeting__starts_at")
    )


def previous_plan_for(meeting) -> ActionPlan | None:
    """The plan of the most recent earlier meeting of the same ärende, else the förmöte's."""
    earlier = earlier_plans(meeting).first()
    if earlier is None and meeting.premeeting_id:
        earlier = ActionPlan.objects.filter(meeting_id=meeting.premeeting_id).first()
    return earlier


def get_or_create_plan(meeting) -> ActionPlan:
    """The meeting's plan; a new one starts from the previous plan (carry_over)."""
    plan = ActionPlan.objects.filter(meeting=meeting).first()
    if plan is None:
        try:
            with transaction.atomic():
                previous = previous_plan_for(meeting)
                plan = ActionPlan.objects.create(meeting=meeting, previous=previous)
                if previous is not None:
                    carry_over(plan=plan, previous=previous)
        except IntegrityError:
            # Two people opened the new plan at once: the other one created it.
            plan = ActionPlan.objects.get(meeting=meeting)
    plan.meeting = meeting
    return plan


def carry_over(*, plan: ActionPlan, previous: ActionPlan):
    """A follow-up plan starts with the previous plan's goals and open actions, each
    linked to its origin, and the same samordningsansvarig. Done actions stay in the
    previous plan and are shown as done from there."""
    plan.coordinator_name = previous.coordinator_name
    plan.coordinator_contact = previous.coordinator_contact
    plan.save(update_fields=["coordinator_name", "coordinator_contact"])
    old_goals = list(previous.goals.all())
    tops = [g for g in old_goals if g.parent_id is None]
    new_tops = Goal.objects.bulk_create(
        [Goal(plan=plan, text=g.text, position=g.position, origin=g) for g in tops]
    )
    parent_for = {old.pk: new for old, new in zip(tops, new_tops, strict=True)}
    Goal.objects.bulk_create(
        [
            Goal(
                plan=plan,
                parent=parent_for[g.parent_id],
                text=g.text,
                position=g.position,
                origin=g,
            )
            for g in old_goals
            if g.parent_id in parent_for
        ]
    )
    Action.objects.bulk_create(
        [
            Action(
                plan=plan,
                what=a.what,
                due_on=a.due_on,
                responsible_organisation_id=a.responsible_organisation_id,
                responsible_user_id=a.responsible_user_id,
                responsible_participant_id=a.responsible_participant_id,
                responsible_name=a.responsible_name,
                position=a.position,
                origin=a,
            )
            for a in previous.actions.filter(done_on__isnull=True)
        ]
    )
