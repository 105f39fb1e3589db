"""The pages ``manage.py bench`` measures, and the timer that reports median, p95 and
database queries per request.

Works on whatever database is connected, with the data :mod:`bench.dataset` built;
tests call :func:`measure` directly inside pytest's own test database.

To measure a new page, add a :class:`Scenario` to :func:`default_scenarios`.
"""

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.enums import MeetingKind, ParticipantKind
from meetings.models import Meeting, Participant
from outbox.services import supersede
from parties.models import ContactPerson, SamverkArea
from parties.services.documents import build_contact_list_document, open_contact_list_pdf
from parties.services.pdf_queue import contact_list_document

from .areaplans import PLAN_ACTIVITIES, PLAN_GOALS, build_area_plan
from .dataset import SEARCH_TERM, BenchData

# ---------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------


@dataclass
class Scenario:
    """One page to measure: a GET of ``url`` as the logged-in bench user."""

    name: str
    url: str
    # Requests made before measuring (templates compiled, caches filled).
    warmup: int = 1
    # Caps --repeat for slow pages.
    max_repeat: int | None = None
    # Called before every measured request, outside the timing (e.g. cache.clear).
    before_each: Callable[[], None] | None = None
    expected_status: int = 200
    # A POST with this form data instead of a GET (e.g. "Skicka kallelse").
    post_data: dict | None = None
    # Request headers, as the test Client takes them (e.g. HTTP_IF_NONE_MATCH).
    headers: dict | None = None
    # Instead of a request, time this call (work the background worker does).
    call: Callable[[], object] | None = None
    # Targets; the table marks a page that misses one. None: no target.
    max_queries: int | None = None
    max_median_ms: float | None = None


# The targets for the ärende and meeting pages, whatever the amount of data.
TARGET_QUERIES = 20
TARGET_MEDIAN_MS = 150.0


def group_scenarios(data: BenchData) -> list[Scenario]:
    """The group meeting, its minnesanteckningar and the group page (issue 18) with
    6 areas × 4 groups × 30 meetings (bench/groups.py); measured with the ärende pages."""
    from .groups import GROUPS_PER_AREA, MEETINGS_PER_GROUP, build_groups

    if data.measured_case is None:
        return []
    meeting = build_groups(data)
    targets = {"max_queries": TARGET_QUERIES, "max_median_ms": TARGET_MEDIAN_MS}
    label = f"(6 områden × {GROUPS_PER_AREA} grupper × {MEETINGS_PER_GROUP} möten)"
    return [
        Scenario(f"Gruppmöte {label}", reverse("groups:meeting", args=[meeting.pk]), **targets),
        Scenario(
            f"Minnesanteckningar {label}", reverse("groups:minutes", args=[meeting.pk]), **targets
        ),
        Scenario(f"Grupp {label}", reverse("groups:detail", args=[meeting.group_id]), **targets),
    ]


@dataclass(frozen=True)
class BuildContactList:
    """The worker's build of an area's contact list PDF (the record made first); a value,
    so that two scenario lists compare equal."""

    area_id: int

    def __call__(self):
        area = SamverkArea.objects.get(pk=self.area_id)
        contact_list_document(area)
        build_contact_list_document(area.pk)
        with open_contact_list_pdf(contact_list_document(area)) as pdf:
            return pdf.read()  # the table's size column


def default_scenarios(data: BenchData) -> list[Scenario]:
    """The pages ``manage.py bench`` measures. New features add theirs here."""
    return (
        contact_scenarios(data)
        + case_scenarios(data)
        + kallelse_scenarios(data)
        + poll_scenarios(data)
        + area_plan_scenarios(data)
        + statistics_scenarios(data)
        + plan_live_scenarios(data)
        + group_scenarios(data)
    )


LIVE_ACTIONS, LIVE_GOALS = 30, 10


def plan_live_scenarios(data: BenchData) -> list[Scenario]:
    """What every open plan page polls every 3 s (issue 17), for a plan of 30 beslut and
    10 mål: unchanged (304 on the ETag, the usual answer) and changed (every field). One
    request at a time in one process, as one sync gunicorn worker serves them: requests
    per second per worker = 1000 / median ms."""
    from meetings.models import Meeting as _Meeting
    from plans.models import Action, Goal
    from plans.services.live import live_state, plan_etag
    from plans.services.start import get_or_create_plan

    case = data.measured_case
    meeting = _Meeting.objects.filter(case=case).order_by("starts_at").first() if case else None
    if meeting is None:
        return []
    plan = get_or_create_plan(meeting)
    Action.objects.bulk_create(
        Action(plan=plan, what=f"Insats {i}", position=i)
        for i in range(LIVE_ACTIONS - plan.actions.count())
    )
    Goal.objects.bulk_create(
        Goal(plan=plan, text=f"Mål {i}", position=i) for i in range(LIVE_GOALS - plan.goals.count())
    )
    url = reverse("plans:changes", args=[meeting.pk])
    etag = plan_etag(meeting.pk, live_state(plan)["revision"])
    return [
        Scenario(
            "Planens ändringar, oförändrad (304)",
            url,
            headers={"HTTP_IF_NONE_MATCH": etag},
            expected_status=304,
            max_queries=4,
        ),
        Scenario(
            f"Planens ändringar, ändrad ({LIVE_ACTIONS} beslut, {LIVE_GOALS} mål)",
            url,
            max_queries=10,
        ),
    ]


POLL_TIMES, POLL_PEOPLE = 6, 12


def build_poll(case, user, *, times=POLL_TIMES, people=POLL_PEOPLE):
    """An open "Föreslå tider" poll of the ärende: ``times`` times, ``people`` asked (the
    area's contact persons), every one of them answered for every time."""
    from meetings.enums import PollChoice
    from meetings.models import PollAnswer, PollInvitee, PollTime, TimePoll

    poll = TimePoll.objects.create(
        case=case,
        kind=MeetingKind.COLLABORATION,
        location="Kommunhuset, rum 3",
        purpose="Planera gemensamt stöd på vägen mot arbete.",
        questions="Vilka insatser kan varje part erbjuda?",
        convening_organisation=user.organisation,
        convened_by=user,
        created_by=user,
        answer_by=timezone.localdate() + timedelta(days=7),
    )
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=50)
    slots = PollTime.objects.bulk_create(
        PollTime(
            poll=poll,
            starts_at=start + timedelta(days=i),
            ends_at=start + timedelta(days=i, hours=1),
        )
        for i in range(times)
    )
    contacts = ContactPerson.objects.filter(area=case.area, is_active=True).select_related(
        "organisation"
    )[:people]
    invitees = PollInvitee.objects.bulk_create(
        PollInvitee(
            poll=poll,
            kind=ParticipantKind.CONTACT,
            contact_person=contact,
            organisation=contact.organisation,
            name=contact.name,
            email=contact.email,
            is_key=i % 4 == 0,
            comment="Helst förmiddag" if i % 3 == 0 else "",
            answered_at=timezone.now(),
        )
        for i, contact in enumerate(contacts)
    )
    choices = list(PollChoice.values)
    PollAnswer.objects.bulk_create(
        PollAnswer(invitee=invitee, time=slot, choice=choices[(i + j) % len(choices)])
        for i, invitee in enumerate(invitees)
        for j, slot in enumerate(slots)
    )
    return poll


def poll_scenarios(data: BenchData) -> list[Scenario]:
    """The grid of a "Föreslå tider" poll, 6 times × 12 people (issue 16: under 150 ms)."""
    case = data.measured_case
    if case is None:
        return []
    poll = build_poll(case, data.user)
    return [
        Scenario(
            f"Föreslagna tider ({POLL_TIMES} tider × {POLL_PEOPLE} personer)",
            reverse("meetings:poll", args=[poll.pk]),
            max_queries=TARGET_QUERIES,
            max_median_ms=TARGET_MEDIAN_MS,
        )
    ]


STATISTICS_AREA_MS, STATISTICS_ALL_MS = 500.0, 1000.0


STATISTICS_PLANS = 20_000


def build_statistics_plans(data: BenchData) -> None:
    """Handlingsplaner for the statistics to count (bench.load.build_plans: 2 of 5 meetings,
    four beslut with När and Ansvar, a fastställd version for the past ones), and for half
    of the fastställda a "Skicka handlingsplanen" event 0-13 days after the meeting."""
    import random

    from cases.models import CaseEvent
    from plans.enums import PlanAction
    from plans.models import PlanVersion

    from .plan_data import build_plans

    build_plans(data, min(STATISTICS_PLANS, Meeting.objects.count()))
    rnd = random.Random(19)  # noqa: S311 - repeatable invented data
    rows = PlanVersion.objects.filter(number=1).values_list(
        "plan__meeting_id", "plan__meeting__case_id", "plan__meeting__starts_at"
    )
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case_id=case_id,
                user=data.user,
                action=PlanAction.DISTRIBUTED,
                data={"meeting": meeting_id, "version": 1, "count": 4, "individual": "letter"},
                at=starts_at + timedelta(days=rnd.randrange(14), hours=2),
            )
            for meeting_id, case_id, starts_at in rows
            if rnd.random() < 0.5
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics include the new events


def statistics_scenarios(data: BenchData) -> list[Scenario]:
    """Statistik (issue 19) over the bench's meetings: one area for the measured
    meeting's year (< 500 ms), and all Höglandet (< 1 s); aggregated in SQL."""
    if data.measured_meeting is None:
        return []  # no meetings to count (the bench without ärenden)
    build_statistics_plans(data)
    year = timezone.localtime(data.measured_meeting.starts_at).year
    query = f"?ar={year}"
    return [
        Scenario(
            f"Statistik {data.measured_area.name} {year}",
            reverse("followup:statistics", args=[data.measured_area.slug]) + query,
            max_median_ms=STATISTICS_AREA_MS,
        ),
        Scenario(
            f"Statistik Höglandet {year}",
            reverse("followup:statistics", args=["hoglandet"]) + query,
            max_median_ms=STATISTICS_ALL_MS,
        ),
    ]


KALLELSE_PARTICIPANTS = 10


def area_plan_scenarios(data: BenchData) -> list[Scenario]:
    """The area's handlingsplan (issue 18), 12 mål × 3 aktiviteter with uppdrag: the
    coordinator's page and the public page, within the page targets; measured with the ärende
    pages (a contacts-only run, --cases 0, measures the contact pages)."""
    if data.measured_case is None:
        return []
    plan = build_area_plan(data.measured_area, data.user)
    targets = {"max_queries": TARGET_QUERIES, "max_median_ms": TARGET_MEDIAN_MS}
    label = f"({PLAN_GOALS} mål × {PLAN_ACTIVITIES} aktiviteter)"
    return [
        Scenario(
            f"Områdets handlingsplan {label}",
            reverse("areaplans:plan", args=[plan.area.slug, plan.year]),
            **targets,
        ),
        Scenario(
            f"Områdets publika sida {label}",
            reverse("areaplans:public", args=[plan.area.slug]),
            **targets,
        ),
        Scenario(
            f"Områdets handlingsplan, version {label}",
            reverse("areaplans:version", args=[plan.area.slug, plan.year, 1]),
            **targets,
        ),
    ]


KALLELSE_TARGET_MS = 300.0
INVITATION_PDF_TARGET_MS = 400.0


def kallelse_scenarios(data: BenchData) -> list[Scenario]:
    """ "Skicka kallelse" for a meeting with 10 participants (the request only queues the
    messages), and the worker's rendering of one kallelse PDF."""
    case = data.measured_case
    if case is None:
        return []
    from meetings.services.documents import render_invitation_pdf

    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=40)
    meeting = Meeting.objects.create(
        case=case,
        kind=MeetingKind.COLLABORATION,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        location="Kommunhuset, rum 3",
        purpose="Planera gemensamt stöd på vägen mot arbete.",
        questions="Vilka insatser kan varje part erbjuda?",
        convening_organisation=data.user.organisation,
        convened_by=data.user,
    )
    contacts = ContactPerson.objects.filter(area=data.measured_area, is_active=True).select_related(
        "organisation"
    )[:KALLELSE_PARTICIPANTS]
    Participant.objects.bulk_create(
        Participant(
            meeting=meeting,
            kind=ParticipantKind.CONTACT,
            contact_person=contact,
            organisation=contact.organisation,
            name=contact.name,
            email=contact.email,
        )
        for contact in contacts
    )
    first = meeting.participants.first()
    people = list(meeting.participants.all())

    def not_yet_invited():
        # "Skicka kallelse" sends only to those without the kallelse for the meeting as it
        # is: each measured click sends all ten again, as the first one does.
        supersede(people)

    return [
        Scenario(
            f"Skicka kallelse ({KALLELSE_PARTICIPANTS} deltagare)",
            reverse("meetings:send_invitations", args=[meeting.pk]),
            post_data={"oral_consent_at_start": "on"},
            before_each=not_yet_invited,
            expected_status=302,
            max_queries=None,
            max_median_ms=KALLELSE_TARGET_MS,
        ),
        Scenario(
            "Kallelse-PDF i arbetaren",
            f"render_invitation_pdf(deltagare {first.pk})",
            call=lambda: render_invitation_pdf(first),
            max_median_ms=INVITATION_PDF_TARGET_MS,
        ),
    ]


def case_scenarios(data: BenchData) -> list[Scenario]:
    """The measured caseworker's pages: overview, ärenden, one ärende, its meeting, the weeks."""
    case, meeting, week = data.measured_case, data.measured_meeting, data.measured_week
    if case is None:
        return []
    targets = {"max_queries": TARGET_QUERIES, "max_median_ms": TARGET_MEDIAN_MS}
    case_list = reverse("cases:list")
    scenarios = [
        Scenario("Översikt", reverse("dashboard"), **targets),
        Scenario("Mina ärenden", case_list, **targets),
        Scenario("Alla ärenden jag kan öppna", f"{case_list}?omfang=alla", **targets),
        Scenario("Ärendesida", reverse("cases:detail", args=[case.pk]), **targets),
        Scenario("Boka möte (formulär)", reverse("meetings:book", args=[case.pk]), **targets),
    ]
    if meeting is not None:
        my_week = reverse("meetings:my_week")
        area_week = reverse("meetings:area_week", args=[data.measured_area.slug])
        scenarios += [
            Scenario("Mötessida", reverse("meetings:detail", args=[meeting.pk]), **targets),
            Scenario("Min vecka", f"{my_week}?vecka={week.param}", **targets),
            Scenario("Områdets vecka", f"{area_week}?vecka={week.param}", **targets),
        ]
    return scenarios


def contact_scenarios(data: BenchData) -> list[Scenario]:
    slug = data.measured_area.slug
    contact_list = reverse("parties:contact_list", args=[slug])
    return [
        Scenario("Kontaktlista", contact_list),
        Scenario("Kontaktlista, sida 10", f"{contact_list}?page=10"),
        Scenario(f"Sök ?q={SEARCH_TERM}", f"{contact_list}?q={SEARCH_TERM}"),
        Scenario("Filter på part", f"{contact_list}?organisation={data.measured_kommun.pk}"),
        Scenario("Export CSV", reverse("parties:contact_export", args=[slug, "csv"])),
        Scenario("Export XLSX", reverse("parties:contact_export", args=[slug, "xlsx"])),
        # The PDF is built by the worker (issue 20): its build timed as a call (the warm-up
        # also pays WeasyPrint's one-off import and font setup), then the download of the
        # stored file that the page serves.
        Scenario(
            "Kontaktlista-PDF i arbetaren",
            f"build_contact_list_document({data.measured_area.pk})",
            call=BuildContactList(data.measured_area.pk),
            max_repeat=3,
        ),
        Scenario("PDF (senast byggda)", reverse("parties:contact_list_pdf", args=[slug])),
    ]


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    url: str
    times_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    size_bytes: int | None = None
    error: str | None = None
    max_queries: int | None = None
    max_median_ms: float | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.times_ms)

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.times_ms) if self.times_ms else None

    @property
    def p95_ms(self) -> float | None:
        """Nearest-rank 95th percentile: with few runs, the slowest one."""
        if not self.times_ms:
            return None
        ordered = sorted(self.times_ms)
        return ordered[math.ceil(0.95 * len(ordered)) - 1]

    @property
    def query_count(self) -> int | None:
        """Queries per request (the most seen, should it vary)."""
        return max(self.queries) if self.queries else None

    @property
    def has_targets(self) -> bool:
        return self.max_queries is not None or self.max_median_ms is not None

    @property
    def misses(self) -> list[str]:
        """The targets missed: "frågor", "tid", or both. A failed page misses them all."""
        missed = []
        if self.max_queries is not None and (not self.ok or self.query_count > self.max_queries):
            missed.append("frågor")
        if self.max_median_ms is not None and (not self.ok or self.median_ms > self.max_median_ms):
            missed.append("tid")
        return missed

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "url": self.url,
            "runs": len(self.times_ms),
            "median_ms": _round(self.median_ms),
            "p95_ms": _round(self.p95_ms),
            "min_ms": _round(min(self.times_ms, default=None)),
            "max_ms": _round(max(self.times_ms, default=None)),
            "queries": self.query_count,
            "queries_min": min(self.queries, default=None),
            "size_bytes": self.size_bytes,
            "error": self.error,
            "target_queries": self.max_queries,
            "target_median_ms": self.max_median_ms,
            "meets_targets": not self.misses if self.has_targets else None,
        }


def _round(value):
    return None if value is None else round(value, 1)


class BadStatus(Exception):
    pass


def _get(client, scenario: Scenario):
    if scenario.call is not None:
        return scenario.call()
    if scenario.post_data is not None:
        response = client.post(scenario.url, scenario.post_data)
    else:
        response = client.get(scenario.url, **(scenario.headers or {}))
    # Read streamed bodies in full: producing them is part of the page's cost.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.status_code != scenario.expected_status:
        raise BadStatus(f"HTTP {response.status_code}")
    return body


def measure(client, scenario: Scenario, repeat: int) -> Result:
    """Time ``repeat`` GETs of the scenario. Failures end up in ``Result.error``, never raised."""
    result = Result(
        scenario.name,
        scenario.url,
        max_queries=scenario.max_queries,
        max_median_ms=scenario.max_median_ms,
    )
    runs = min(repeat, scenario.max_repeat) if scenario.max_repeat else repeat
    try:
        for _ in range(scenario.warmup):
            _get(client, scenario)
        for _ in range(runs):
            if scenario.before_each:
                scenario.before_each()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                body = _get(client, scenario)
                elapsed = (time.perf_counter() - start) * 1000
            result.times_ms.append(elapsed)
            result.queries.append(len(queries.captured_queries))
            result.size_bytes = len(body)
    except BadStatus as exc:
        result.error = str(exc)
    except Exception as exc:  # A page under construction must not stop the bench.
        result.error = f"{type(exc).__name__}: {exc}"[:200]
    return result


def format_table(results: list[Result]) -> str:
    """One row per page; the last column says whether it meets its targets (✗ marks a miss)."""
    header = (
        f"{'Sida':<26} {'körn.':>5} {'median ms':>10} {'p95 ms':>9}"
        f" {'frågor':>7} {'storlek':>10}  {'mål'}"
    )
    lines = [header, "-" * (len(header) + 12)]
    for r in results:
        target = _target(r)
        if not r.ok:
            error = "FEL: " + (r.error or "inga körningar")
            lines.append(f"{r.name:<26} {error}" + (f"  {target}" if r.has_targets else ""))
            continue
        queries = str(r.query_count)
        if min(r.queries) != r.query_count:
            queries = f"{min(r.queries)}–{r.query_count}"
        lines.append(
            f"{r.name:<26} {len(r.times_ms):>5} {r.median_ms:>10.1f} {r.p95_ms:>9.1f}"
            f" {queries:>7} {_size(r.size_bytes):>10}  {target}"
        )
    targets = sorted(
        {(r.max_queries, r.max_median_ms) for r in results if r.has_targets},
        key=lambda t: (t[0] or 0, t[1] or 0),
    )
    for max_queries, max_median_ms in targets:
        parts = []
        if max_queries is not None:
            parts.append(f"högst {max_queries} frågor")
        if max_median_ms is not None:
            parts.append(f"median högst {max_median_ms:g} ms")
        lines.append(f"Mål: {' och '.join(parts)} per sida; ✗ = missar målet, – = inget mål.")
    return "\n".join(lines)


def _target(result: Result) -> str:
    if not result.has_targets:
        return "–"
    missed = result.misses
    return "✗ " + "+".join(missed) if missed else "ok"


def _size(size: int | None) -> str:
    if size is None:
        return "–"
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024:.0f} kB"
