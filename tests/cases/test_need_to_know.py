"""Need to know (issue 13): who may open an ärende, per person, not per organisation.

Every role of the issue × the one queryset rule (``visible_to``), the one predicate
(``is_visible_to``) and the ärende page: the three agree, and only the owner, a
participant (as themselves, until CASE_PARTICIPANT_ACCESS_DAYS after their last meeting),
a colleague it is shared with and the area's coordinator get in. Then "Dela med kollega"
and "Vem har åtkomst".
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.enums import CaseAction
from cases.models import Case, CaseAccessGrant, CaseEvent
from meetings.services.invitations import name_caseworker
from tests.factories import (
    CaseFactory,
    ContactPersonFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

NAME = "Signe Hemligsdotter"
DAY = timedelta(days=1)

# role -> may open the ärende
ROLES = {
    "owner": True,
    "coordinator": True,
    "participant": True,
    "participant_89_days_after": True,
    "contact_person_with_account": True,
    "named_caseworker": True,
    "administrator_participant": True,  # an administrator who is a handläggare too
    "granted": True,
    "grant_ending_today": True,
    "participant_colleague": False,  # same party as the participant, not in a meeting
    "same_organisation_other_area": False,  # the owner's kommun, another area's work
    "no_role_user": False,
    "no_role_participant": False,  # takes part, but has no staff role
    "other_coordinator": False,
    "administrator": False,
    "expired_grant": False,
    "withdrawn_grant": False,
    "participant_91_days_after": False,
    "removed_participant": False,
    "cancelled_meeting_participant": False,
    "shared_address": False,  # a contact's address that two users have
}


def ago(days):
    """A meeting's start ``days`` days ago (ends an hour later)."""
    return timezone.now() - timedelta(days=days, hours=1)


@pytest.fixture
def world(db, area, other_area):
    kommun = OrganisationFactory(name="Sävsjö kommun")
    fk = OrganisationFactory(name="Försäkringskassan", kind="forsakringskassan")
    af = OrganisationFactory(name="Arbetsförmedlingen", kind="arbetsformedlingen")
    owner = UserFactory(username="agare", organisation=kommun)
    u = {
        "owner": owner,
        "coordinator": UserFactory(
            username="koord", is_caseworker=False, coordinated_areas=[area], organisation=kommun
        ),
        "participant": UserFactory(username="fk-deltar", organisation=fk),
        "participant_89_days_after": UserFactory(username="fk-89", organisation=fk),
        "contact_person_with_account": UserFactory(
            username="af-kontakt", organisation=af, email="Kontakt@AF.example"
        ),
        "named_caseworker": UserFactory(
            username="af-namngiven", organisation=af, email="namngiven@af.example"
        ),
        "administrator_participant": UserFactory(
            username="admin-hl", organisation=fk, is_administrator=True
        ),
        "granted": UserFactory(username="kollega", organisation=kommun),
        "grant_ending_today": UserFactory(username="kollega-idag", organisation=kommun),
        "participant_colleague": UserFactory(username="fk-kollega", organisation=fk),
        "same_organisation_other_area": UserFactory(username="kommun-annan", organisation=kommun),
        "no_role_user": UserFactory(username="ingen", is_caseworker=False, organisation=kommun),
        "no_role_participant": UserFactory(
            username="ingen-deltar", is_caseworker=False, organisation=fk
        ),
        "other_coordinator": UserFactory(
            username="koord-tranas", is_caseworker=False, coordinated_areas=[other_area]
        ),
        "administrator": UserFactory(
            username="admin", is_caseworker=False, is_administrator=True, organisation=kommun
        ),
        "expired_grant": UserFactory(username="kollega-slut", organisation=kommun),
        "withdrawn_grant": UserFactory(username="kollega-aterkallad", organisation=kommun),
        "participant_91_days_after": UserFactory(username="fk-91", organisation=fk),
        "removed_participant": UserFactory(username="fk-borttagen", organisation=fk),
        "cancelled_meeting_participant": UserFactory(username="fk-installt", organisation=fk),
        "shared_address": UserFactory(
            username="delad-1", organisation=af, email="gemensam@af.example"
        ),
    }
    UserFactory(username="delad-2", organisation=af, email="GEMENSAM@af.example")

    case = CaseFactory(area=area, owner=owner, first_name="Signe", last_name="Hemligsdotter")
    # The old rule's involved parties: opens nothing now.
    case.involved_organisations.add(kommun, fk, af)
    elsewhere = CaseFactory(area=other_area, owner=u["same_organisation_other_area"])
    elsewhere.involved_organisations.add(kommun, fk)

    def staff(meeting, user, **fields):
        return ParticipantFactory(
            meeting=meeting,
            kind="staff",
            user=user,
            organisation=user.organisation,
            name=str(user),
            **fields,
        )

    upcoming = MeetingFactory(case=case)
    for role in ("participant", "no_role_participant", "administrator_participant"):
        staff(upcoming, u[role])
    staff(upcoming, u["removed_participant"], removed_at=timezone.now())
    contact = ContactPersonFactory(area=area, organisation=af, email="kontakt@af.example")
    ParticipantFactory(
        meeting=upcoming,
        kind="contact",
        contact_person=contact,
        organisation=af,
        name=contact.name,
        email=contact.email,
    )
    shared = ContactPersonFactory(area=area, organisation=af, email="gemensam@af.example")
    ParticipantFactory(
        meeting=upcoming,
        kind="contact",
        contact_person=shared,
        organisation=af,
        name=shared.name,
        email=shared.email,
    )
    delegated = ContactPersonFactory(area=area, organisation=af, email="samverk@af.example")
    link = ParticipantFactory(
        meeting=upcoming,
        kind="contact",
        contact_person=delegated,
        organisation=af,
        name=delegated.name,
        email=delegated.email,
    )
    name_caseworker(participant=link, name="Namngiven Handläggare", email="namngiven@af.example")

    for days, role in ((89, "participant_89_days_after"), (91, "participant_91_days_after")):
        past = MeetingFactory(case=case, starts_at=ago(days))
        staff(past, u[role])
    cancelled = MeetingFactory(case=case, status="cancelled", cancelled_at=timezone.now())
    staff(cancelled, u["cancelled_meeting_participant"])

    today = timezone.localdate()
    for role, ends_on in (("granted", None), ("grant_ending_today", today)):
        services.grant_access(
            case=case, user=owner, colleague=u[role], reason="Semestervikarie", ends_on=ends_on
        )
    CaseAccessGrant.objects.create(
        case=case,
        user=u["expired_grant"],
        granted_by=owner,
        reason="Förra månaden",
        ends_on=today - DAY,
    )
    withdrawn = services.grant_access(
        case=case, user=owner, colleague=u["withdrawn_grant"], reason="Tillfälligt"
    )
    services.withdraw_access(grant=withdrawn, user=owner)
    return {"users": u, "case": case, "elsewhere": elsewhere}


def test_every_role_is_covered(world):
    assert set(world["users"]) == set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_the_queryset_the_predicate_and_the_page_agree(client, world, role):
    user, case = world["users"][role], world["case"]
    visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
    for each in Case.objects.all():
        assert each.is_visible_to(user) == (each.pk in visible), (role, each.pk)
    assert (case.pk in visible) is ROLES[role], role
    client.force_login(user)
    response = client.get(case.get_absolute_url())
    content = response.content.decode()
    if ROLES[role]:
        assert response.status_code == 200, role
        assert NAME in content
    else:
        assert response.status_code == 404, role
        assert "Signe" not in content and "Hemligsdotter" not in content
    # The list shows exactly the same.
    listed = client.get(reverse("cases:list"), {"omfang": "alla", "status": "alla"})
    assert {c.pk for c in listed.context["cases"]} == visible


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Case.objects.visible_to(AnonymousUser()).exists()
    assert not world["case"].is_visible_to(AnonymousUser())


def test_participant_access_ends_after_the_configured_days(settings, world):
    """The participant's end is computed when the meetings change: a new setting applies
    from the next change (or manage.py sync_participation)."""
    from meetings.services.participation import rebuild_participation

    user, case = world["users"]["participant_89_days_after"], world["case"]
    assert case.is_visible_to(user)
    settings.CASE_PARTICIPANT_ACCESS_DAYS = 30
    rebuild_participation()
    assert not case.is_visible_to(user)
    assert not Case.objects.visible_to(user).filter(pk=case.pk).exists()


def test_a_closed_case_stays_open_to_its_owner_and_coordinator(world):
    case, u = world["case"], world["users"]
    services.close_case(case=case, user=u["owner"], reason="Klart")
    assert case.is_visible_to(u["owner"]) and case.is_visible_to(u["coordinator"])


def test_an_owner_without_a_staff_role_opens_nothing(world):
    owner, case = world["users"]["owner"], world["case"]
    owner.is_caseworker = False
    owner.save()
    assert not case.is_visible_to(owner)
    assert not Case.objects.visible_to(owner).exists()


def test_the_check_costs_no_query_for_the_owner_and_one_for_anyone_else(world):
    case = Case.objects.get(pk=world["case"].pk)
    for role, expected in (("owner", 0), ("participant", 1), ("coordinator", 1), ("admin", 1)):
        user = world["users"].get(role) or world["users"]["administrator"]
        with CaptureQueriesContext(connection) as queries:
            case.is_visible_to(user)
        assert len(queries) == expected, (role, [q["sql"] for q in queries])


# --- "Vem har åtkomst" -------------------------------------------------------------------


def test_who_has_access_lists_exactly_those_who_may_open(world):
    from parties.models import User

    case = world["case"]
    listed = {access.user.pk for access in services.people_with_access(case)}
    may_open = {user.pk for user in User.objects.all() if case.is_visible_to(user)}
    assert listed == may_open
    assert listed == {world["users"][role].pk for role, opens in ROLES.items() if opens}


def test_access_page_says_why_and_is_logged(client_for, world):
    u, case = world["users"], world["case"]
    client = client_for(u["owner"])
    before = CaseEvent.objects.filter(case=case, action=CaseAction.ACCESS_LIST_VIEWED).count()
    response = client.get(reverse("cases:access", args=[case.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    for text in (
        "Ägare",
        "Samverkanskoordinator för området",
        "Deltagare i Samverkansmöte",
        "Delad av",
        "Semestervikarie",
        "Försäkringskassan",
        str(u["named_caseworker"]),
        str(u["granted"]),
    ):
        assert text in content, text
    for role in ("participant_colleague", "expired_grant", "withdrawn_grant", "administrator"):
        assert str(u[role]) not in content, role
    after = CaseEvent.objects.filter(case=case, action=CaseAction.ACCESS_LIST_VIEWED).count()
    assert after == before + 1


@pytest.mark.parametrize("name", ["cases:access", "cases:share"])
@pytest.mark.parametrize(
    "role,status",
    [
        ("coordinator", 200),
        ("participant", 403),
        ("granted", 403),
        ("administrator", 404),
        ("participant_colleague", 404),
    ],
)
def test_sharing_pages_are_for_owner_and_coordinator(client_for, world, name, role, status):
    response = client_for(world["users"][role]).get(reverse(name, args=[world["case"].pk]))
    assert response.status_code == status
    if status == 404:
        assert "Hemligsdotter" not in response.content.decode()


def test_case_page_links_both_pages_for_managers_only(client_for, world):
    case = world["case"]
    share, access = reverse("cases:share", args=[case.pk]), reverse("cases:access", args=[case.pk])
    content = client_for(world["users"]["owner"]).get(case.get_absolute_url()).content.decode()
    assert share in content and access in content
    content = client_for(world["users"]["participant"]).get(case.get_absolute_url())
    assert share not in content.content.decode()


# --- "Dela med kollega" ------------------------------------------------------------------


@pytest.fixture
def newcomer(world):
    return UserFactory(
        username="nykomling",
        first_name="Nora",
        last_name="Nykomling",
        organisation=world["users"]["owner"].organisation,
    )


def test_share_gives_access_until_the_day_and_is_in_the_history(client_for, world, newcomer):
    case, owner = world["case"], world["users"]["owner"]
    assert not case.is_visible_to(newcomer)
    ends_on = timezone.localdate() + timedelta(days=14)
    response = client_for(owner).post(
        reverse("cases:share", args=[case.pk]),
        {
            "colleague": "Nora Nykomling",
            "reason": "Tar över under sjukskrivning",
            "ends_on": ends_on.isoformat(),
        },
    )
    assert response.status_code == 302
    grant = CaseAccessGrant.objects.get(case=case, user=newcomer)
    assert (grant.reason, grant.ends_on, grant.granted_by) == (
        "Tar över under sjukskrivning",
        ends_on,
        owner,
    )
    assert case.is_visible_to(newcomer)
    event = CaseEvent.objects.filter(case=case, action=CaseAction.ACCESS_GRANTED).first()
    assert event.data["reason"] == "Tar över under sjukskrivning"
    assert event.data["ends_on"] == ends_on.isoformat()
    assert event.data["colleague"] == newcomer.pk
    history = client_for(owner).get(reverse("cases:history", args=[case.pk])).content.decode()
    assert "Ärendet delades med en kollega" in history
    assert "Tar över under sjukskrivning" in history


def test_the_coordinator_may_share_within_their_own_organisation(client_for, world, newcomer):
    case = world["case"]
    response = client_for(world["users"]["coordinator"]).post(
        reverse("cases:share", args=[case.pk]),
        {"colleague": newcomer.email, "reason": "Behöver läsa in sig"},
    )
    assert response.status_code == 302
    assert case.is_visible_to(newcomer)
    assert CaseAccessGrant.objects.get(user=newcomer).ends_on is None


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"colleague": "Nora Nykomling", "reason": "  "}, "reason", "Ange varför"),
        ({"colleague": "", "reason": "Skäl"}, "colleague", "Välj vem"),
        ({"colleague": "Ingen Alls", "reason": "Skäl"}, "colleague", "Ingen kollega"),
        # Another organisation's user, a user without a role: not colleagues to share with.
        ({"colleague": "fk-kollega@example.se", "reason": "Skäl"}, "colleague", "Ingen kollega"),
        ({"colleague": "ingen@example.se", "reason": "Skäl"}, "colleague", "Ingen kollega"),
        (
            {"colleague": "Nora Nykomling", "reason": "Skäl", "ends_on": "2020-01-01"},
            "ends_on",
            "redan varit",
        ),
        (
            {"colleague": "Nora Nykomling", "reason": "Skäl", "ends_on": "i morgon"},
            "ends_on",
            "Ange ett datum",
        ),
    ],
)
def test_bad_input_is_400_beside_the_field_and_saves_nothing(
    client_for, world, newcomer, data, field, message
):
    case = world["case"]
    grants, events = (
        CaseAccessGrant.objects.count(),
        CaseEvent.objects.filter(action=CaseAction.ACCESS_GRANTED).count(),
    )
    response = client_for(world["users"]["owner"]).post(
        reverse("cases:share", args=[case.pk]), data
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    assert message in content
    assert CaseAccessGrant.objects.count() == grants
    assert CaseEvent.objects.filter(action=CaseAction.ACCESS_GRANTED).count() == events


def test_two_colleagues_with_the_same_name_are_offered_to_pick_from(client_for, world, newcomer):
    twin = UserFactory(
        username="nykomling-2",
        first_name="Nora",
        last_name="Nykomling",
        organisation=newcomer.organisation,
    )
    response = client_for(world["users"]["owner"]).post(
        reverse("cases:share", args=[world["case"].pk]),
        {"colleague": "Nora Nykomling", "reason": "Skäl"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Flera kollegor heter" in content
    assert f"({newcomer.email})" in content and f"({twin.email})" in content


def test_suggestions_are_staff_of_ones_own_organisation(client_for, world, newcomer):
    url = reverse("cases:share_suggestions", args=[world["case"].pk])
    client = client_for(world["users"]["owner"])
    found = client.get(url, {"colleague": "nykom"}).content.decode()
    assert "Nora Nykomling" in found
    # Not the no-role user, not another party's staff, not oneself.
    for text in ("ingen@example.se", "fk-kollega", "agare@example.se"):
        assert text not in client.get(url, {"colleague": text.split("@")[0]}).content.decode()
    assert client.get(url, {"colleague": "x" * 301}).status_code == 400
    outsider = client_for(world["users"]["participant_colleague"])
    assert outsider.get(url, {"colleague": "nykom"}).status_code == 404


def test_withdraw_ends_access_and_is_logged(client_for, world):
    case, u = world["case"], world["users"]
    grant = CaseAccessGrant.objects.get(case=case, user=u["granted"])
    client = client_for(u["owner"])
    response = client.post(reverse("cases:share_withdraw", args=[case.pk, grant.pk]))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.withdrawn_at is not None and grant.withdrawn_by == u["owner"]
    assert not case.is_visible_to(u["granted"])
    assert (
        CaseEvent.objects.filter(
            case=case, action=CaseAction.ACCESS_WITHDRAWN, data__grant=grant.pk
        ).count()
        == 1
    )
    # Once is enough; a participant may not; an outsider gets 404.
    client.post(reverse("cases:share_withdraw", args=[case.pk, grant.pk]))
    assert (
        CaseEvent.objects.filter(action=CaseAction.ACCESS_WITHDRAWN, data__grant=grant.pk).count()
        == 1
    )
    other = CaseAccessGrant.objects.get(case=case, user=u["grant_ending_today"])
    url = reverse("cases:share_withdraw", args=[case.pk, other.pk])
    assert client_for(u["participant"]).post(url).status_code == 403
    assert client_for(u["administrator"]).post(url).status_code == 404
    other.refresh_from_db()
    assert other.withdrawn_at is None


def test_a_grant_of_another_case_cannot_be_withdrawn_through_this_one(client_for, world):
    case, u = world["case"], world["users"]
    elsewhere = CaseFactory(area=case.area, owner=u["owner"])
    grant = services.grant_access(
        case=elsewhere, user=u["owner"], colleague=u["granted"], reason="Annat ärende"
    )
    url = reverse("cases:share_withdraw", args=[case.pk, grant.pk])
    assert client_for(u["owner"]).post(url).status_code == 404
    grant.refresh_from_db()
    assert grant.withdrawn_at is None


def test_the_history_names_the_colleague_the_reason_and_the_end(client_for, world, newcomer):
    case, owner = world["case"], world["users"]["owner"]
    ends_on = timezone.localdate() + timedelta(days=3)
    services.grant_access(
        case=case, user=owner, colleague=newcomer, reason="Vikarierar", ends_on=ends_on
    )
    history = client_for(owner).get(reverse("cases:history", args=[case.pk])).content.decode()
    assert f"Ärendet delades med en kollega ({newcomer}): Vikarierar, till och med {ends_on}" in (
        history
    )
    assert f"Delning med en kollega återkallades ({world['users']['withdrawn_grant']})" in history
