from django import template
from django.utils import timezone

from plans.services.commitments import previous_plan_actions as previous_actions_of

register = template.Library()


@register.inclusion_tag("plans/_previous_actions.html")
def previous_plan_actions(meeting):
    """The meeting page's box: the previous plan's actions and their state."""
    today = timezone.localdate()
    actions = previous_actions_of(meeting)
    for action in actions:
        action.overdue = action.is_overdue(today)
    return {"meeting": meeting, "previous_actions": actions}
