from django.shortcuts import get_object_or_404

from cases.access import check_case_access

from .models import Meeting


def get_meeting_for_user(user, pk) -> Meeting:
    """A meeting is as confidential as its ärende: 404 for anyone who can't open the case."""
    meeting = get_object_or_404(
        Meeting.objects.select_related(
            "case", "case__area", "convening_organisation", "convened_by", "room", "premeeting"
        ),
        pk=pk,
    )
    check_case_access(user, meeting.case)
    return meeting


def can_change_meeting(user, meeting: Meeting) -> bool:
    """Reschedule or cancel: the convener, the ärende's owner, administrators."""
    return user.pk in (meeting.convened_by_id, meeting.case.owner_id) or user.is_samverk_admin
