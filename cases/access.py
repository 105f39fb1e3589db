"""One way in to an ärende for every view: those not involved get 404, never a hint."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from parties.rules import is_area_coordinator

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


def may_convene(user) -> bool:
    """A handläggare with an organisation to convene for."""
    return bool(
        user.is_authenticated
        and user.is_active
        and can_create_case(user)
        and user.organisation_id is not None
    )


def books_for_owner(user, case: Case) -> bool:
    """A coordinator of the ärende's area who is not its owner books (moves, cancels) on
    behalf of the ärende's handläggare, who stays sammankallande (issue 16)."""
    return user.pk != case.owner_id and is_area_coordinator(user, case.area)


def convener_for(user, case: Case):
    """Who convenes a meeting this user books for this ärende: the user, or the ärende's
    handläggare when a coordinator books for them."""
    return case.owner if books_for_owner(user, case) else user


def may_book_when_open(user, case: Case) -> bool:
    """may_book, but for the state of the ärende."""
    return may_convene(convener_for(user, case))


def may_book(user, case: Case | None = None) -> bool:
    """May this user book a meeting for this ärende: the booking page's gate, and what
    every "Boka …" button on the other pages shows by.

    A handläggare, with an organisation to convene for, and an open ärende; or the
    coordinator of the ärende's area, for its handläggare (who must be one who may
    convene). Without ``case``, the part that holds for every ärende (the dashboard's
    buttons, whose ärenden are open). Lives here rather than in meetings because the
    ärende page shows the button too, and cases may not import meetings."""
    if case is None:
        return may_convene(user)
    return may_book_when_open(user, case) and case.is_open
