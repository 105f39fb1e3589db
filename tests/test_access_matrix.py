"""Need to know (issue 13): every URL tied to one ärende × every kind of user × GET and POST.

The URLs come from the URL conf: every named pattern is either in TIED_URLS (how to build
its kwargs from the world below, and which methods its view answers) or in NOT_TIED (with
why), or the whole namespace is in NOT_TIED_NAMESPACES; anything else, also an unnamed
pattern, fails test_every_url_has_a_rule. So a new URL without a rule fails.

Who gets in: the ärende's owner, a participant of another party (a user linked to a
Participant of one of its meetings), a colleague it is shared with (an active
CaseAccessGrant) and the coordinator of its area. They get anything but a 404 (200, a
redirect, 400 for a form that does not validate, 403 where the action needs more than
reading, like changing a meeting only its convener and the owner may). Everyone else, what
ever their organisation or other roles, gets a 404 with none of the ärende's text, for
either method (a method the view does not answer: the same as for an id that does not
exist), and changes nothing, not even the audit trail; anonymous users are sent to the
login page (401 for htmx).

The world is built through the services (consent, booking, plan, fastställ, grant), so the
participant's access comes the real way: booking -> meetings.services.participation. One
world per test (an insider's POSTs change it), one test per role × method, every failing
URL in its message.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from cases.models import Case
from cases.services import grant_access, withdraw_access
from consent.services import record_consent
from meetings.enums import Answer, ParticipantKind
from meetings.services import polls
from meetings.services.booking import (
    Booking,
    ParticipantSpec,
    book_meeting,
    booking_warnings,
    cancel_meeting,
)
from meetings.services.calendar import Week
from meetings.services.invitations import record_answer, remove_participant
from plans.services.start import get_or_create_plan
from plans.services.versions import freeze_plan
from tests.factories import (
    ActionFactory,
    CaseFactory,
    GoalFactory,
    OrganisationFactory,
    SamverkAreaFactory,
    UnitFactory,
    UserFactory,
)

HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

# What only the ärende knows: none of it may reach anyone outside. Plain words, so that
# HTML escaping cannot hide a leak.
FIRST, LAST = "Tuvalisa", "Zetterqvist"
SECRETS = {
    "first name": FIRST,
    "last name": LAST,
    "address": "Myrstigen 7",
    "phone": "070-9988776",
    "e-mail": "tuvalisa.z@example.org",
    "wishes": "morbror Ebbe Bergfalk",
    "purpose": "Gnistrande Fjäril",
    "questions": "Kopparkittel",
    "consent restrictions": "Morotskaka",
    "other participant": "Gullviva Persson",
    "current situation": "Tranbärsgrotta",
    "desired situation": "Fyrvaktarstuga",
    "way forward": "Segelflotte",
    "goal": "Blåbärsskog",
    "action": "Kanelsnäcka",
}

# The data that must not change when an outsider knocks: every row of the apps that hold
# an ärende (a new model there is covered by itself).
GUARDED_APPS = ("cases", "consent", "meetings", "plans", "outbox")


@dataclass
class World:
    case: Case
    consent: object
    meeting: object
    plan: object
    version: object
    goal: object
    action: object
    # Participants that an insider's POST may remove or mark: not the participant user's
    # own row, whose removal would end their access in the middle of the test.
    spare: object
    spare_removable: object
    spare_grant: object
    # What lets the participant and the granted colleague in.
    participant_row: object
    grant: object
    users: dict = field(default_factory=dict)
    # "Föreslå tider" (issue 16): an open time poll of the ärende.
    poll: object = None


# --- the URL table ---------------------------------------------------------------------


def case_pk(w):
    return {"pk": w.case.pk}


def case_in_path(w):
    return {"case_pk": w.case.pk}


def consent_pk(w):
    return {"case_pk": w.case.pk, "pk": w.consent.pk}


def meeting_pk(w):
    return {"pk": w.meeting.pk}


def participant_pk(w):
    return {"pk": w.meeting.pk, "participant_pk": w.spare.pk}


def removable_participant_pk(w):
    return {"pk": w.meeting.pk, "participant_pk": w.spare_removable.pk}


def plan_of_meeting(w):
    return {"meeting_pk": w.meeting.pk}


def plan_version(w):
    return {"meeting_pk": w.meeting.pk, "number": w.version.number}


def action_pk(w):
    return {"pk": w.action.pk}


def grant_pk(w):
    return {"pk": w.case.pk, "grant_pk": w.spare_grant.pk}


def poll_pk(w):
    return {"pk": w.poll.pk}


GET, POST, BOTH = ["get"], ["post"], ["get", "post"]

# name -> (its kwargs from the world, the methods its view answers). Order matters for the
# insiders' POSTs, which act: what ends something (close, cancel, remove) comes last.
TIED_URLS = {
    # The ärende
    "cases:detail": (case_pk, GET),
    "cases:update": (case_pk, BOTH),
    "cases:personnummer": (case_pk, POST),
    "cases:history": (case_pk, GET),
    # "Dela med kollega" and "Vem har åtkomst"
    "cases:share": (case_pk, BOTH),
    "cases:share_suggestions": (case_pk, GET),
    "cases:access": (case_pk, GET),
    # The registerutdrag (GDPR art. 15), a project URL as it reads every app
    "registerutdrag": (case_pk, GET),
    # Samtycke
    "consent:list": (case_in_path, GET),
    "consent:create": (case_in_path, BOTH),
    "consent:document": (consent_pk, GET),
    # Meetings
    "meetings:book": (case_in_path, BOTH),
    "meetings:detail": (meeting_pk, GET),
    "meetings:send_invitations": (meeting_pk, POST),
    "meetings:add_participant": (meeting_pk, POST),
    "meetings:contact_suggestions": (meeting_pk, GET),
    "meetings:invitation_pdf": (meeting_pk, GET),
    "meetings:letter_pdf": (meeting_pk, GET),
    "meetings:ics": (meeting_pk, GET),
    "meetings:contribution_pdf": (participant_pk, GET),
    "meetings:run": (meeting_pk, GET),
    "meetings:run_start": (meeting_pk, POST),
    "meetings:run_attendance": (participant_pk, POST),
    "meetings:run_roles": (meeting_pk, POST),
    "meetings:run_agenda": (meeting_pk, POST),
    "meetings:run_walk_in": (meeting_pk, POST),
    "meetings:run_oral_consent": (meeting_pk, POST),
    "meetings:reschedule": (meeting_pk, BOTH),
    # "Föreslå tider"
    "meetings:propose_times": (case_in_path, BOTH),
    "meetings:poll": (poll_pk, GET),
    "meetings:poll_pick": (poll_pk, POST),
    "meetings:poll_remind": (poll_pk, POST),
    # The plan
    "plans:edit": (plan_of_meeting, BOTH),
    "plans:autosave": (plan_of_meeting, POST),
    "plans:rows": (plan_of_meeting, POST),
    "plans:changes": (plan_of_meeting, GET),
    "plans:section": (plan_of_meeting, GET),
    "plans:versions": (plan_of_meeting, GET),
    "plans:version": (plan_version, GET),
    "plans:sign": (plan_version, POST),
    "plans:pdf": (plan_of_meeting, GET),
    "plans:letter": (plan_of_meeting, GET),
    "plans:distribution": (plan_of_meeting, GET),
    "plans:distribute": (plan_of_meeting, POST),
    "plans:freeze": (plan_of_meeting, POST),
    # A commitment (an Action of the plan), from "Mina åtaganden"
    "plans:action_done": (action_pk, POST),
    # What ends something
    "cases:share_withdraw": (grant_pk, POST),
    "meetings:remind": (participant_pk, POST),
    "meetings:interpreter": (meeting_pk, POST),
    "meetings:remove_participant": (removable_participant_pk, POST),
    "consent:revoke": (consent_pk, BOTH),
    "meetings:cancel": (meeting_pk, BOTH),
    "meetings:poll_cancel": (poll_pk, POST),
    "cases:close": (case_pk, BOTH),
}

# Named URLs that take no ärende, meeting, plan, consent, participant or action id, and why.
# Those that list ärenden are checked below (test_list_pages_show_outsiders_nothing).
NOT_TIED = {
    # The user's own overview: only ärenden the user may open.
    "dashboard",
    # Logging in and out, and the ping that keeps a session alive.
    "login",
    "logout",
    "keepalive",
    # The load balancer's probes: counts and ages, no personal data (tests/ops/test_health.py).
    "healthz",
    "readyz",
    # allauth's sign-in pages (samverk/account_urls.py): the user's own account, or none.
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_reauthenticate",
    "account_change_password",
    "account_set_password",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    # The admin's login: to ours (samverk.views.admin_login).
    "admin_login",
    # The user's own second factors (allauth.mfa under konto/tvafaktor/): a security key's id
    # finds only the user's own (tests/parties/test_mfa.py).
    "mfa_index",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_list_webauthn",
    "mfa_add_webauthn",
    "mfa_reauthenticate_webauthn",
    "mfa_remove_webauthn",
    "mfa_edit_webauthn",
    # Single sign-on (samverk/sso_urls.py): an organisation's provider, no ärende; the
    # provider's answer is checked by allauth (tests/parties/test_sso_oidc.py, test_sso_saml.py).
    "openid_connect_login",
    "openid_connect_callback",
    "saml_login",
    "saml_acs",
    "saml_finish_acs",
    "saml_sls",
    "saml_metadata",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "socialaccount_signup",
    # The list and search of ärenden (visible_to), and a new ärende.
    "cases:list",
    "cases:create",
    # The answer links in e-mail: a signed token is the authentication, no login
    # (tests/meetings/test_answers.py).
    "meetings:answer",
    "meetings:delegate",
    # The time poll's answer link, likewise (tests/meetings/test_polls.py).
    "meetings:poll_answer",
    # Week calendars: only what the user may see of each meeting
    # (tests/meetings/test_week_views.py).
    "meetings:my_week",
    # The user's own calendar feed (a token, no ärende; neutral entries of their own
    # meetings) and the page with its address (tests/meetings/test_calendar_feed.py).
    "meetings:subscribe",
    "meetings:renew_feed",
    "meetings:feed",
    "meetings:area_week",
    # "Mina åtaganden": actions of ärenden the user may open (tests/plans/test_commitments.py).
    "plans:commitments",
    # The area's contact lists and units: an area slug, and the pk of a contact person or
    # unit, which are no individual's (tests/parties/).
    "parties:area_list",
    "parties:contact_list",
    "parties:contact_create",
    "parties:contact_update",
    "parties:contact_set_active",
    "parties:contact_list_confirm",
    "parties:unit_list",
    "parties:unit_update",
    "parties:unit_create",
    "parties:area_settings",
    # The area's meeting rooms (issue 18): an area slug and a room's pk, no individual's
    # (tests/parties/test_access.py, tests/parties/test_units_and_settings.py).
    "meetings:room_list",
    "meetings:room_create",
    "meetings:room_update",
    "parties:contact_import",
    "parties:contact_import_preview",
    "parties:contact_export",
    "parties:contact_list_pdf",
}
NOT_TIED_NAMESPACES = {
    # The Django admin has its own login (staff accounts only, none of the roles here) and
    # its own rule for what it shows of an individual (issue 13, part B).
    "admin",
    # The mail provider's delivery webhooks: no login, the provider's signature
    # (tests/outbox/test_webhook.py).
    "anymail",
    # The area's own handlingsplan and its public page: no individual's data; the area's
    # coordinators keep it, its groups' members read it, everyone else 403
    # (tests/areaplans/test_access.py, from the URL conf).
    "areaplans",
    # The Samverk groups (issue 18): no individual's data; the area's coordinators keep them,
    # members see their own, everyone else 403 (tests/groups/test_access.py, from the URL conf).
    "groups",
    # Following up collaboration (issue 19): avvikelser name no individual; the area's
    # coordinators handle them, staff report, an ärende's report needs the ärende's access
    # (404 as cases.access), everyone else 403 (tests/followup/test_access.py, from the URL conf).
    "followup",
}
# Parameters that name an ärende or something of one: a new URL with one of them needs an
# entry in TIED_URLS (the error message says so).
ID_PARAMS = {
    "pk",
    "case_pk",
    "meeting_pk",
    "participant_pk",
    "consent_pk",
    "plan_pk",
    "action_pk",
    "goal_pk",
    "grant_pk",
    "number",
}


def url_patterns(patterns=None, namespace="", params=()):
    """(namespace, name or None, route, parameters) of every pattern in the URL conf."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, ns, (*params, *entry.pattern.converters))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield namespace, name, str(entry.pattern), {*params, *entry.pattern.converters}


def test_every_url_has_a_rule():
    missing, unnamed, found = [], [], set()
    for namespace, name, route, params in url_patterns():
        if namespace.split(":")[0] in NOT_TIED_NAMESPACES:
            continue
        if name is None:
            unnamed.append(route)
            continue
        found.add(name)
        if name not in TIED_URLS and name not in NOT_TIED:
            hint = "tied: add to TIED_URLS" if params & ID_PARAMS else "add to either"
            missing.append(f"{name} ({', '.join(sorted(params))}; {hint})")
    assert not missing, "URLs without an access rule here:\n" + "\n".join(missing)
    assert not unnamed, f"unnamed URL patterns (name them and give them a rule): {unnamed}"
    stale = (set(TIED_URLS) | NOT_TIED) - found
    assert not stale, f"in the tables but not in the URL conf: {sorted(stale)}"
    assert not set(TIED_URLS) & NOT_TIED


def test_the_table_names_the_methods_each_class_view_answers(world):
    # Function views (plans) are checked by the insiders' 405 in test_access_matrix.
    wrong = []
    for name, (build, methods) in TIED_URLS.items():
        view = getattr(resolve(reverse(name, kwargs=build(world))).func, "view_class", None)
        if view is not None:
            answered = [m for m in ("get", "post") if hasattr(view, m)]
            if answered != methods:
                wrong.append(f"{name}: the view answers {answered}, the table says {methods}")
    assert not wrong, "\n".join(wrong)


# --- the world ------------------------------------------------------------------------

INSIDERS = ("owner", "participant", "granted_colleague", "area_coordinator")
OUTSIDERS = (
    "participant_colleague",  # same party as the participant, not in any meeting
    "same_organisation_other_area",  # the owner's organisation, a unit in another area
    "no_role",  # neither handläggare nor coordinator, in the owner's organisation
    "other_area_coordinator",
    "administrator",  # the administrator role only
    "administrator_caseworker",  # an administrator who is also a handläggare
)
ROLES = (*INSIDERS, *OUTSIDERS, "anonymous")


def build_world(settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    area = SamverkAreaFactory(municipality="Sävsjö", slug="savsjo")
    other_area = SamverkAreaFactory(municipality="Tranås", slug="tranas")
    kommun = OrganisationFactory(name="Sävsjö kommun", kind="kommun")
    af = OrganisationFactory(name="Arbetsförmedlingen", kind="arbetsformedlingen")
    unit = UnitFactory(organisation=kommun, area=area, name="Vuxenenheten")
    other_unit = UnitFactory(organisation=kommun, area=other_area, name="Enheten i Tranås")

    def staff(username, organisation=kommun, **extra):
        return UserFactory(username=username, organisation=organisation, **extra)

    users = {
        "owner": staff("agare", unit=unit, is_caseworker=True),
        "participant": staff("af-deltagare", af, is_caseworker=True),
        "granted_colleague": staff("kollega-delad", unit=unit, is_caseworker=True),
        "area_coordinator": staff("koordinator", is_caseworker=False, coordinated_areas=[area]),
        "participant_colleague": staff("af-kollega", af, is_caseworker=True),
        "same_organisation_other_area": staff("kommun-tranas", unit=other_unit),
        "no_role": staff("utan-roll", is_caseworker=False),
        "other_area_coordinator": staff(
            "koordinator-tranas", is_caseworker=False, coordinated_areas=[other_area]
        ),
        "administrator": staff("admin", is_caseworker=False, is_administrator=True),
        "administrator_caseworker": staff(
            "admin-handlaggare", is_caseworker=True, is_administrator=True
        ),
    }
    owner = users["owner"]
    spare_colleague = staff("kollega-reserv", unit=unit, is_caseworker=True)

    case = CaseFactory(
        area=area,
        owner=owner,
        first_name=FIRST,
        last_name=LAST,
        address="Myrstigen 7\n576 99 Lillaberga",
        phone="070-9988776",
        email="tuvalisa.z@example.org",
        wishes="Vill ha med morbror Ebbe Bergfalk",
    )
    consent = record_consent(
        case=case,
        user=owner,
        organisations=[kommun, af],
        form="written",
        covers_premeeting=False,
        given_on=timezone.localdate() - timedelta(days=1),
        valid_until=None,
        restrictions="Inget om Morotskaka",
        document=SimpleUploadedFile("samtycke.pdf", PDF),
    )

    day = timezone.localdate() + timedelta(days=30)
    starts = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 10, 0))
    participant = users["participant"]
    booking = Booking(
        case=case,
        kind="samverkansmote",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        convening_organisation=kommun,
        convened_by=owner,
        purpose="Planera vägen mot Gnistrande Fjäril",
        questions="Hur fungerar Kopparkittel?",
        location="Kommunhuset, rum 3",
        participants=[
            ParticipantSpec(
                kind=ParticipantKind.STAFF,
                name=participant.get_full_name(),
                email=participant.email,
                user=participant,
                organisation=af,
            ),
            ParticipantSpec(kind=ParticipantKind.INDIVIDUAL, name=case.individual_name),
            ParticipantSpec(
                kind=ParticipantKind.EXTERNAL,
                name="Gullviva Persson",
                organisation_name="Föreningen Stöd",
                email="gullviva@example.org",
            ),
            ParticipantSpec(
                kind=ParticipantKind.EXTERNAL,
                name="Gullviva Perssons ersättare",
                organisation_name="Föreningen Stöd",
                email="ersattare@example.org",
            ),
        ],
    )
    accepted = {w.code for w in booking_warnings(booking)}
    meeting = book_meeting(booking, accepted=accepted)
    spare = meeting.participants.get(email="gullviva@example.org")
    spare_removable = meeting.participants.get(email="ersattare@example.org")
    # A decline with a written contribution, through the answer link's service (issue 16).
    record_answer(
        participant=spare,
        answer=Answer.DECLINED,
        contribution_text="Mitt underlag",
        contribution_file=SimpleUploadedFile(
            "underlag.pdf", PDF.replace(b"%%EOF", b"startxref\n0\n%%EOF"), "application/pdf"
        ),
    )

    plan = get_or_create_plan(meeting)
    plan.current_situation = "Bor i en Tranbärsgrotta"
    plan.desired_situation = "Ett arbete i en Fyrvaktarstuga"
    plan.way_forward = "Bygga en Segelflotte"
    plan.save()
    goal = GoalFactory(plan=plan, text="Gå i en Blåbärsskog")
    action = ActionFactory(
        plan=plan,
        what="Baka en Kanelsnäcka",
        responsible_organisation=af,
        due_on=timezone.localdate() + timedelta(days=60),
    )
    version = freeze_plan(plan=plan, user=owner)

    grant = grant_access(
        case=case,
        user=owner,
        colleague=users["granted_colleague"],
        reason="Vikarierar under semestern",
    )
    spare_grant = grant_access(
        case=case, user=owner, colleague=spare_colleague, reason="Tar över i höst"
    )
    poll = polls.propose_times(
        booking,
        [
            polls.ProposedTime(
                starts_at=starts + timedelta(days=days),
                ends_at=starts + timedelta(days=days, hours=1),
                accepted={
                    w.code
                    for w in booking_warnings(
                        polls.booking_at(
                            booking,
                            polls.ProposedTime(
                                starts + timedelta(days=days),
                                starts + timedelta(days=days, hours=1),
                            ),
                        )
                    )
                },
            )
            for days in (7, 8)
        ],
        answer_by=timezone.localdate() + timedelta(days=7),
    )
    return World(
        poll=poll,
        case=case,
        consent=consent,
        meeting=meeting,
        plan=plan,
        version=version,
        goal=goal,
        action=action,
        spare=spare,
        spare_removable=spare_removable,
        spare_grant=spare_grant,
        participant_row=meeting.participants.get(user=participant),
        grant=grant,
        users=users,
    )


@pytest.fixture
def world(db, settings, tmp_path):
    return build_world(settings, tmp_path)


# --- requests -------------------------------------------------------------------------

# One body for every POST, with what many of the forms ask for: an outsider's POST that
# got past the check would have something to save.
POST_DATA = {
    "reason": "Utomstående försöker",
    "op": "goal_add",
    "current_situation": "Skrivet utifrån",
    "version-current_situation": "9",
    "role": "staff",
    "method": "app",
    "name": "Utomstående Person",
    "email": "utomstaende@example.org",
    "organisation_name": "Okänd part",
    "kind": "external",
    "attendance": "present",
    "done_on": timezone.localdate().isoformat(),
    "item": "consent",
    "done": "on",
}


def send(client, method, url, **headers):
    if method == "post":
        return client.post(url, POST_DATA, **headers)
    return client.get(url, **headers)


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def leaks(response) -> list[str]:
    body = body_of(response) + response.get("Location", "")
    return [what for what, text in SECRETS.items() if text in body]


def fingerprint():
    """Every row of the guarded apps, as values."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for label in GUARDED_APPS
        for model in apps.get_app_config(label).get_models()
    }


def missing_ids(kwargs):
    return {key: 10**9 if isinstance(value, int) else value for key, value in kwargs.items()}


def rule_says(user, case) -> tuple[bool, bool]:
    return case.is_visible_to(user), Case.objects.visible_to(user).filter(pk=case.pk).exists()


# --- the matrix -----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, world, role, method):
    user = world.users.get(role)
    if user is not None:
        client.force_login(user)
        expected = role in INSIDERS
        assert rule_says(user, world.case) == (expected, expected), (
            f"{role}: Case.is_visible_to / visible_to say {rule_says(user, world.case)}"
        )
    before = fingerprint()
    failures = []
    for name, (build, methods) in TIED_URLS.items():
        kwargs = build(world)
        url = reverse(name, kwargs=kwargs)
        answered = method in methods
        if role == "anonymous":
            response = send(client, method, url)
            location = response.get("Location", "")
            if response.status_code != 302 or not location.startswith(reverse("login")):
                failures.append(f"{name}: {response.status_code} {location}, not to login")
            response = send(client, method, url, **HTMX)
            if response.status_code != 401:
                failures.append(f"{name} (htmx): {response.status_code}, not 401")
        elif role in INSIDERS:
            response = send(client, method, url)
            status = response.status_code
            if answered and (status == 404 or status >= 500):
                failures.append(f"{name}: {status}")
            elif not answered and status not in (403, 405):
                # 403 before 405 is fine for one who may open the ärende.
                failures.append(f"{name}: {status} for {method}, which it does not answer")
        else:
            # A method the view does not answer: whatever a missing id gets, so the answer
            # says nothing of whether the ärende exists.
            want = 404
            if not answered:
                missing = reverse(name, kwargs=missing_ids(kwargs))
                want = send(client, method, missing).status_code
            for headers in ({}, HTMX):
                response = send(client, method, url, **headers)
                how = f"{name}{' (htmx)' if headers else ''}"
                if response.status_code != want:
                    failures.append(f"{how}: {response.status_code}, not {want}")
                if found := leaks(response):
                    failures.append(f"{how}: the body shows {', '.join(found)}")
    if role not in INSIDERS:
        after = fingerprint()
        changed = [label for label in before if before[label] != after[label]]
        if changed:
            failures.append(f"rows written or changed: {', '.join(changed)}")
    assert not failures, f"{role} {method.upper()}:\n" + "\n".join(failures)


# --- access that ends ------------------------------------------------------------------


def end_participation(world):
    remove_participant(participant=world.participant_row, user=world.case.owner)
    return world.users["participant"]


def cancel_the_meeting(world):
    cancel_meeting(meeting=world.meeting, user=world.case.owner, reason="Hen har flyttat")
    return world.users["participant"]


def withdraw_the_grant(world):
    withdraw_access(grant=world.grant, user=world.case.owner)
    return world.users["granted_colleague"]


@pytest.mark.parametrize("end", [end_participation, cancel_the_meeting, withdraw_the_grant])
def test_when_the_reason_ends_so_does_access(client, world, end):
    user = end(world)
    assert rule_says(user, world.case) == (False, False)
    client.force_login(user)
    failures = []
    for name, (build, methods) in TIED_URLS.items():
        for method in methods:
            response = send(client, method, reverse(name, kwargs=build(world)))
            if response.status_code != 404:
                failures.append(f"{name} {method}: {response.status_code}")
            if found := leaks(response):
                failures.append(f"{name} {method}: the body shows {', '.join(found)}")
    assert not failures, f"{end.__name__}:\n" + "\n".join(failures)


# --- the lists of ärenden: the same rule --------------------------------------------------


def list_pages(world):
    week = Week.containing(timezone.localdate(world.meeting.starts_at)).param
    af = world.users["participant"].organisation_id
    return [
        ("dashboard", {}, {}),
        ("cases:list", {}, {}),
        ("cases:list", {}, {"omfang": "alla", "status": "alla"}),
        # A part of the name: the search box shows back what was typed.
        ("cases:list", {}, {"omfang": "alla", "status": "alla", "q": LAST[:7]}),
        ("meetings:my_week", {}, {"vecka": week}),
        ("meetings:area_week", {"area_slug": "savsjo"}, {"vecka": week}),
        ("plans:commitments", {}, {}),
        ("plans:commitments", {}, {"part": af}),
    ]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_list_pages_show_outsiders_nothing(client, world, role):
    client.force_login(world.users[role])
    failures = []
    for name, kwargs, params in list_pages(world):
        response = client.get(reverse(name, kwargs=kwargs), params)
        if response.status_code >= 500:
            failures.append(f"{name} {params}: {response.status_code}")
        if found := leaks(response):
            failures.append(f"{name} {params}: shows {', '.join(found)}")
    assert not failures, f"{role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", INSIDERS)
def test_insiders_find_the_arende_in_the_list(client, world, role):
    client.force_login(world.users[role])
    url = reverse("cases:list")
    response = client.get(url, {"omfang": "alla", "status": "alla", "q": LAST})
    assert response.status_code == 200
    assert LAST in response.content.decode()


# --- booking for a colleague (issue 16) ------------------------------------------------

# GET status per insider: the area's coordinator books, moves and cancels for the owner
# (and proposes times, sees the poll's grid);
# the participant and the granted colleague may book as themselves (handläggare with an
# organisation) but not move or cancel a meeting they did not convene.
MAY = {
    "meetings:book": 200,
    "meetings:propose_times": 200,
    "meetings:reschedule": 200,
    "meetings:cancel": 200,
    "meetings:poll": 200,
}
BOOKING_RULE = {
    "owner": MAY,
    "area_coordinator": MAY,
    "participant": {
        **MAY,
        "meetings:reschedule": 403,
        "meetings:cancel": 403,
        "meetings:poll": 403,
    },
    "granted_colleague": {
        **MAY,
        "meetings:reschedule": 403,
        "meetings:cancel": 403,
        "meetings:poll": 403,
    },
}


@pytest.mark.parametrize("role", INSIDERS)
def test_who_books_moves_and_cancels(client, world, role):
    client.force_login(world.users[role])
    got = {
        name: client.get(reverse(name, kwargs=TIED_URLS[name][0](world))).status_code
        for name in BOOKING_RULE[role]
    }
    assert got == BOOKING_RULE[role]
