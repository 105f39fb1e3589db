"""Bad input gets a Swedish answer, never a 500: a corpus of bad values sent to every view.

The views come from the URL conf (every pattern but Django's admin and the mail provider's
webhook, which has tests of its own in tests/outbox/test_webhook_mounting.py), reached as
the owner of an ärende who convenes its meeting and coordinates its area, so the forms are
really there. Each page is read first; the fields of its forms (and of the inputs that post
on their own, like the plan's autosave) are the ones filled with bad values. Each field gets
the values of its kind that break things (NUL, 100,000 characters, control characters and
<script> in text; ids no database integer holds in choices; far and impossible dates) and a
sample of the rest of the corpus (not the whole cross product, so it stays fast), and each
form is also sent empty, with every field long, with every field full of control
characters, with each field missing, duplicated and of the wrong type, and as a body too big
to read; file fields get oversized, empty, mislabelled and broken files. Every page is also
asked for with bad query parameters, and with ids in its URL no database integer holds.

Every request runs in a transaction rolled back afterwards, so each one meets the same world.
Asserted: no 5xx; a refused POST (4xx) left every table as it was; the raw <script> never
comes back unescaped; no NUL reaches the database (PostgreSQL answers that with a 500); and
what an accepted request stored has no control character and no text beyond 10,000
characters (the longest limit, the plan's long texts).
"""

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from cases.models import CaseAccessGrant
from common.forms import InputRules
from meetings.services import invitations
from parties.models import ContactImport
from plans.services.start import get_or_create_plan
from tests.factories import (
    ActionFactory,
    CaseFactory,
    ConsentFactory,
    ContactPersonFactory,
    GoalFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    PlanVersionFactory,
    RoomFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Not sent the corpus here: Django's own admin, and the delivery webhook (JSON bodies of the
# mail provider, tested with bad bodies in tests/outbox/test_webhook_mounting.py).
SKIPPED_NAMESPACES = {"admin", "anymail"}

SCRIPT = "<script>alert(1)</script>"
CONTROL = "a\x00b\x01c\x07d\x1b[31me\x7ff\x0bg\x0ch"
LONG = "x" * 100_000
HUGE = "99999999999999999999"
CORPUS = [
    "",
    " ",
    LONG,
    CONTROL,
    "\x00",
    "2025-02-30",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "25:61",
    "-1",
    "0",
    HUGE,
    "-" + HUGE,
    "1e309",
    "NaN",
    "1.5",
    "²",
    "٣",
    "\u202eevil\u202c 👩‍👩‍👧 مرحبا بالعالم",
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "{'a': [1, 2]}",
    "true",
    "../../etc/passwd",
    "%00",
    "\ud7ff\ufffe\uffff",
]
TEXT_KINDS = {"text", "textarea", "search", "hidden", "email", "tel", "url", "password"}
# What breaks each kind of input, always sent; then SAMPLE values of the rest of the corpus.
BREAKERS = {
    "text": ["\x00", LONG, CONTROL, SCRIPT],
    "choice": [HUGE, "-1", "²", "abc"],
    "date": ["0001-01-01", "9999-12-31", "2025-02-30", "99999-01-01"],
    "time": ["25:61", "-1", "²"],
    "number": [HUGE, "-1", "1e309", "NaN"],
}
SAMPLE = 2
# Query parameters the pages read (pagination, search, filters, prefills, documents): every
# page is asked for with all of them set to each of these at once.
QUERY_PARAMS = [
    "page",
    "q",
    "status",
    "omfang",
    "part",
    "deltagare",
    "version",
    "formote",
    "uppfoljning",
    "datum",
    "tid",
    "plats",
    "vecka",
    "colleague",
    "start",
    "end",
    "organisation",
    "unit",
    "contact",
]
QUERY_VALUES = [HUGE, "²", "\x00" + LONG[:5000], "0001-01-01"]
# The longest text any field takes (plans.models.LONG_TEXT_MAX).
LONGEST = 10_000


# --- the world ---------------------------------------------------------------------------


@dataclass
class World:
    user: object
    area: object
    case: object
    consent: object
    meeting: object
    participant: object
    plan: object
    action: object
    version: object
    contact: object
    unit: object
    answer_token: str
    delegate_token: str
    grant: object
    import_token: str
    # The Samverk groups' rows (groups/): a group of the area with a meeting, see group_rows.
    groups: object = None


@pytest.fixture
def world(area):
    orgs = {
        "kommun": OrganisationFactory(name="Sävsjö kommun", kind="kommun"),
        "af": OrganisationFactory(name="Arbetsförmedlingen", kind="arbetsformedlingen"),
        "vc": OrganisationFactory(name="Region Jönköpings län", kind="region_primarvard"),
    }
    user = UserFactory(
        username="sammankallande",
        organisation=orgs["kommun"],
        is_caseworker=True,
        coordinated_areas=[area],
    )
    case = CaseFactory(area=area, owner=user, first_name="Alva", last_name="Andersson")
    consent = ConsentFactory(case=case, organisations=list(orgs.values()))
    RoomFactory(area=area)
    contact = ContactPersonFactory(area=area, organisation=orgs["af"], name="Anna Arbete")
    unit = UnitFactory(organisation=orgs["af"], area=area)
    meeting = MeetingFactory(case=case, convened_by=user, convening_organisation=orgs["kommun"])
    participant = ParticipantFactory(
        meeting=meeting,
        kind="contact",
        contact_person=contact,
        organisation=orgs["af"],
        name="Anna Arbete",
        email="anna@af.example",
    )
    ParticipantFactory(meeting=meeting, kind="individual", name=case.individual_name)
    plan = get_or_create_plan(meeting)
    GoalFactory(plan=plan, text="Arbete på deltid")
    action = ActionFactory(plan=plan, what="Arbetsträning", responsible_organisation=orgs["af"])
    version = PlanVersionFactory(plan=plan)
    colleague = UserFactory(username="kollega", organisation=orgs["kommun"], is_caseworker=True)
    grant = CaseAccessGrant.objects.create(
        case=case, user=colleague, granted_by=user, reason="Semester"
    )
    pending = ContactImport.objects.create(
        token="import-token", area=area, uploaded_by=user, filename="lista.csv", rows=[]
    )
    return World(
        user=user,
        area=area,
        case=case,
        consent=consent,
        meeting=meeting,
        participant=participant,
        plan=plan,
        action=action,
        version=version,
        contact=contact,
        unit=unit,
        answer_token=invitations.answer_token(participant),
        delegate_token=invitations.delegate_token(participant),
        grant=grant,
        import_token=pending.token,
        groups=group_rows(area, user, orgs["af"]),
    )


def group_rows(area, coordinator, organisation):
    """A styrgrupp of the area (its coordinator is the world's user) with a member, a
    meeting with an agenda item, background PDF and uppdrag, and an answer link."""
    from types import SimpleNamespace

    from django.core.files.uploadedfile import SimpleUploadedFile

    from groups.models import Group, GroupMember
    from groups.services import booking, minutes
    from groups.services import invitations as group_invitations

    group = Group.objects.create(area=area, kind="styrgrupp")
    member = GroupMember.objects.create(
        group=group, name="Anna Arbete", organisation=organisation, email="anna@af.example"
    )
    starts = timezone.now() + timedelta(days=10)
    meeting = booking.book_meeting(
        group=group,
        user=coordinator,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Kommunhuset",
        items=[{"title": "Ekonomi"}],
    )
    item = meeting.items.get()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\nstartxref\n0\n%%EOF\n"
    attachment = booking.attach_background(item, SimpleUploadedFile("Bakgrund.pdf", pdf))
    assignment = minutes.add_assignment(meeting=meeting, what="Statistik", owner=member)
    return SimpleNamespace(
        group=group,
        member=member,
        meeting=meeting,
        item=item,
        attachment=attachment,
        assignment=assignment,
        answer_token=group_invitations.answer_token(meeting.attendees.get()),
    )


# --- the URL conf ------------------------------------------------------------------------


def url_patterns():
    """(name, URL arguments with their converters) of every view but the skipped ones."""
    found = []

    def walk(patterns, namespace, arguments):
        for entry in patterns:
            # A re_path's named groups are arguments without a converter.
            groups = dict.fromkeys(getattr(entry.pattern, "regex", re.compile("")).groupindex)
            here = {**arguments, **groups, **entry.pattern.converters}
            if isinstance(entry, URLResolver):
                if (entry.namespace or "") in SKIPPED_NAMESPACES:
                    continue
                walk(entry.url_patterns, ":".join(filter(None, [namespace, entry.namespace])), here)
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((":".join(filter(None, [namespace, entry.name])), here))

    walk(get_resolver().url_patterns, "", {})
    return found


# The groups' URLs whose pk is the group's (the others' is a group meeting's).
GROUP_PK_URLS = {
    f"groups:{n}"
    for n in [
        "detail",
        "edit",
        "member_add",
        "member_edit",
        "roster_confirm",
        "roster_pdf",
        "roster_export",
        "meeting_create",
    ]
}


def deviation_of(world):
    """An avvikelse of the world's area (followup/), made when a URL first needs it."""
    from datetime import date

    from followup.models import Deviation

    deviation = Deviation.objects.filter(area=world.area).first()
    if deviation is None:
        deviation = Deviation.objects.create(
            area=world.area,
            reported_by=world.user,
            occurred_on=date(2026, 1, 15),
            category="ovrigt",
            what_happened="Ingen tog ansvar för uppföljningen",
            consequence="Mellan stolarna",
        )
    return deviation


def spindeln_round_of(world):
    """An open Spindeln round of the world's area with one link (followup/, issue 19)."""
    from datetime import timedelta

    from django.utils import timezone

    from followup.models import SurveyInvitation, SurveyRound

    survey = SurveyRound.objects.filter(area=world.area).first()
    if survey is None:
        survey = SurveyRound.objects.create(
            area=world.area,
            title="Hösten",
            closes_on=timezone.localdate() + timedelta(days=14),
            started_by=world.user,
        )
        SurveyInvitation.objects.create(round=survey, name="Ledamot", email="l@savsjo.example")
    return survey


def area_plan_of(world):
    """The world's area's handlingsplan for 2026: one mål, one aktivitet, one version."""
    from datetime import date

    from areaplans.models import AreaPlan
    from areaplans.services.plans import add_activity, add_goal, start_plan
    from areaplans.services.versions import save_version

    plan = AreaPlan.objects.filter(area=world.area, year=2026).first() or start_plan(
        world.area, 2026
    )
    if not plan.goals.exists():
        add_activity(add_goal(plan, "Fler får stöd i tid"), text="Gemensam utbildning")
        save_version(plan, kind="established", decided_on=date(2026, 2, 1), user=world.user)
    return plan


def kwarg_value(world, namespace, name, argument, converter):
    """A URL argument -> the world's row; `pk` means a different row in each namespace. Any
    other text argument (a third-party view's key, e.g. allauth's password-reset link) gets
    a value that names nothing; an unknown id fails here, to be given a row."""
    by_argument = {
        "area_slug": world.area.slug,
        "case_pk": world.case.pk,
        "meeting_pk": world.meeting.pk,
        "participant_pk": world.participant.pk,
        "grant_pk": world.grant.pk,
        "number": world.version.number,
        "file_format": "csv",
        "year": 2026,  # the area plan's (below) and the Årsrapport's
    }
    if argument in by_argument and not (namespace == "areaplans" and argument == "number"):
        return by_argument[argument]
    if namespace == "groups":
        rows = world.groups
        by_group_argument = {
            "member_pk": rows.member.pk,
            "item_pk": rows.item.pk,
            "attachment_pk": rows.attachment.pk,
            "assignment_pk": rows.assignment.pk,
            "token": rows.answer_token,
            "pk": rows.group.pk if name in GROUP_PK_URLS else rows.meeting.pk,
        }
        if argument in by_group_argument:
            return by_group_argument[argument]
    if namespace == "areaplans":
        plan = area_plan_of(world)
        by_plan_argument = {
            "year": plan.year,
            "goal_pk": plan.goals.first().pk,
            "number": plan.versions.first().number,
            "pk": (
                plan.goals.first().activities.first().pk
                if "activity" in name
                else plan.goals.first().pk
            ),
        }
        if argument in by_plan_argument:
            return by_plan_argument[argument]
    if name.startswith("followup:spindeln_") and argument in ("pk", "token"):
        from followup.services.spindeln import token

        survey = spindeln_round_of(world)
        return survey.pk if argument == "pk" else token(survey.invitations.first())
    if namespace == "followup" and argument == "pk":
        return deviation_of(world).pk
    if argument == "token":
        tokens = {"meetings:answer": world.answer_token, "meetings:delegate": world.delegate_token}
        return tokens.get(name, world.import_token)
    if argument == "pk":
        by_namespace = {
            "": world.case.pk,  # the project's own ärende pages (registerutdrag)
            "cases": world.case.pk,
            "consent": world.consent.pk,
            "meetings": world.meeting.pk,
            "plans": world.action.pk,
        }
        if namespace == "parties":
            return world.unit.pk if "unit" in name else world.contact.pk
        if namespace in by_namespace:
            return by_namespace[namespace]
    if type(converter).__name__ != "IntConverter":
        return "finnsinte"
    raise AssertionError(f"{name}: no value for the URL argument {argument!r}; add it here")


def concrete_urls(world):
    """name -> (the URL, the URL with each id replaced by one no database integer holds)."""
    urls = {}
    for name, arguments in url_patterns():
        namespace = name.rpartition(":")[0]
        kwargs = {a: kwarg_value(world, namespace, name, a, c) for a, c in arguments.items()}
        huge = {
            a: int(HUGE) if type(c).__name__ == "IntConverter" else v
            for (a, v), c in zip(kwargs.items(), arguments.values(), strict=True)
        }
        urls[name] = (
            reverse(name, kwargs=kwargs),
            reverse(name, kwargs=huge) if huge != kwargs else None,
        )
    return urls


# --- reading the forms of a page -------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, file, hidden, date, number, ...
    value: str = ""
    options: list = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    fields: dict = field(default_factory=dict)  # name -> Field

    def merge(self, other):
        for item in other.fields.values():
            known = self.fields.setdefault(item.name, item)
            if known is not item:
                known.options += [o for o in item.options if o not in known.options]


class FormParser(HTMLParser):
    """The page's <form>s and the inputs that post on their own (hx-post outside a form)."""

    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = Form(
                method=(attrs.get("method") or "get").lower(),
                action=urlsplit(attrs.get("action") or self.page_url).path,
            )
            self.forms.append(self.current)
            return
        if tag == "option":
            if self.select is not None:
                self.select.options.append(attrs.get("value", ""))
            return
        if tag not in ("input", "textarea", "select", "button") or not attrs.get("name"):
            return
        kind = attrs.get("type", "text") if tag == "input" else tag
        item = Field(name=attrs["name"], kind=kind, value=attrs.get("value") or "")
        if kind in ("radio", "checkbox", "submit") or tag == "button":
            item.options = [attrs.get("value") or "on"]
        targets = [self.current] if self.current is not None else []
        if attrs.get("hx-post"):
            # An input that saves itself, e.g. the plan's autosave: a form of its own.
            alone = Form(method="post", action=urlsplit(attrs["hx-post"]).path)
            self.forms.append(alone)
            targets.append(alone)
        for form in targets:
            form.merge(Form(form.method, form.action, {item.name: item}))
        if tag == "select":
            self.select = form.fields[item.name] if targets else item
        elif tag == "textarea":
            self.textarea = item

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data


def forms_on(page_url, html) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    return parser.forms


# --- the requests --------------------------------------------------------------------------


def baseline(form: Form) -> dict:
    """What the browser would send untouched: the first option of each choice."""
    data = {}
    for item in form.fields.values():
        if item.kind in ("submit", "button", "file"):
            continue
        if item.kind in ("checkbox", "radio"):
            data[item.name] = item.options[:1]
        elif item.kind == "select":
            data[item.name] = item.options[1:2] or item.options[:1]
        else:
            data[item.name] = [item.value]
    return data


def breakers(item: Field) -> list[str]:
    if item.kind in ("select", "checkbox", "radio"):
        return BREAKERS["choice"]
    if item.kind in ("date", "time", "number"):
        return BREAKERS[item.kind]
    return BREAKERS["text"]


# Not filled with bad values: the CSRF token (the test client does not check it) and the
# buttons. A field like the one before it but for a number (a formset's second form,
# extern-1-name after extern-0-name) gets the same values: only the first is sent them.
NOT_FILLED = {"csrfmiddlewaretoken"}


def fields_to_fill(form: Form) -> list[str]:
    seen, names = set(), []
    for name, item in form.fields.items():
        shape = re.sub(r"[0-9]+", "N", name)
        if item.kind in ("submit", "button") or name in NOT_FILLED or shape in seen:
            continue
        seen.add(shape)
        names.append(name)
    return names


def variants(form: Form, offset: int):
    """(description, data, files) to send to the form's action."""
    base = baseline(form)
    names = fields_to_fill(form)
    yield "allt tomt", {}, {}
    yield "alla fält långa", {n: [LONG] for n in names}, {}
    yield "alla fält med styrtecken", {n: [CONTROL] for n in names}, {}
    too_big = "y" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    yield "för stor kropp", {**base, (names or ["text"])[0]: [too_big]}, {}
    for index, name in enumerate(names):
        item = form.fields[name]
        if item.kind == "file":
            for label, upload in uploads():
                yield f"{name}: {label}", base, {name: upload}
            continue
        start = (offset + index * SAMPLE) % len(CORPUS)
        sample = [CORPUS[(start + i) % len(CORPUS)] for i in range(SAMPLE)]
        for value in dict.fromkeys([*breakers(item), *sample]):
            yield f"{name}={value[:20]!r}", {**base, name: [value]}, {}
        # One of: missing, sent twice, of the wrong type (a list, an object), in turn.
        turn = (offset + index) % 3
        if turn == 0:
            yield f"{name} saknas", {k: v for k, v in base.items() if k != name}, {}
        elif turn == 1:
            yield f"{name} två gånger", {**base, name: [*base.get(name, [""]), "-1"]}, {}
        else:
            yield f"{name} fel typ", {**base, name: ["lista", "[]"] if index % 2 else ["{}"]}, {}


def uploads():
    big = b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024)
    yield "för stor fil", SimpleUploadedFile("stor.pdf", big, content_type="application/pdf")
    yield "tom fil", SimpleUploadedFile("tom.csv", b"", content_type="text/csv")
    yield "text som PDF", SimpleUploadedFile("fel.pdf", b"hej", content_type="application/pdf")
    csv_nul = "Part;Namn;E-post\nArbetsförmedlingen;A\x00B;a@b.se\n".encode()
    yield "CSV med NUL", SimpleUploadedFile("nul.csv", csv_nul, content_type="text/csv")
    csv_long = f"Part;Namn;E-post\nArbetsförmedlingen;{LONG};a@b.se\n".encode()
    yield "CSV med lång cell", SimpleUploadedFile("lang.csv", csv_long, content_type="text/csv")
    yield "binärt som CSV", SimpleUploadedFile("bin.csv", bytes(range(256)) * 50)
    yield "XLSX som inte är en", SimpleUploadedFile("fel.xlsx", b"PK\x03\x04trasig")


def send(client, method, url, data, files):
    if method == "get":
        flat = [(k, v) for k, values in data.items() for v in values]
        return client.get(url + "?" + urlencode(flat))
    return client.post(url, {**data, **files})


# --- what the database holds --------------------------------------------------------------


# Written whatever a request does, so not part of "nothing saved": the audit trail (every
# page read writes a row, refused requests that show the page again too) and the sessions.
NOT_COMPARED = {"cases_caseevent", "django_session"}


def tables():
    return sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and model._meta.db_table not in NOT_COMPARED
    )


def snapshot(names) -> dict:
    """Every row of every table, to compare after a refused request."""
    state = {}
    with connection.cursor() as cursor:
        for table in names:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            state[table] = sorted(map(repr, cursor.fetchall()))
    return state


def changed_tables(before, after) -> list[str]:
    return [table for table in before if before[table] != after[table]]


CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def stored_text_problems() -> list[str]:
    """Text columns of the app's tables with a control character or more than LONGEST."""
    problems = []
    for model in apps.get_models():
        if model._meta.app_label not in {"parties", "cases", "consent", "meetings", "plans"}:
            continue
        columns = [
            c.attname
            for c in model._meta.concrete_fields
            if isinstance(c, models.CharField | models.TextField)
        ]
        for row in model.objects.values_list("pk", *columns):
            for column, value in zip(columns, row[1:], strict=True):
                if value and CONTROL_IN_TEXT.search(value):
                    problems.append(f"{model.__name__}.{column} #{row[0]}: styrtecken")
                if value and len(value) > LONGEST:
                    problems.append(f"{model.__name__}.{column} #{row[0]}: {len(value)} tecken")
    return problems


class NulWatch:
    """Notes every query parameter with NUL in it: SQLite stores it, PostgreSQL answers 500."""

    def __init__(self):
        self.seen = []

    def __call__(self, execute, sql, params, many, context):
        for value in (params or []) if not many else [p for ps in params for p in ps]:
            if isinstance(value, str) and "\x00" in value:
                self.seen.append(sql.split(" WHERE")[0][:80])
        return execute(sql, params, many, context)


# --- the tests ---------------------------------------------------------------------------


def test_every_form_of_the_app_follows_the_input_rules(client):
    """common.forms.InputRules on every form: control characters, limits, ids, dates."""
    apps_ = ("cases", "consent", "meetings", "parties", "plans", "samverk", "common")
    # Every module, so a form named only in a setting (e.g. allauth's ACCOUNT_FORMS) is seen.
    for package in apps_:
        path = importlib.import_module(package).__path__
        for module in pkgutil.walk_packages(path, prefix=f"{package}."):
            if not any(part in module.name for part in ("migrations", "wsgi", "asgi")):
                importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = {
        cls
        for cls in subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in apps_ and not issubclass(cls, forms.BaseFormSet)
    }
    assert ours, "no form found"
    without = sorted(
        f"{c.__module__}.{c.__qualname__}" for c in ours if not issubclass(c, InputRules)
    )
    assert not without, "mix common.forms.InputRules into: " + ", ".join(without)


def test_no_bad_value_gives_a_server_error_or_saves_half_way(client, world):
    client.raise_request_exception = False
    client.force_login(world.user)
    urls = concrete_urls(world)
    names = tables()

    # Read every page: the forms on them say what each view takes.
    targets: dict[tuple[str, str], Form] = {}
    for name, (url, _huge) in urls.items():
        response = client.get(url)
        assert response.status_code < 500, (name, response.status_code)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for form in forms_on(url, response.content.decode()):
            # One target per view: a participant's row posts where the next one's does.
            key = (form.method, resolve(form.action).view_name)
            targets.setdefault(key, Form(form.method, form.action)).merge(form)
    # The world every request starts from: as the pages left it (a first read may store
    # something once, e.g. the login's e-mail address row).
    clean = snapshot(names)
    # Every view is posted to and asked for with bad query parameters and ids, whether a
    # page shows a form for it or not.
    requests = []
    for name, (url, huge) in urls.items():
        targets.setdefault(("post", name), Form("post", url))
        for value in QUERY_VALUES:
            requests.append(("get", url, f"?{value[:20]!r}", {p: [value] for p in QUERY_PARAMS}))
        if huge:
            requests += [("get", huge, "id", {}), ("post", huge, "id", {})]
    for offset, ((method, _view), form) in enumerate(sorted(targets.items())):
        for label, data, files in variants(form, offset):
            requests.append((method, form.action, label, data, files))

    # Logging out (or in) is among the views posted to: each request starts from this session.
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    failures = []
    for method, url, label, data, *files in requests:
        files = files[0] if files else {}
        for upload in files.values():
            upload.seek(0)
        watch = NulWatch()
        with transaction.atomic(), connection.execute_wrapper(watch):
            response = send(client, method, url, data, files)
            status = response.status_code
            where = f"{method.upper()} {url} [{label}] -> {status}"
            body = b"" if response.streaming else response.content
            if status >= 500:
                failures.append(where)
            elif SCRIPT.encode() in body:
                failures.append(f"{where}: <script> oescapat i svaret")
            if watch.seen:
                failures.append(f"{where}: NUL till databasen ({watch.seen[0]})")
            if method == "post" and 400 <= status < 500:
                if changed := changed_tables(clean, snapshot(names)):
                    failures.append(f"{where}: avvisat men ändrade {changed}")
            elif method == "post" and status < 400 and (problems := stored_text_problems()):
                failures.append(f"{where}: {problems[:3]}")
            transaction.set_rollback(True)
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    assert len(requests) > 1000
    assert not failures, f"{len(failures)} of {len(requests)} requests:\n" + "\n".join(
        failures[:80]
    )
