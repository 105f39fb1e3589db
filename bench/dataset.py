"""The bench's data set, built in bulk: what ``manage.py bench`` measures pages against.

The data: Höglandet's six areas with their contact lists, and at full size
10,000 ärenden with 50,000 meetings (some 250,000 participants) handled by about
fifty caseworkers. One of them, the measured user, owns about 200 ärenden,
coordinates Sävsjö and works for Sävsjö kommun, which is involved in most ärenden
there.

Everything here works on whatever database is connected; the command points it
at a throwaway test database first. Tests call :func:`build_dataset` directly
inside pytest's own test database. The pages measured on it: :mod:`bench.scenarios`.
"""

import datetime as dt
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from cases.enums import CaseStatus, ContactPreference
from cases.models import Case
from consent.models import Consent, ConsentForm
from meetings.enums import Answer, MeetingKind, MeetingStatus, ParticipantKind
from meetings.models import Meeting, Participant, Room, new_answer_key
from meetings.services.calendar import Week
from meetings.services.participation import rebuild_participation
from outbox.enums import MessageState
from outbox.models import OutboundMessage
from parties.enums import OrganisationKind
from parties.models import ContactPerson, Organisation, SamverkArea, Unit, User

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

# Ärenden and meetings.
KOMMUN_STAFF_PER_AREA = 5  # caseworkers per kommun: 6 * 5 ...
NATIONAL_STAFF_PER_PARTY = 4  # ... + 5 * 4 at the national and regional parties = 50
MEASURED_OWNED_SHARE = 0.02  # 10,000 ärenden -> the measured user owns 200
CLOSED_SHARE = 0.2
CONSENT_SHARE = 0.5  # ärenden with consent records, two each (one current)
ROOMS_PER_AREA = 3
FOLLOW_UP_SHARE = 0.6  # förmöten followed by a samverkansmöte; the rest need one
MEASURED_STAFF_SHARE = 0.05  # measured area's meetings the measured user is invited to
SPAN_DAYS = 365  # meetings from a year ago to a year ahead
KIND_WEIGHTS = {
    MeetingKind.PREMEETING: 15,
    MeetingKind.COLLABORATION: 35,
    MeetingKind.SIP: 15,
    MeetingKind.CHECKPOINT: 20,
    MeetingKind.HANDOVER: 8,
    MeetingKind.CLOSING: 7,
}
ANSWER_WEIGHTS = {Answer.NONE: 25, Answer.ATTENDING: 55, Answer.REMOTE: 10, Answer.DECLINED: 10}
# The measured ärende's meetings: days from today and kind. Its förmöte a week ago is
# followed by the measured meeting (three days ahead); one förmöte has no follow-up.
DETAIL_MEETINGS = [
    (-330, MeetingKind.PREMEETING),
    (-320, MeetingKind.COLLABORATION),
    (-260, MeetingKind.SIP),
    (-200, MeetingKind.CHECKPOINT),
    (-150, MeetingKind.CHECKPOINT),
    (-100, MeetingKind.SIP),
    (-60, MeetingKind.CHECKPOINT),
    (-7, MeetingKind.PREMEETING),
    (3, MeetingKind.COLLABORATION),  # the measured meeting, following the förmöte above
    (20, MeetingKind.PREMEETING),  # no follow-up: listed on the dashboard
    (45, MeetingKind.CHECKPOINT),
    (90, MeetingKind.HANDOVER),
]
MEASURED_MEETING_INDEX = 8
DETAIL_CONSENTS = 3  # two current, one expired or revoked


@dataclass
class BenchData:
    areas: dict[str, SamverkArea]
    measured_area: SamverkArea
    user: User
    organisations: dict[str, Organisation]
    contacts: int
    measured_contacts: int
    cases: int = 0
    meetings: int = 0
    participants: int = 0
    consents: int = 0
    staff: int = 0
    owned_cases: int = 0
    # The ärende, meeting and week the ärende and meeting scenarios show (None without ärenden).
    measured_case: Case | None = None
    measured_meeting: Meeting | None = None

    @property
    def measured_kommun(self) -> Organisation:
        return self.organisations[f"{self.measured_area.municipality} kommun"]

    @property
    def measured_week(self) -> Week | None:
        if self.measured_meeting is None:
            return None
        return Week.containing(timezone.localtime(self.measured_meeting.starts_at).date())


def build_dataset(
    contacts: int = 5000, *, cases: int = 10000, meetings: int = 50000, seed: int = 1
) -> BenchData:
    """Höglandet's six areas, their parties and units, ``contacts`` people, and ``cases``
    ärenden with ``meetings`` meetings, all in bulk.

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
    data = BenchData(
        areas=areas,
        measured_area=measured,
        user=user,
        organisations=organisations,
        contacts=contacts,
        measured_contacts=measured_count,
    )
    if cases:
        _build_cases(data, rnd, people, cases=cases, meetings=meetings)
    return data


def _workday(day: date) -> date:
    """The day itself, or the Monday after when it falls on a weekend."""
    weekday = day.weekday()
    return day + timedelta(days=7 - weekday) if weekday >= 5 else day


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, dt.time(hour, minute)))


def _staff_member(rnd, username: str, organisation: Organisation, password: str) -> User:
    return User(
        username=username,
        first_name=rnd.choice(FIRST_NAMES),
        last_name=rnd.choice(LAST_NAMES),
        email=f"{username}@example.se",
        password=password,
        is_caseworker=True,
        organisation=organisation,
    )


PLACES = ["Kommunhuset, sal 2", "Vårdcentralen, konferensrummet", "Arbetsförmedlingen", ""]
EXTERNALS = [("Kriminalvården", "Frivården"), ("Hyresvärden", "Bostadsbolaget"), ("God man", "")]
PURPOSES = [
    ("Planera stöd till arbete.", "Vilka insatser behövs? Vem gör vad?"),
    ("Följa upp planen.", "Hur har det gått sedan förra mötet?"),
    ("Samordna vård och försörjning.", "Vilka kontakter finns i dag?"),
]


def _build_cases(data: BenchData, rnd: random.Random, people, *, cases: int, meetings: int):
    """Staff, ärenden with involved parties and consents, rooms, meetings and participants."""
    today = timezone.localdate()
    now = timezone.now()
    orgs = data.organisations
    measured = data.measured_area
    areas = list(data.areas.values())

    # ~50 caseworkers: five per kommun, four per national or regional party.
    password = make_password(None)
    staff = []
    for municipality, slug in AREAS:
        staff += [
            _staff_member(rnd, f"bench-{slug}-{n}", orgs[f"{municipality} kommun"], password)
            for n in range(KOMMUN_STAFF_PER_AREA)
        ]
    for index, (party, _, _) in enumerate(NATIONAL_PARTIES):
        staff += [
            _staff_member(rnd, f"bench-part{index}-{n}", orgs[party], password)
            for n in range(NATIONAL_STAFF_PER_PARTY)
        ]
    User.objects.bulk_create(staff)
    national_staff = [u for u in staff if u.organisation.kind != OrganisationKind.KOMMUN]
    kommun_staff = {
        area.pk: [u for u in staff if u.organisation.name == f"{area.municipality} kommun"]
        for area in areas
    }

    def colleague(area_pk: int, *, not_from=()) -> User:
        pool = kommun_staff[area_pk] if rnd.random() < 0.6 else national_staff
        choices = [u for u in pool if u.pk not in not_from]
        return rnd.choice(choices or pool)

    # Ärenden: the measured user owns the first ones, all in the measured area.
    owned = min(cases, max(1, round(cases * MEASURED_OWNED_SHARE)))
    case_rows = []
    for i in range(cases):
        if i < owned:
            area, owner = measured, data.user
        else:
            area = areas[i % len(areas)]
            owner = colleague(area.pk)
        closed = i > 0 and rnd.random() < CLOSED_SHARE
        first, last = rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES)
        case_rows.append(
            Case(
                area=area,
                owner=owner,
                status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
                closed_on=today - timedelta(days=rnd.randint(1, 300)) if closed else None,
                closed_reason="Insatserna är avslutade." if closed else "",
                first_name=first,
                last_name=last,
                personnummer="198112289874" if rnd.random() < 0.7 else "",
                email=f"{first}.{last}{i}@privat.example".lower().translate(ASCII),
                phone=f"070-{rnd.randint(1000000, 9999999)}",
                contact_preference=rnd.choice(ContactPreference.values),
                interpreter_language="arabiska" if rnd.random() < 0.1 else "",
            )
        )
    Case.objects.bulk_create(case_rows, batch_size=1000)

    # Involved parties: the area's kommun, the owner's party and two more.
    national_orgs = [orgs[name] for name, _, _ in NATIONAL_PARTIES]
    involved: dict[int, list[int]] = {}
    Involved = Case.involved_organisations.through
    rows = []
    for case in case_rows:
        chosen = {orgs[f"{case.area.municipality} kommun"].pk, case.owner.organisation_id}
        chosen |= {o.pk for o in rnd.sample(national_orgs, 2)}
        involved[case.pk] = sorted(chosen)
        rows += [Involved(case_id=case.pk, organisation_id=pk) for pk in chosen]
    Involved.objects.bulk_create(rows, batch_size=5000)

    # Consents: two on half the ärenden (one current, one expired or revoked).
    consents: list[tuple[Consent, list[int]]] = []
    for index, case in enumerate(case_rows):
        if index == 0:
            count = DETAIL_CONSENTS
        elif rnd.random() < CONSENT_SHARE:
            count = 2
        else:
            continue
        parties = involved[case.pk]
        for n in range(count):
            consent = Consent(
                case=case,
                form=ConsentForm.ORAL if n % 2 else ConsentForm.WRITTEN,
                covers_premeeting=n == 0,
                given_on=today - timedelta(days=rnd.randint(30, 300)),
                restrictions="Inget om skulder." if n == 0 else "",
                recorded_by_id=case.owner_id,
            )
            if n == count - 1:  # the last one no longer counts
                consent.given_on = today - timedelta(days=500)
                if rnd.random() < 0.5:
                    consent.valid_until = consent.given_on + timedelta(days=180)
                else:
                    consent.revoked_at = now - timedelta(days=rnd.randint(1, 100))
                    consent.revoked_by_id = case.owner_id
                    consent.revoked_reason = "Den enskilde ångrade sig."
            consents.append((consent, rnd.sample(parties, min(3, len(parties)))))
    Consent.objects.bulk_create([c for c, _ in consents], batch_size=1000)
    ConsentOrgs = Consent.organisations.through
    ConsentOrgs.objects.bulk_create(
        [ConsentOrgs(consent_id=c.pk, organisation_id=pk) for c, pks in consents for pk in pks],
        batch_size=5000,
    )

    rooms = {
        area.pk: [
            Room(
                area=area, name=f"Samverksrummet {n}", address=f"Storgatan {n}, {area.municipality}"
            )
            for n in range(1, ROOMS_PER_AREA + 1)
        ]
        for area in areas
    }
    Room.objects.bulk_create([room for area_rooms in rooms.values() for room in area_rooms])

    data.cases, data.consents, data.staff = cases, len(consents), len(staff) + 1
    data.owned_cases = owned
    data.measured_case = case_rows[0]
    if meetings:
        _build_meetings(data, rnd, people, case_rows, rooms, colleague, meetings=meetings)
    # Fresh bulk-loaded tables have no statistics until autovacuum (PostgreSQL) or an
    # ANALYZE (SQLite keeps none of its own) gathers them; without, the planners guess.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _insert_rows(model, rows: list[dict], **defaults) -> None:
    """Plain multi-row INSERTs (COPY on PostgreSQL) for the largest tables.

    bulk_create prepares every value of every row through its field, which costs
    several times the insert itself at 250,000 rows. Each row names its values by
    attname (other keys are ignored); ``defaults``, then the fields' own defaults
    (evaluated once, so never for a unique field) and NULL fill in the rest.
    """
    if not rows:
        return
    ops = connection.ops
    fields, fill = [], {}
    for f in model._meta.concrete_fields:
        if f.attname in rows[0]:
            fields.append(f)
            continue
        if f.primary_key:
            continue
        if f.attname in defaults:
            value = defaults[f.attname]
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = timezone.now()
        elif f.has_default():
            assert not f.unique, f"{f.name} is unique: give it in every row"
            value = f.get_default()
        elif f.null:
            value = None
        elif f.blank and f.get_internal_type() in ("CharField", "TextField", "FileField"):
            # A text or file field a form may leave empty (no default declared): empty.
            value = ""
        else:
            raise ValueError(f"No value for {model.__name__}.{f.name}")
        fill[f.attname] = f.get_db_prep_save(value, connection)
        fields.append(f)
    adapted: dict[datetime, object] = {}

    def prepared(value):
        if isinstance(value, datetime):
            if value not in adapted:
                adapted[value] = ops.adapt_datetimefield_value(value)
            return adapted[value]
        return value

    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)

    def values(row):
        return [fill[f.attname] if f.attname in fill else prepared(row[f.attname]) for f in fields]

    if connection.vendor == "postgresql":
        # COPY: psycopg would parse a long multi-row INSERT in Python, slower than the insert.
        with (
            transaction.atomic(savepoint=False),
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(values(row))
        return
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Many rows per INSERT, as many as the database takes parameters for.
    per_insert = min(1000, ops.bulk_batch_size(fields, rows))
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        for first in range(0, len(rows), per_insert):
            batch = rows[first : first + per_insert]
            params = [value for row in batch for value in values(row)]
            placeholders = ", ".join([one_row] * len(batch))
            sql = f"INSERT INTO {table} ({columns}) VALUES {placeholders}"  # noqa: S608 - names from the model
            cursor.execute(sql, params)


def _build_meetings(data, rnd, people, case_rows, rooms, colleague, *, meetings: int):
    """Meetings (explicit ids, so förmöten and participants can refer to them before the
    insert), about five participants each, and the measured meeting's sent kallelse."""
    today = timezone.localdate()
    now = timezone.now()
    fk_pk = data.organisations[FK].pk
    contacts: dict[int, list[ContactPerson]] = {}
    contacts_no_fk: dict[int, list[ContactPerson]] = {}
    for person in people:
        if person.is_active:
            contacts.setdefault(person.area_id, []).append(person)
            if person.organisation_id != fk_pk:
                contacts_no_fk.setdefault(person.area_id, []).append(person)
    room_taken: set[tuple[int, datetime]] = set()
    kinds, kind_weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    may_sip = {
        o.pk
        for o in data.organisations.values()
        if o.kind in {OrganisationKind.KOMMUN, *OrganisationKind.region_kinds()}
    }
    first_id = (Meeting.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    planned: list[dict] = []

    def meeting(case, kind, starts_at, convener, *, premeeting=None, cancel_share=0.05):
        length = 60 if rnd.random() < 0.7 else 90
        room_id = None
        if length == 60 and starts_at.minute == 0 and rnd.random() < 0.4:
            room = rnd.choice(rooms[case.area_id])
            if (room.pk, starts_at) not in room_taken:
                room_taken.add((room.pk, starts_at))
                room_id = room.pk
        cancelled = rnd.random() < cancel_share
        purpose, questions = rnd.choice(PURPOSES)
        remote_link = "https://video.example/rum" if rnd.random() < 0.3 else ""
        location = "" if room_id else rnd.choice(PLACES)
        row = {
            "id": first_id + len(planned),
            "case_id": case.pk,
            "kind": kind.value,
            "status": (MeetingStatus.CANCELLED if cancelled else MeetingStatus.PLANNED).value,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(minutes=length),
            "room_id": room_id,
            "location": location or ("" if room_id or remote_link else "Kommunhuset"),
            "remote_link": remote_link,
            "purpose": purpose,
            "questions": questions,
            "convening_organisation_id": convener.organisation_id,
            "convened_by_id": convener.pk,
            "premeeting_id": premeeting["id"] if premeeting else None,
            "invitations_sent_at": starts_at - timedelta(days=21) if starts_at < now else None,
            "cancelled_at": starts_at - timedelta(days=2) if cancelled else None,
            "cancelled_reason": "Den enskilde är sjuk." if cancelled else "",
            "_case": case,
            "_convener": convener,
        }
        planned.append(row)
        return row

    # The measured ärende's meetings, all convened by the measured user at 10:00.
    case0 = data.measured_case
    for index, (days, kind) in enumerate(DETAIL_MEETINGS):
        meeting(
            case0,
            kind,
            _local(_workday(today + timedelta(days=days)), 10),
            data.user,
            premeeting=planned[-1] if index == MEASURED_MEETING_INDEX else None,
            cancel_share=0,
        )
    shown = planned[MEASURED_MEETING_INDEX]
    shown["invitations_sent_at"] = now - timedelta(days=2)

    others = case_rows[1:] or case_rows
    while len(planned) < meetings:
        case = rnd.choice(others)
        last = -1 if case.status == CaseStatus.CLOSED else SPAN_DAYS
        day = _workday(today + timedelta(days=rnd.randint(-SPAN_DAYS, last)))
        starts_at = _local(day, rnd.randint(8, 15), rnd.choice((0, 30)))
        convener = case.owner if rnd.random() < 0.7 else colleague(case.area_id)
        kind = rnd.choices(kinds, kind_weights)[0]
        if kind == MeetingKind.SIP and convener.organisation_id not in may_sip:
            kind = MeetingKind.CHECKPOINT
        if kind == MeetingKind.PREMEETING and convener.organisation_id == fk_pk:
            kind = MeetingKind.CHECKPOINT
        pre = meeting(case, kind, starts_at, convener)
        if (
            kind == MeetingKind.PREMEETING
            and len(planned) < meetings
            and rnd.random() < FOLLOW_UP_SHARE
        ):
            follow_day = _workday(day + timedelta(days=7))
            meeting(
                case, MeetingKind.COLLABORATION, _local(follow_day, 10), convener, premeeting=pre
            )
    _insert_rows(Meeting, planned)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Meeting]):
                cursor.execute(sql)

    answers, answer_weights = list(ANSWER_WEIGHTS), list(ANSWER_WEIGHTS.values())

    def person(m, kind, name, email="", *, answer=None, **fields):
        if answer is None:
            if m["starts_at"] < now and rnd.random() < 0.8:
                answer = Answer.ATTENDING
            else:
                answer = rnd.choices(answers, answer_weights)[0]
        answered_at = None if answer == Answer.NONE else m["starts_at"] - timedelta(days=7)
        return {
            "meeting_id": m["id"],
            "kind": kind.value,
            "user_id": None,
            "contact_person_id": None,
            "organisation_id": None,
            "organisation_name": "",
            "name": name,
            "email": email,
            "note": "",
            "answer": answer.value,
            "answered_at": answered_at,
            "answer_key": new_answer_key(),
            **fields,
        }

    participants = []
    for m in planned:
        case, convener = m["_case"], m["_convener"]
        is_pre = m["kind"] == MeetingKind.PREMEETING
        rows = [
            person(
                m,
                ParticipantKind.STAFF,
                f"{convener.first_name} {convener.last_name}",
                convener.email,
                answer=Answer.ATTENDING,
                user_id=convener.pk,
                organisation_id=convener.organisation_id,
                note="Sammankallande",
            )
        ]
        pool = (contacts_no_fk if is_pre else contacts).get(case.area_id, [])
        rows += [
            person(
                m,
                ParticipantKind.CONTACT,
                contact.name,
                contact.email,
                contact_person_id=contact.pk,
                organisation_id=contact.organisation_id,
            )
            for contact in rnd.sample(pool, min(2, len(pool)))
        ]
        if (
            case.area_id == data.measured_area.pk
            and convener.pk != data.user.pk
            and rnd.random() < MEASURED_STAFF_SHARE
        ):
            other = data.user
        else:
            other = colleague(case.area_id, not_from={convener.pk, data.user.pk})
        if other.pk != convener.pk and not (is_pre and other.organisation_id == fk_pk):
            rows.append(
                person(
                    m,
                    ParticipantKind.STAFF,
                    f"{other.first_name} {other.last_name}",
                    other.email,
                    user_id=other.pk,
                    organisation_id=other.organisation_id,
                )
            )
        if is_pre:
            role, organisation_name = rnd.choice(EXTERNALS)
            rows.append(
                person(
                    m,
                    ParticipantKind.EXTERNAL,
                    f"{rnd.choice(FIRST_NAMES)} {role}",
                    "extern@annan.example",
                    organisation_name=organisation_name,
                )
            )
        else:
            email = case.email if case.contact_preference == ContactPreference.EMAIL else ""
            rows.append(person(m, ParticipantKind.INDIVIDUAL, case.individual_name, email))
        participants += rows
    _insert_rows(Participant, participants, added_at=now)
    # Who takes part may open the ärende (need to know): the table every access check reads.
    rebuild_participation()

    # The measured meeting's kallelse has gone out: one message per participant with e-mail.
    participant_type = ContentType.objects.get_for_model(Participant)
    OutboundMessage.objects.bulk_create(
        [
            OutboundMessage(
                state=MessageState.DELIVERED,
                to_email=p.email,
                to_name=p.name,
                subject="Kallelse till samverkansmöte",
                text_body="Du är kallad till ett samverkansmöte.",
                related_type=participant_type,
                related_id=p.pk,
                sent_at=now - timedelta(days=2),
            )
            for p in Participant.objects.filter(meeting_id=shown["id"]).exclude(email="")
        ]
    )
    data.meetings, data.participants = len(planned), len(participants)
    data.measured_meeting = Meeting.objects.get(pk=shown["id"])
