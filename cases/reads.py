"""Reads of the individual's data in the ärende's audit trail (DESIGN: data protection).

Every response that shows an individual's name or details writes a row in the same request,
before the response is returned: a single page with ``Case.log`` and its app's "viewed"
action, a list (the dashboard, the case list, the week views, the commitments) with
``log_listed``, one row per ärende it names. Which actions are reads each app says when it
registers them (cases.audit); "Vem har läst ärendet" and the registerutdrag read them back
from here.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, Max, Min, OuterRef
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from parties.models import Organisation, User

from .audit import read_actions
from .enums import CaseAction
from .models import Case, CaseEvent


def log_listed(user, case_ids, *, page: str) -> None:
    """One "shown in a list" row per ärende a list names, in one query (none for none).

    One row per ärende rather than one per list: the ärende's own history, "Vem har läst
    ärendet" and the registerutdrag then find every read of it by its id, indexed."""
    ids = sorted(set(case_ids))
    if not ids:
        return
    now = timezone.now()
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(case_id=pk, user=user, action=CaseAction.LISTED, data={"page": page}, at=now)
            for pk in ids
        ]
    )


def reads_of(case: Case):
    """The ärende's read rows (any app's), newest first."""
    return CaseEvent.objects.filter(case_id=case.pk, action__in=read_actions())


def role_labels(user) -> list[str]:
    """The staff roles a reader holds (now), in plain Swedish. ``user.coordinates_any``
    when annotated, else one query."""
    roles = []
    if user.is_caseworker:
        roles.append(_("handläggare"))
    coordinates = getattr(user, "coordinates_any", None)
    if coordinates is None:
        coordinates = user.coordinated_areas.exists()
    if coordinates:
        roles.append(_("samverkanskoordinator"))
    if user.is_samverk_admin:
        roles.append(_("administratör"))
    return roles


def organisation_name(user) -> str:
    return user.organisation.name if user.organisation_id else _("ingen organisation")


class ReaderLabels:
    """The reader's organisation and roles as the history and the registerutdrag name them."""

    user: User

    @property
    def organisation(self) -> str:
        return organisation_name(self.user)

    @property
    def roles(self) -> str:
        return ", ".join(role_labels(self.user)) or _("ingen roll")


@dataclass
class Reader(ReaderLabels):
    """One person's reads of the ärende in a period."""

    user: User
    first: datetime
    last: datetime
    count: int


def _period(rows, *, organisation=None, start: date | None = None, end: date | None = None):
    if organisation is not None:
        rows = rows.filter(user__organisation=organisation)
    if start is not None:
        rows = rows.filter(at__gte=local_midnight(start))
    if end is not None:
        rows = rows.filter(at__lt=local_midnight(end + timedelta(days=1)))
    return rows


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def readers(case: Case, *, organisation=None, start=None, end=None) -> list[Reader]:
    """Who has read the ärende (in the period, of the organisation): one line per person
    with their first and last read and how many, most recent first. Two queries."""
    rows = _period(reads_of(case), organisation=organisation, start=start, end=end)
    totals = list(
        rows.exclude(user=None)
        .order_by()
        .values("user")
        .annotate(first=Min("at"), last=Max("at"), count=Count("pk"))
    )
    users = _users({row["user"] for row in totals})
    found = [
        Reader(user=users[row["user"]], first=row["first"], last=row["last"], count=row["count"])
        for row in totals
    ]
    return sorted(found, key=lambda r: (r.last, r.user.pk), reverse=True)


@dataclass
class ReadDay(ReaderLabels):
    """The registerutdrag's line: someone read the ärende on a day."""

    day: date
    user: User
    count: int


def read_days(case: Case) -> list[ReadDay]:
    """Every day someone read the ärende, per person, oldest first. Two queries."""
    totals = list(
        reads_of(case)
        .exclude(user=None)
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("day", "user")
        .annotate(count=Count("pk"))
    )
    users = _users({row["user"] for row in totals})
    days = [ReadDay(day=row["day"], user=users[row["user"]], count=row["count"]) for row in totals]
    return sorted(days, key=lambda d: (d.day, d.organisation, d.user.pk))


def _users(ids) -> dict[int, User]:
    if not ids:
        return {}
    any_area = User.coordinated_areas.through.objects.filter(user_id=OuterRef("pk"))
    return {
        user.pk: user
        for user in User.objects.filter(pk__in=ids)
        .select_related("organisation")
        .annotate(coordinates_any=Exists(any_area))
    }


def reader_organisations(case: Case):
    """The organisations of the people who have read the ärende: the filter's choices."""
    ids = reads_of(case).exclude(user__organisation=None).values("user__organisation")
    return Organisation.objects.filter(pk__in=ids).only("pk", "name").order_by("name")
