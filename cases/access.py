"""One way in to an ärende for every view: those not involved get 404, never a hint."""

from django.shortcuts import get_object_or_404

from .models import Case


def get_case_for_user(user, pk) -> Case:
    return get_object_or_404(Case.objects.visible_to(user).select_related("area", "owner"), pk=pk)


def can_create_case(user) -> bool:
    return user.is_authenticated and (user.is_caseworker or user.is_samverk_admin)
