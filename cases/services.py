"""What views ask of the ärende domain."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from parties.models import User

from . import personnummer
from .enums import CaseAction, CaseStatus
from .models import Case, CaseAccessGrant, CaseParticipation


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
    """Change the ärende itself, share it and see who has access: its owner and the area's
    coordinators (the administrator role alone does not: it manages lists and settings).
    Only asked of someone who may open the ärende."""
    return case.owner_id == user.pk or user.coordinated_areas.filter(pk=case.area_id).exists()


# --- who takes part: kept by meetings ------------------------------------------------


@transaction.atomic
def set_participations(*, case: Case, until_by_user: dict[int, tuple]) -> None:
    """Make the ärende's CaseParticipation rows exactly ``until_by_user``:
    {user id: (until, meeting id)}. Called by meetings (sync_participation), which knows
    who takes part; a few queries whatever the size. Not logged: it follows changes to
    meetings that are logged themselves."""
    rows = {
        row.user_id: row for row in CaseParticipation.objects.select_for_update().filter(case=case)
    }
    gone = [row.pk for user_id, row in rows.items() if user_id not in until_by_user]
    if gone:
        CaseParticipation.objects.filter(pk__in=gone).delete()
    changed, new = [], []
    for user_id, (until, meeting_id) in until_by_user.items():
        row = rows.get(user_id)
        if row is None:
            new.append(
                CaseParticipation(case=case, user_id=user_id, until=until, meeting_ref=meeting_id)
            )
        elif (row.until, row.meeting_ref) != (until, meeting_id):
            row.until, row.meeting_ref = until, meeting_id
            changed.append(row)
    if new:
        CaseParticipation.objects.bulk_create(new)
    if changed:
        CaseParticipation.objects.bulk_update(changed, ["until", "meeting_ref"])


@transaction.atomic
def set_all_participations(until_by_case: dict[int, dict[int, tuple]]) -> int:
    """Replace every CaseParticipation row: {ärende id: {user id: (until, meeting id)}}.
    Returns the number of rows."""
    CaseParticipation.objects.all().delete()
    rows = [
        CaseParticipation(case_id=case_id, user_id=user_id, until=until, meeting_ref=meeting_id)
        for case_id, people in until_by_case.items()
        for user_id, (until, meeting_id) in people.items()
    ]
    CaseParticipation.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


# --- "Dela med kollega" ----------------------------------------------------------------


def colleagues(user):
    """Whom the user may share an ärende with: active staff (a handläggare or a
    coordinator) of the user's own organisation, not the user."""
    if not user.organisation_id:
        return User.objects.none()
    staff = Q(is_caseworker=True) | Q(coordinated_areas__isnull=False)
    return (
        User.objects.filter(staff, organisation_id=user.organisation_id, is_active=True)
        .exclude(pk=user.pk)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@transaction.atomic
def grant_access(
    *, case: Case, user, colleague, reason: str, ends_on: date | None = None
) -> CaseAccessGrant:
    """Open the ärende to a named colleague, with a reason, until ``ends_on`` (the last
    day) or until withdrawn. Logged with the reason and the end: the history shows them."""
    reason = reason.strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Ange varför kollegan behöver ärendet.")
    if ends_on is not None and ends_on < timezone.localdate():
        errors["ends_on"] = _("Slutdatumet har redan varit.")
    if not colleagues(user).filter(pk=colleague.pk).exists():
        errors["colleague"] = _("Välj en kollega i din organisation.")
    if errors:
        raise ValidationError(errors)
    grant = CaseAccessGrant.objects.create(
        case=case, user=colleague, granted_by=user, reason=reason, ends_on=ends_on
    )
    case.log(
        user,
        CaseAction.ACCESS_GRANTED,
        grant=grant.pk,
        colleague=colleague.pk,
        colleague_name=str(colleague),
        reason=reason,
        ends_on=ends_on.isoformat() if ends_on else None,
    )
    return grant


@transaction.atomic
def withdraw_access(*, grant: CaseAccessGrant, user) -> CaseAccessGrant:
    """End a grant now; the row stays, as history. Withdrawing twice changes nothing."""
    grant = CaseAccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.withdrawn_at is not None:
        return grant
    grant.withdrawn_at = timezone.now()
    grant.withdrawn_by = user
    grant.save(update_fields=["withdrawn_at", "withdrawn_by"])
    grant.case.log(
        user,
        CaseAction.ACCESS_WITHDRAWN,
        grant=grant.pk,
        colleague=grant.user_id,
        colleague_name=str(grant.user),
    )
    return grant


# --- "Vem har åtkomst" -----------------------------------------------------------------


@dataclass
class Reason:
    kind: str  # "owner", "coordinator", "participant", "grant"
    text: str
    until: date | None = None
    meeting_id: int | None = None
    grant: CaseAccessGrant | None = None
    url: str = ""


@dataclass
class Access:
    user: object
    reasons: list[Reason] = field(default_factory=list)

    @property
    def roles(self) -> list[str]:
        roles = []
        if self.user.is_caseworker:
            roles.append(_("handläggare"))
        if getattr(self.user, "coordinates_any", False):
            roles.append(_("samverkanskoordinator"))
        return roles


def people_with_access(case: Case, *, meeting_labels: dict[int, str] | None = None) -> list[Access]:
    """Everyone who may open the ärende now, and why: the same rule as
    ``Case.is_visible_to``, read for all users at once (four queries).
    ``meeting_labels``: {meeting id: what to call it}, from the caller, as cases does not
    know meetings."""
    now, today = timezone.now(), timezone.localdate()
    meeting_labels = meeting_labels or {}
    coordinators = set(
        User.coordinated_areas.through.objects.filter(samverkarea_id=case.area_id).values_list(
            "user_id", flat=True
        )
    )
    participations = list(CaseParticipation.objects.filter(case=case, until__gte=now))
    grants = list(
        CaseAccessGrant.objects.active(today)
        .filter(case=case)
        .select_related("granted_by")
        .order_by("granted_at", "pk")
    )
    ids = {case.owner_id, *coordinators}
    ids |= {p.user_id for p in participations} | {g.user_id for g in grants}
    any_area = User.coordinated_areas.through.objects.filter(user_id=OuterRef("pk"))
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=ids)
        .annotate(coordinates_any=Exists(any_area))
        .select_related("organisation", "unit")
    }
    found: dict[int, Access] = {}

    def add(user_id, reason):
        user = users.get(user_id)
        # No staff role, no access (Case.is_visible_to), whatever the reason.
        if user is None or not (user.is_caseworker or user.coordinates_any):
            return
        found.setdefault(user_id, Access(user=user)).reasons.append(reason)

    add(case.owner_id, Reason("owner", _("Ägare (ansvarig handläggare)")))
    for user_id in sorted(coordinators):
        add(user_id, Reason("coordinator", _("Samverkanskoordinator för området")))
    for p in participations:
        label = meeting_labels.get(p.meeting_ref) or _("ett möte")
        until = timezone.localdate(p.until)
        add(
            p.user_id,
            Reason(
                "participant",
                _("Deltagare i %(meeting)s") % {"meeting": label},
                until=until,
                meeting_id=p.meeting_ref,
            ),
        )
    for g in grants:
        add(
            g.user_id,
            Reason(
                "grant",
                _("Delad av %(name)s: %(reason)s") % {"name": g.granted_by, "reason": g.reason},
                until=g.ends_on,
                grant=g,
            ),
        )
    return sorted(
        found.values(),
        key=lambda a: (str(a.user.organisation or ""), str(a.user).casefold(), a.user.pk),
    )
