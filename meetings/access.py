from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from cases.models import Case

from .models import Meeting


def get_meeting_for_user(user, pk) -> Meeting:
    """A meeting is as confidential as its ärende: 404 for anyone who can't open the case."""
    return get_object_or_404(
        Meeting.objects.select_related(
            "case", "case__area", "convening_organisation", "convened_by", "room", "premeeting"
        # EXISTS for this one ärende: `case__in` made the database check every ärende.
        ).filter(Exists(Case.objects.visible_to(user).filter(pk=OuterRef("case_id")))),
        pk=pk,
    )


def can_change_meeting(user, meeting: Meeting) -> bool:
    """Reschedule or cancel: the convener, the ärende's owner, administrators."""
    return user.pk in (meeting.convened_by_id, meeting.case.owner_id) or user.is_samverk_admin
