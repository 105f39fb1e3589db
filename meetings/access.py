from django.shortcuts import get_object_or_404

from cases.access import books_for_owner, check_case_access

from .models import Meeting

# What the meeting and plan pages show of a meeting besides its own columns.
PAGE_RELATED = ("case", "case__area", "convening_organisation", "convened_by", "room", "premeeting")


def get_meeting_for_user(user, pk, related=PAGE_RELATED) -> Meeting:
    """A meeting is as confidential as its ärende: 404 for anyone who can't open the case.

    ``related``: the rows to read with it (the ärende always, for the check); a request
    that shows nothing, like the autosave, reads just the ärende, as each join costs the
    database more planning than reading."""
    meeting = get_object_or_404(Meeting.objects.select_related("case", *related), pk=pk)
    check_case_access(user, meeting.case)
    return meeting


def can_change_meeting(user, meeting: Meeting) -> bool:
    """Reschedule or cancel: the convener and the ärende's owner (the administrator role by
    itself does not: it manages lists and settings, not ärenden)."""
    return user.pk in (meeting.convened_by_id, meeting.case.owner_id)


def can_manage_booking(user, meeting: Meeting) -> bool:
    """Move, cancel, send the kallelse, add and remove participants: who may change the
    meeting, and the coordinator of the ärende's area, who books for its handläggare
    (issue 16). Running the meeting stays with can_change_meeting."""
    return can_change_meeting(user, meeting) or books_for_owner(user, meeting.case)
