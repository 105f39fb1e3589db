"""What views ask of the ärende domain."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import personnummer
from .enums import CaseAction, CaseStatus
from .models import Case


@transaction.atomic
def open_case(*, form, user) -> Case:
    """Create an ärende owned by the user.

    Side effects: the owner's party is involved; one CaseEvent."""
    case = form.save(commit=False)
    case.owner = user
    case.save()
    if user.organisation_id:
        case.involved_organisations.add(user.organisation_id)
    case.log(user, CaseAction.CREATED)
    return case


@transaction.atomic
def update_case(*, form, user) -> Case:
    """Save changes; log which fields changed (never their sensitive values).

    Compared with the stored row rather than form.changed_data: the personnummer field
    starts empty on edit, so the form cannot tell a removal or a re-entered same number.
    """
    before = Case.objects.get(pk=form.instance.pk)
    case = form.save()
    changed = sorted(
        name
        for name in form._meta.fields
        if before.serializable_value(name) != case.serializable_value(name)
    )
    if changed:
        case.log(user, CaseAction.CHANGED, fields=changed)
    return case


@transaction.atomic
def close_case(*, case: Case, user, reason: str) -> Case:
    if not case.is_open:
        raise ValidationError(_("Ärendet är redan avslutat."))
    case.status = CaseStatus.CLOSED
    case.closed_on = timezone.localdate()
    case.closed_reason = reason
    case.save(update_fields=["status", "closed_on", "closed_reason", "updated_at"])
    case.log(user, CaseAction.CLOSED)
    return case


@transaction.atomic
def reopen_case(*, case: Case, user) -> Case:
    if case.is_open:
        raise ValidationError(_("Ärendet är redan öppet."))
    case.status = CaseStatus.OPEN
    case.closed_on = None
    case.closed_reason = ""
    case.save(update_fields=["status", "closed_on", "closed_reason", "updated_at"])
    case.log(user, CaseAction.REOPENED)
    return case


def reveal_personnummer(*, case: Case, user) -> str:
    """The one place the full number is shown; every call is logged."""
    case.log(user, CaseAction.PERSONNUMMER_SHOWN)
    return personnummer.formatted(case.personnummer)


def can_manage(user, case: Case) -> bool:
    """Change the ärende itself: its owner, the area's coordinators, administrators."""
    return (
        case.owner_id == user.pk
        or user.is_samverk_admin
        or user.coordinated_areas.filter(pk=case.area_id).exists()
    )
