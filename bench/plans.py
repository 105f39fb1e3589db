"""Plan figures for the bench: autosave latency and the plan page's query count.

Runs on whatever database is connected; tests call these inside pytest's database.
"""

import statistics
import time
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from meetings.models import Meeting
from parties.models import Organisation, SamverkArea, User
from plans.services.start import get_or_create_plan
from plans.services.versions import freeze_plan

HTMX = {"HTTP_HX_REQUEST": "true"}


def build_plan(*, actions=30, versions=5, suffix="bench"):
    """One ärende and meeting with a plan of `actions` rows and `versions` versions."""
    area, _ = SamverkArea.objects.get_or_create(
        slug=f"plan-{suffix}", defaults={"name": f"Plan {suffix}", "municipality": suffix}
    )
    org, _ = Organisation.objects.get_or_create(name=f"Plankommun {suffix}", kind="kommun")
    user = User.objects.create(username=f"plan-{suffix}", organisation=org, is_caseworker=True)
    case = Case.objects.create(area=area, owner=user, first_name="Bench", last_name="Plan")
    starts = timezone.now() + timedelta(days=1)
    meeting = Meeting.objects.create(
        case=case,
        kind="samverkansmote",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        purpose="Bench",
        questions="Bench",
        convening_organisation=org,
        convened_by=user,
    )
    plan = get_or_create_plan(meeting)
    for i in range(actions):
        plan.actions.create(what=f"Insats {i}", position=i, responsible_organisation=org)
    for n in range(versions):
        # A change between them: an unchanged plan is frozen once.
        plan.way_forward = f"Version {n + 1}"
        plan.save(update_fields=["way_forward"])
        freeze_plan(plan=plan, user=user)
    return user, meeting


def autosave_latency(client, meeting, *, repeat=200) -> dict:
    """Median and p95 in ms of `repeat` autosaves of one field, each a new version."""
    url = reverse("plans:autosave", args=[meeting.pk])
    times = []
    for i in range(repeat):
        data = {"current_situation": f"Text {i}", "version-current_situation": str(i)}
        start = time.perf_counter()
        response = client.post(url, data, **HTMX)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"autosave answered {response.status_code}")
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[max(0, int(len(times) * 0.95) - 1)],
        "requests": repeat,
    }


def plan_page_queries(client, meeting) -> int:
    url = reverse("plans:edit", args=[meeting.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"plan page answered {response.status_code}")
    return len(ctx.captured_queries)
