"""Benchmark helpers behind ``manage.py bench``: a bulk data builder, the pages to
measure, and a timer that reports median, p95 and database queries per request.

Everything here works on whatever database is connected; the command points it
at a throwaway test database first. Tests call :func:`build_dataset` and
:func:`measure` directly inside pytest's own test database.

To measure a new page, add a :class:`Scenario` to :func:`default_scenarios`.
"""

import math
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parties.enums import OrganisationKind
from parties.models import ContactPerson, Organisation, SamverkArea, Unit, User

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

AREAS = [
    ("Aneby", "aneby"),
    ("Eksjö", "eksjo"),
    ("Nässjö", "nassjo"),
    ("Sävsjö", "savsjo"),
    ("Tranås", "tranas"),
    ("Vetlanda", "vetlanda"),
]
MEASURED_SLUG = "savsjo"
# Share of all contacts placed in the measured area: 5000 -> 1250, enough to
# paginate the list and make the PDF some 40 pages long.
MEASURED_SHARE = 0.25
SEARCH_TERM = "lind"  # Lindqvist, Lindberg, Lindström, Lindgren: a surname fragment

AF = "Arbetsförmedlingen"
FK = "Försäkringskassan"
PRIMARY = "Region Jönköpings län, primärvård"
PSYCH = "Region Jönköpings län, psykiatri"
OTHER = "Samordningsförbundet Höglandet"

NATIONAL_PARTIES = [
    (AF, OrganisationKind.ARBETSFORMEDLINGEN, "arbetsformedlingen.example"),
    (FK, OrganisationKind.FORSAKRINGSKASSAN, "forsakringskassan.example"),
    (PRIMARY, OrganisationKind.REGION_PRIMARVARD, "rjl.example"),
    (PSYCH, OrganisationKind.REGION_PSYKIATRI, "rjl.example"),
    (OTHER, OrganisationKind.ANNAN, "finsam.example"),
]
# Units working in every area: (party, unit name, vägen in).
SHARED_UNITS = [
    (AF, "Arbetsförmedlingen Höglandet", "Stöd till arbetssökande. Nås via kundtjänst."),
    (FK, "Sjukförsäkring Höglandet", "Sjukpenning och aktivitetsersättning."),
    (PSYCH, "Psykiatriska mottagningen Höglandet", "Remiss eller egen vårdbegäran."),
    (OTHER, "Finsam-insatser", "Samordnade insatser för personer långt från arbete."),
]
MUNICIPAL_UNITS = [
    ("Arbetsmarknadsenheten", "Arbetsträning, praktik och stöd till arbete."),
    ("Socialtjänsten, vuxenenheten", "Försörjningsstöd. Nås via kontaktcenter."),
    ("Socialpsykiatrin", "Boendestöd och sysselsättning."),
]
# How contacts of an area are spread over its parties (weights).
PARTY_WEIGHTS = {"kommun": 40, AF: 15, FK: 15, PRIMARY: 15, PSYCH: 10, OTHER: 5}

FIRST_NAMES = [
    "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Anders", "Emma", "Per",
    "Lena", "Mikael", "Sofia", "Peter", "Elin", "Magnus", "Ida", "Fredrik", "Hanna", "Ali",
]
LAST_NAMES = [
    "Ekström", "Lindqvist", "Bergström", "Holmgren", "Sjöberg", "Åkesson", "Nyberg", "Falk",
    "Lindberg", "Lundgren", "Björk", "Sandberg", "Wikström", "Lindström", "Öberg", "Hassan",
]
TITLES = [
    "Handläggare", "Arbetsförmedlare", "Socialsekreterare", "Kurator",
    "Rehabiliteringskoordinator", "Sjuksköterska", "Enhetschef", "Arbetsterapeut",
]
ASCII = str.maketrans("åäöéÅÄÖÉ", "aaoeAAOE")


@dataclass
class BenchData:
    areas: dict[str, SamverkArea]
    measured_area: SamverkArea
    user: User
    organisations: dict[str, Organisation]
    contacts: int
    measured_contacts: int

    @property
    def measured_kommun(self) -> Organisation:
        return self.organisations[f"{self.measured_area.municipality} kommun"]


def build_dataset(contacts: int = 5000, *, seed: int = 1) -> BenchData:
    """Höglandet's six areas, their parties and units, and ``contacts`` people in bulk.

    Expects an empty database (the bench's throwaway one, or a test's).
    """
    rnd = random.Random(seed)  # noqa: S311 - repeatable invented data, not security
    today = timezone.localdate()

    areas = {
        slug: SamverkArea.objects.create(
            name=f"Samverk {municipality}",
            slug=slug,
            municipality=municipality,
            contacts_confirmed_on=today - timedelta(days=30),
        )
        for municipality, slug in AREAS
    }
    measured = areas[MEASURED_SLUG]

    organisations = {name: Organisation(name=name, kind=kind) for name, kind, _ in NATIONAL_PARTIES}
    for municipality, _ in AREAS:
        name = f"{municipality} kommun"
        organisations[name] = Organisation(name=name, kind=OrganisationKind.KOMMUN)
    Organisation.objects.bulk_create(organisations.values())
    organisations = {o.name: o for o in Organisation.objects.all()}
    domains = {name: domain for name, _, domain in NATIONAL_PARTIES}

    units = [
        Unit(organisation=organisations[party], name=name, way_in=way_in, area=None)
        for party, name, way_in in SHARED_UNITS
    ]
    for municipality, slug in AREAS:
        area = areas[slug]
        kommun = organisations[f"{municipality} kommun"]
        units += [
            Unit(organisation=kommun, area=area, name=name, way_in=way_in, phone="0382-150 00")
            for name, way_in in MUNICIPAL_UNITS
        ]
        units.append(
            Unit(
                organisation=organisations[PRIMARY],
                area=area,
                name=f"{municipality} vårdcentral",
                way_in="Drop-in vardagar 8–10, annars via 1177.",
            )
        )
    Unit.objects.bulk_create(units)
    # (area pk, organisation pk) -> the units a contact there may belong to
    unit_choices: dict[tuple[int, int], list[Unit]] = {}
    for unit in Unit.objects.all():
        area_pks = [unit.area_id] if unit.area_id else [area.pk for area in areas.values()]
        for area_pk in area_pks:
            unit_choices.setdefault((area_pk, unit.organisation_id), []).append(unit)

    measured_count = min(contacts, max(1, round(contacts * MEASURED_SHARE)))
    others = [area for slug, area in areas.items() if slug != MEASURED_SLUG]
    party_names = list(PARTY_WEIGHTS)
    party_weights = list(PARTY_WEIGHTS.values())
    samverk_contact_taken: set[tuple[int, int]] = set()
    people = []
    for i in range(contacts):
        area = measured if i < measured_count else others[i % len(others)]
        party_name = rnd.choices(party_names, party_weights)[0]
        if party_name == "kommun":
            party_name = f"{area.municipality} kommun"
        organisation = organisations[party_name]
        candidates = unit_choices.get((area.pk, organisation.pk), [])
        unit = rnd.choice(candidates) if candidates and rnd.random() < 0.9 else None
        first, last = rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES)
        domain = domains.get(party_name) or f"{area.slug}.kommun.example"
        is_active = rnd.random() < 0.9
        key = (area.pk, organisation.pk)
        is_samverk_contact = is_active and key not in samverk_contact_taken
        if is_samverk_contact:
            samverk_contact_taken.add(key)
        people.append(
            ContactPerson(
                area=area,
                organisation=organisation,
                unit=unit,
                name=f"{first} {last}",
                title=rnd.choice(TITLES),
                email=f"{first}.{last}{i}@{domain}".lower().translate(ASCII),
                phone=f"0{rnd.randint(10, 999)}-{rnd.randint(10000, 999999)}",
                is_samverk_contact=is_samverk_contact,
                is_active=is_active,
                last_confirmed_on=(
                    today - timedelta(days=rnd.randint(0, 400)) if rnd.random() < 0.85 else None
                ),
            )
        )
    ContactPerson.objects.bulk_create(people, batch_size=1000)

    user = User.objects.create_user(
        username="bench-koordinator",
        first_name="Bänk",
        last_name="Koordinator",
        is_caseworker=True,
        organisation=organisations[f"{measured.municipality} kommun"],
    )
    user.coordinated_areas.set([measured])
    return BenchData(
        areas=areas,
        measured_area=measured,
        user=user,
        organisations=organisations,
        contacts=contacts,
        measured_contacts=measured_count,
    )


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


def default_scenarios(data: BenchData) -> list[Scenario]:
    """The pages ``manage.py bench`` measures. New features add theirs here."""
    slug = data.measured_area.slug
    contact_list = reverse("parties:contact_list", args=[slug])
    return [
        Scenario("Kontaktlista", contact_list),
        Scenario("Kontaktlista, sida 10", f"{contact_list}?page=10"),
        Scenario(f"Sök ?q={SEARCH_TERM}", f"{contact_list}?q={SEARCH_TERM}"),
        Scenario("Filter på part", f"{contact_list}?organisation={data.measured_kommun.pk}"),
        Scenario("Export CSV", reverse("parties:contact_export", args=[slug, "csv"])),
        Scenario("Export XLSX", reverse("parties:contact_export", args=[slug, "xlsx"])),
        # Warm first: its warm-up request also pays WeasyPrint's one-off import and font setup,
        # so the cold runs need no (slow) warm-up of their own.
        Scenario("PDF varm (från cache)", reverse("parties:contact_list_pdf", args=[slug])),
        Scenario(
            "PDF kall (utan cache)",
            reverse("parties:contact_list_pdf", args=[slug]),
            warmup=0,
            max_repeat=5,
            before_each=cache.clear,
        ),
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
        }


def _round(value):
    return None if value is None else round(value, 1)


class BadStatus(Exception):
    pass


def _get(client, scenario: Scenario):
    response = client.get(scenario.url)
    # Read streamed bodies in full: producing them is part of the page's cost.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.status_code != scenario.expected_status:
        raise BadStatus(f"HTTP {response.status_code}")
    return body


def measure(client, scenario: Scenario, repeat: int) -> Result:
    """Time ``repeat`` GETs of the scenario. Failures end up in ``Result.error``, never raised."""
    result = Result(scenario.name, scenario.url)
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
    header = (
        f"{'Sida':<26} {'körn.':>5} {'median ms':>10} {'p95 ms':>9}"
        f" {'frågor':>7} {'storlek':>10}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        if not r.ok:
            lines.append(f"{r.name:<26} {'FEL: ' + (r.error or 'inga körningar')}")
            continue
        queries = str(r.query_count)
        if min(r.queries) != r.query_count:
            queries = f"{min(r.queries)}–{r.query_count}"
        lines.append(
            f"{r.name:<26} {len(r.times_ms):>5} {r.median_ms:>10.1f} {r.p95_ms:>9.1f}"
            f" {queries:>7} {_size(r.size_bytes):>10}"
        )
    return "\n".join(lines)


def _size(size: int | None) -> str:
    if size is None:
        return "–"
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024:.0f} kB"
