"""Who may reach a plan."""

from meetings.access import PAGE_RELATED, get_meeting_for_user

from .services.start import get_or_create_plan


def get_plan_for_user(user, meeting_pk, related=PAGE_RELATED):
    """The meeting's plan, created on first use; 404 for anyone who can't open the ärende.
    ``related`` as for get_meeting_for_user."""
    meeting = get_meeting_for_user(user, meeting_pk, related)
    return get_or_create_plan(meeting)
