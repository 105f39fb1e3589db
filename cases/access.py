"""One way in to an ärende for every view: those not involved get 404, never a hint."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Case


def get_case_for_user(user, pk) -> Case:
    case = get_object_or_404(Case.objects.select_related("area", "owner"), pk=pk)
    check_case_access(user, case)
    return case


def check_case_access(user, case: Case) -> None:
    """404, the same as for an ärende that does not exist, for anyone who may not open it."""
    if not case.is_visible_to(user):
        raise Http404


def can_create_case(user) -> bool:
    """A handläggare. Not the administrator role by itself: an ärende is opened only to
    those with a staff role (Case.is_visible_to), so its creator could not open it."""
    return user.is_authenticated and user.is_caseworker


def may_book(user, case: Case | None = None) -> bool:
    """May this user book a meeting for this ärende: the booking page's gate, and what
    every "Boka …" button on the other pages shows by.

    A handläggare, with an organisation to convene for, and an open
    ärende. Without ``case``, the part that holds for every ärende (the dashboard's
    buttons, whose ärenden are open). Lives here rather than in meetings because the
    ärende page shows the button too, and cases may not import meetings."""
    if not (can_create_case(user) and user.organisation_id is not None):
        return False
    return case is None or case.is_open
