"""Versions of the area's handlingsplan: a frozen snapshot each time the styrgrupp
fastställer the plan or it is revised (with that revision's follow-up notes)."""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ..enums import VersionKind
from ..models import AreaPlan, AreaPlanVersion, letter_for
from .plans import plan_with_rows

# An uppdrag's status as the plan shows it (klart / pågår / försenat), frozen in a version.
DONE, ONGOING, LATE = "done", "ongoing", "late"


def assignment_status(assignment, today: date | None = None) -> str:
    """Klart when done; försenat when its date has passed without; else pågår."""
    if assignment.done_on:
        return DONE
    today = today or timezone.localdate()
    if assignment.due_on and assignment.due_on < today:
        return LATE
    return ONGOING


def _assignment_data(assignment, today: date) -> dict:
    return {
        "what": assignment.what,
        "owner": assignment.owner_display,
        "due_on": assignment.due_on.isoformat() if assignment.due_on else "",
        "done_on": assignment.done_on.isoformat() if assignment.done_on else "",
        "status": assignment_status(assignment, today),
    }


def for_display(snapshot: dict) -> dict:
    """A snapshot with its uppdrag's dates as dates (JSON keeps them as text), for the
    templates' Swedish dates. Snapshots saved before uppdrag were frozen have none."""
    goals = []
    for goal in snapshot.get("goals", []):
        activities = []
        for activity in goal.get("activities", []):
            assignments = [
                {
                    **item,
                    "due_on": date.fromisoformat(item["due_on"]) if item.get("due_on") else None,
                    "done_on": (
                        date.fromisoformat(item["done_on"]) if item.get("done_on") else None
                    ),
                }
                for item in activity.get("assignments", [])
            ]
            activities.append({**activity, "assignments": assignments})
        goals.append({**goal, "activities": activities})
    return {**snapshot, "goals": goals}


def snapshot_of(plan: AreaPlan) -> dict:
    """Everything the plan says, as plain data (what the PDF and the public page show):
    with each aktivitet's uppdrag from the group meetings and their status on the day."""
    plan = plan_with_rows(AreaPlan.objects.filter(pk=plan.pk)).get()
    today = timezone.localdate()
    return {
        "area": plan.area.name,
        "year": plan.year,
        "comment": plan.comment,
        "goals": [
            {
                "number": goal.position,
                "text": goal.text,
                "activities": [
                    {
                        "letter": letter_for(activity.position),
                        "text": activity.text,
                        "how": activity.how,
                        "responsible": activity.responsible,
                        "when": activity.when,
                        "follow_up": activity.follow_up,
                        "is_done": activity.is_done,
                        "assignments": [
                            _assignment_data(assignment, today)
                            for assignment in activity.assignments.all()
                        ],
                    }
                    for activity in goal.activities.all()
                ],
            }
            for goal in plan.goals.all()
        ],
    }


def save_version(plan: AreaPlan, *, kind: str, decided_on, user, meeting=None) -> AreaPlanVersion:
    """Freeze the plan as it is now. ``kind`` is VersionKind: fastställd by the styrgrupp
    or a revision (the follow-up notes of that revision); ``meeting`` the styrgrupp's
    GroupMeeting where it was decided (of the plan's area)."""
    if kind not in VersionKind.values:
        raise ValueError(kind)
    if meeting is not None and meeting.group.area_id != plan.area_id:
        raise ValueError("meeting of another area")
    with transaction.atomic():
        AreaPlan.objects.select_for_update().get(pk=plan.pk)
        number = (plan.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        return AreaPlanVersion.objects.create(
            plan=plan,
            number=number,
            kind=kind,
            decided_on=decided_on,
            snapshot=snapshot_of(plan),
            created_by=user,
            meeting=meeting,
        )


def current_version(area) -> AreaPlanVersion | None:
    """What the public page shows: of the latest year whose plan the styrgrupp has
    fastställt, its latest version (a later revision included). Drafts never."""
    established = AreaPlanVersion.objects.filter(
        plan__area=area, kind=VersionKind.ESTABLISHED
    ).aggregate(year=Max("plan__year"))["year"]
    if established is None:
        return None
    return (
        AreaPlanVersion.objects.filter(plan__area=area, plan__year=established)
        .select_related("plan")
        .order_by("-number")
        .first()
    )
