"""Avvikelser: reported by staff, handled by the area's coordinator, counted for the
styrgrupp. One rule, one function."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from areaplans.models import PlanActivity
from common.links import absolute
from groups.models import AgendaItem
from outbox.services import queue_templated
from parties.models import Organisation

from ..enums import DeviationCategory, DeviationStatus
from ..models import Deviation, DeviationSummary

MAIL_KIND = "deviation-reported"

# Two or three capitalised words in a row ("Anna Svensson", "Per Erik Ek") look like a
# person's name. Words the parties' names and the report's language use are not names.
_NAME = re.compile(r"\b([A-ZÅÄÖÉ][a-zåäöéü]+)(?:[ \t]+([A-ZÅÄÖÉ][a-zåäöéü]+)){1,2}\b")
NOT_NAMES = {
    "arbetsförmedlingen",
    "försäkringskassan",
    "region",
    "regionen",
    "kommun",
    "kommunen",
    "samverk",
    "höglandet",
    "jönköpings",
    "län",
    "vårdcentral",
    "vårdcentralen",
    "psykiatrin",
    "socialtjänsten",
    "lsg",
    "sip",
}


def possible_names(text: str, *, known: tuple[str, ...] = ()) -> list[str]:
    """What in ``text`` may be a person's name: two or three capitalised words in a row
    that are not the parties' words, and any of ``known`` (the ärende's individual's
    names) as a word."""
    found = []
    for match in _NAME.finditer(text or ""):
        words = match[0].split()
        if not any(word.lower() in NOT_NAMES for word in words):
            found.append(match[0])
    for name in known:
        if name and re.search(rf"\b{re.escape(name)}\b", text or "", re.IGNORECASE):
            found.append(name)
    return found


def coordinators(area):
    """The area's coordinators with an e-mail address."""
    return [user for user in area.coordinators.order_by("pk") if user.email]


@transaction.atomic
def report_deviation(
    *,
    user,
    area,
    occurred_on: date,
    category: str,
    what_happened: str,
    consequence: str,
    parties,
    case=None,
) -> Deviation:
    """Save the avvikelse and tell the area's coordinators by e-mail (no text of it in the
    mail: a link into the app)."""
    if case is not None and case.area_id != area.pk:
        raise ValidationError(_("Ärendet hör till ett annat område."))
    deviation = Deviation.objects.create(
        area=area,
        reported_by=user,
        occurred_on=occurred_on,
        category=category,
        what_happened=what_happened,
        consequence=consequence,
        case=case,
    )
    deviation.parties.set(parties)
    notify_coordinators(deviation)
    return deviation


def notify_coordinators(deviation: Deviation) -> int:
    link = absolute(reverse("followup:deviation_detail", args=[deviation.pk]))
    sent = 0
    for coordinator in coordinators(deviation.area):
        queue_templated(
            MAIL_KIND,
            context={"deviation": deviation, "area": deviation.area, "link": link},
            to_email=coordinator.email,
            to_name=coordinator.get_full_name(),
            related=deviation,
        )
        sent += 1
    return sent


def check_links(deviation: Deviation, *, activity=None, agenda_item=None) -> None:
    """An aktivitet of the area's own handlingsplan, an agenda item of the area's group."""
    errors = {}
    if activity is not None and activity.goal.plan.area_id != deviation.area_id:
        errors["activity"] = _("Aktiviteten hör till ett annat områdes handlingsplan.")
    if agenda_item is not None and agenda_item.meeting.group.area_id != deviation.area_id:
        errors["agenda_item"] = _("Dagordningspunkten hör till ett annat områdes grupp.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def handle_deviation(
    deviation: Deviation, *, status, notes, measures, activity=None, agenda_item=None
) -> Deviation:
    """The coordinator's status, notes, measures and links."""
    check_links(deviation, activity=activity, agenda_item=agenda_item)
    if status != deviation.status:
        deviation.status_changed_at = timezone.now()
    deviation.status = status
    deviation.notes = notes
    deviation.measures = measures
    deviation.activity = activity
    deviation.agenda_item = agenda_item
    deviation.save()
    return deviation


def activities_of(area):
    return (
        PlanActivity.objects.filter(goal__plan__area=area)
        .select_related("goal", "goal__plan")
        .order_by("-goal__plan__year", "goal__position", "position")
    )


def agenda_items_of(area):
    return (
        AgendaItem.objects.filter(meeting__group__area=area)
        .select_related("meeting", "meeting__group")
        .order_by("-meeting__starts_at", "position")
    )


def reported_by(user):
    """The user's own reports, newest first (their status, never the coordinator's notes)."""
    return Deviation.objects.filter(reported_by=user).select_related("area")


def in_period(areas, start: date, end: date):
    """The avvikelser of ``areas`` (None: all) that happened in [start, end]."""
    rows = Deviation.objects.filter(occurred_on__gte=start, occurred_on__lte=end)
    return rows if areas is None else rows.filter(area__in=areas)


def compilation(areas, start: date, end: date) -> dict:
    """Counts per category and per party for the period (occurred_on in [start, end]): no
    texts. {"total", "by_category": [(label, n)], "by_party": [(name, n)],
    "by_status": [(label, n)]}."""
    rows = in_period(areas, start, end)
    labels = dict(DeviationCategory.choices)
    by_category = {
        row["category"]: row["n"]
        for row in rows.values("category").annotate(n=Count("pk")).order_by()
    }
    statuses = dict(DeviationStatus.choices)
    by_status = {
        row["status"]: row["n"] for row in rows.values("status").annotate(n=Count("pk")).order_by()
    }
    party_counts = {
        row["parties"]: row["n"]
        for row in rows.filter(parties__isnull=False)
        .values("parties")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    }
    return {
        "total": rows.count(),
        "by_category": [(labels[k], by_category.get(k, 0)) for k in labels],
        "by_status": [(statuses[k], by_status.get(k, 0)) for k in statuses],
        "by_party": sorted(
            (
                (name, party_counts[pk])
                for pk, name in Organisation.objects.filter(pk__in=party_counts).values_list(
                    "pk", "name"
                )
            ),
            key=lambda item: (-item[1], item[0]),
        ),
    }


def summary_of(area, start: date, end: date) -> DeviationSummary | None:
    """The coordinator's summary of exactly this period (draft or published)."""
    return DeviationSummary.objects.filter(area=area, period_start=start, period_end=end).first()


def published_summaries(areas, start: date, end: date):
    """The published summaries of periods within [start, end] (a year shows its half-years'
    and months' too), for the styrgrupp: the statistics, the compilation, the Årsrapport."""
    rows = (
        DeviationSummary.objects.all()
        if areas is None
        else DeviationSummary.objects.filter(area__in=areas)
    )
    return (
        rows.filter(
            period_start__gte=start,
            period_end__lte=end,
            published_at__isnull=False,
        )
        .select_related("area")
        .order_by("area__name", "period_start", "-period_end")
    )


@transaction.atomic
def save_summary(*, area, start: date, end: date, text: str, publish: bool, user):
    """Write, publish or withdraw the period's summary; an empty text removes it. Saving
    the same twice changes nothing twice (one row per area and period)."""
    text = (text or "").strip()
    if not text:
        DeviationSummary.objects.filter(area=area, period_start=start, period_end=end).delete()
        return None
    summary, _created = DeviationSummary.objects.get_or_create(
        area=area, period_start=start, period_end=end, defaults={"text": text, "written_by": user}
    )
    summary = DeviationSummary.objects.select_for_update().get(pk=summary.pk)
    summary.text = text
    summary.written_by = user
    if publish and summary.published_at is None:
        summary.published_at = timezone.now()
    elif not publish:
        summary.published_at = None
    summary.save()
    return summary
