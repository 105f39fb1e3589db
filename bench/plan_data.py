"""The bench's handlingsplaner in bulk (20,000 for ``bench --http``; the statistics
scenarios count them too): built apart from bench.load so that bench.scenarios can use
them without importing the load bench that imports it."""

import json
import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Case
from meetings.enums import MeetingStatus
from meetings.models import Meeting
from plans.models import TEXT_FIELDS, Action, ActionPlan, Goal, PlanVersion

from . import dataset

PLANS = 20000
# Every text field of a built plan has been saved this many times; the autosave
# load posts the next version of each field, so it saves rather than conflicts.
FIELD_VERSION = 2
AUTOSAVE_MEETINGS = 40  # x 10 fields: the slots the autosave load writes in turn


class LoadBenchError(Exception):
    """Something the bench needs is missing or broke; the message says what."""


SITUATIONS = [
    "Har varit sjukskriven i två år och vill tillbaka till arbete.",
    "Försörjningsstöd sedan ett år; har svårt att ta sig hemifrån.",
    "Studerar på komvux men behöver stöd för att klara studierna.",
]
GOALS = ["Komma ut i arbetsträning", "Stabil ekonomi", "Regelbunden kontakt med vården"]
SUBGOALS = ["Två dagar i veckan till sommaren", "Budget gjord med budgetrådgivare"]
ACTIONS = [
    "Boka möte med arbetsterapeut",
    "Ansöka om aktivitetsersättning",
    "Kartlägga arbetsförmåga",
    "Följa upp medicinering",
    "Hitta praktikplats",
]


@dataclass
class PlanData:
    plans: int
    goals: int
    actions: int
    versions: int
    # The measured meeting's plan: the page, the PDF.
    measured_meeting_id: int
    # Meetings whose plans the autosave load writes (the measured user's).
    autosave_meeting_ids: list[int] = field(default_factory=list)
    # Two more plans the load never touches: the query count and the HTTP check.
    spare_meeting_ids: list[int] = field(default_factory=list)


def build_plans(data: dataset.BenchData, count: int = PLANS, *, seed: int = 2) -> PlanData:
    """``count`` plans (goals, actions, a fastställd version for past meetings), the
    measured user's meetings first, each linked to its ärende's previous plan.

    The measured meeting's plan is bigger: 12 actions, five goals, two versions.
    """
    rnd = random.Random(seed)  # noqa: S311 - repeatable invented data
    now = timezone.now()
    measured_id = data.measured_meeting.pk
    owned_cases = set(Case.objects.filter(owner=data.user).values_list("pk", flat=True))
    rows = list(
        Meeting.objects.values_list("pk", "case_id", "starts_at", "convened_by_id", "status")
    )
    mine = [r for r in rows if r[1] in owned_cases]
    rest = [r for r in rows if r[1] not in owned_cases]
    chosen = mine[:count] + rnd.sample(rest, max(0, min(len(rest), count - len(mine))))
    chosen.sort(key=lambda r: (r[1], r[2], r[0]))
    org_ids = [o.pk for o in data.organisations.values()]

    first_plan = (ActionPlan.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    first_goal = (Goal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    versions_json = json.dumps(dict.fromkeys(TEXT_FIELDS, FIELD_VERSION))
    plans, goals, actions, versions = [], [], [], []
    previous_in_case: dict[int, int] = {}
    for meeting_id, case_id, starts_at, convener_id, status in chosen:
        plan_id = first_plan + len(plans)
        big = meeting_id == measured_id
        situation = rnd.choice(SITUATIONS)
        plans.append(
            {
                "id": plan_id,
                "meeting_id": meeting_id,
                "previous_id": previous_in_case.get(case_id),
                "current_situation": situation,
                "desired_situation": "Ett arbete på halvtid och egen försörjning.",
                "way_forward": "Stegvis: arbetsträning, sedan praktik med stöd.",
                "follow_up_who": "Den enskilde, handläggare från kommun och AF",
                "follow_up_where": "Kommunhuset",
                "follow_up_when": "Om tre månader",
                "follow_up_responsible": "Kommunen",
                "coordinator_name": "Bänk Koordinator",
                "coordinator_contact": "0382-150 00",
                "individual_words": "Jag vill kunna försörja mig själv.",
                "field_versions": versions_json,
                "revision": FIELD_VERSION * len(TEXT_FIELDS),
                "updated_at": min(starts_at + timedelta(hours=1), now),
            }
        )
        previous_in_case[case_id] = plan_id
        goal_texts = GOALS + GOALS[:2] if big else GOALS[:2]
        tops = []
        for position, text in enumerate(goal_texts):
            goal_id = first_goal + len(goals)
            tops.append(goal_id)
            goals.append(
                {
                    "id": goal_id,
                    "plan_id": plan_id,
                    "parent_id": None,
                    "text": text,
                    "position": position,
                }
            )
        for position, text in enumerate(SUBGOALS if big else SUBGOALS[:1]):
            goals.append(
                {
                    "id": first_goal + len(goals),
                    "plan_id": plan_id,
                    "parent_id": tops[0],
                    "text": text,
                    "position": position,
                }
            )
        past = starts_at < now
        for position in range(12 if big else 4):
            due = (starts_at + timedelta(days=30 + 14 * position)).date()
            actions.append(
                {
                    "plan_id": plan_id,
                    "what": ACTIONS[position % len(ACTIONS)],
                    "due_on": due,
                    "done_on": due if past and due < now.date() and rnd.random() < 0.5 else None,
                    "responsible_organisation_id": rnd.choice(org_ids),
                    "responsible_name": "",
                    "position": position,
                }
            )
        if (past and status != MeetingStatus.CANCELLED) or big:
            for number in range(1, 3 if big else 2):
                frozen_at = min(starts_at + timedelta(hours=number), now)
                versions.append(
                    {
                        "plan_id": plan_id,
                        "number": number,
                        "snapshot": _snapshot(situation, goal_texts, plans[-1]),
                        "frozen_at": frozen_at,
                        "frozen_by_id": convener_id,
                    }
                )
    with transaction.atomic():
        dataset._insert_rows(ActionPlan, plans)
        dataset._insert_rows(Goal, goals, version=0)
        dataset._insert_rows(Action, actions, version=0)
        dataset._insert_rows(PlanVersion, versions)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [ActionPlan, Goal]):
                    cursor.execute(sql)
    # As autovacuum leaves a production PostgreSQL database: statistics, and visibility
    # maps so that index-only scans need not visit the freshly loaded heap (VACUUM cannot
    # run in a transaction, as under a test). SQLite gathers statistics only when told.
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")

    # Plans of meetings the measured user can open (not the measured one) take the
    # autosave load; two more are kept aside for the query count and the check.
    ids = list(
        Meeting.objects.filter(
            case__in=Case.objects.visible_to(data.user),
            pk__in=[r[0] for r in chosen],
        )
        .exclude(pk=measured_id)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("pk")
        .values_list("pk", flat=True)[: AUTOSAVE_MEETINGS + 2]
    )
    if len(ids) < 3:
        raise LoadBenchError("För få handlingsplaner för autosave-lasten: öka --plans.")
    return PlanData(
        plans=len(plans),
        goals=len(goals),
        actions=len(actions),
        versions=len(versions),
        measured_meeting_id=measured_id,
        autosave_meeting_ids=ids[:-2],
        spare_meeting_ids=ids[-2:],
    )


def _snapshot(situation, goal_texts, plan) -> str:
    return json.dumps(
        {
            "individual": "",
            "meeting": {"kind": "Samverkansmöte", "starts_at": "", "place": "Kommunhuset"},
            "fields": {
                name: (plan[name] if name != "current_situation" else situation)
                for name in TEXT_FIELDS
            },
            "goals": [{"text": text, "subgoals": []} for text in goal_texts],
            "actions": [],
            "attendance": [],
        },
        ensure_ascii=False,
    )
