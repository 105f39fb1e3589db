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
    return user.is_authenticated and (user.is_caseworker or user.is_samverk_admin)
