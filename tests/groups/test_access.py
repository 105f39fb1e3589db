"""Who reaches a group's pages, from the URL conf: every named URL of groups/urls.py has a
rule below, or test_every_group_url_has_a_rule fails.

The area's coordinator gets anything but 403/404 everywhere; a member of the group reads
(the group, its meetings, the roster's exports, the minutes PDF) and is refused (403) what
keeps the group; a member of another area's group, and a user with no role, get 403 for
every URL and either method, see nothing of the group and change nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from groups.enums import GroupKind
from groups.models import AgendaItem, Assignment, Group, GroupMeeting, GroupMember
from groups.services import booking, minutes
from tests.factories import OrganisationFactory, UserFactory

from .test_services import PDF

GET, POST = "GET", "POST"
# name -> (kwargs from the world, methods, whether a member may use it)
RULES = {
    "groups:detail": (lambda w: {"pk": w.group.pk}, [GET], True),
    "groups:edit": (lambda w: {"pk": w.group.pk}, [POST], False),
    "groups:member_add": (lambda w: {"pk": w.group.pk}, [GET, POST], False),
    "groups:member_edit": (
        lambda w: {"pk": w.group.pk, "member_pk": w.member.pk},
        [GET, POST],
        False,
    ),
    "groups:roster_confirm": (lambda w: {"pk": w.group.pk}, [POST], False),
    "groups:roster_pdf": (lambda w: {"pk": w.group.pk}, [GET], True),
    "groups:roster_export": (lambda w: {"pk": w.group.pk, "file_format": "csv"}, [GET], True),
    "groups:meeting_create": (lambda w: {"pk": w.group.pk}, [GET, POST], False),
    "groups:meeting": (lambda w: {"pk": w.meeting.pk}, [GET], True),
    "groups:meeting_send": (lambda w: {"pk": w.meeting.pk}, [POST], False),
    "groups:meeting_cancel": (lambda w: {"pk": w.meeting.pk}, [POST], False),
    "groups:item_attach": (
        lambda w: {"pk": w.meeting.pk, "item_pk": w.item.pk},
        [POST],
        False,
    ),
    "groups:attachment": (
        lambda w: {"pk": w.meeting.pk, "attachment_pk": w.attachment.pk},
        [GET],
        True,
    ),
    "groups:minutes": (lambda w: {"pk": w.meeting.pk}, [GET, POST], False),
    "groups:autosave": (lambda w: {"pk": w.meeting.pk}, [POST], False),
    "groups:attendance": (lambda w: {"pk": w.meeting.pk}, [POST], False),
    "groups:assignment_add": (lambda w: {"pk": w.meeting.pk}, [POST], False),
    "groups:freeze": (lambda w: {"pk": w.meeting.pk}, [POST], False),
    "groups:send_minutes": (lambda w: {"pk": w.meeting.pk}, [POST], False),
    "groups:minutes_pdf": (lambda w: {"pk": w.meeting.pk}, [GET], True),
    "groups:assignment_done": (lambda w: {"assignment_pk": w.assignment.pk}, [POST], False),
    "groups:assignment_edit": (lambda w: {"assignment_pk": w.assignment.pk}, [GET, POST], False),
    "groups:meeting_move": (lambda w: {"pk": w.meeting.pk}, [GET, POST], False),
    "groups:item_add": (lambda w: {"pk": w.meeting.pk}, [GET, POST], False),
    "groups:item_edit": (lambda w: {"pk": w.meeting.pk, "item_pk": w.item.pk}, [GET, POST], False),
    "groups:item_move": (lambda w: {"pk": w.meeting.pk, "item_pk": w.item.pk}, [POST], False),
    "groups:item_remove": (lambda w: {"pk": w.meeting.pk, "item_pk": w.item.pk}, [POST], False),
}
# Not tied to one group: each shows only the user's own (tested below).
NOT_TIED = {
    "groups:list": "lists only the user's groups",
    "groups:create": "creates in an area the user coordinates (POST area), else 403",
    "groups:my_assignments": "the user's own uppdrag",
    "groups:answer": "no login: the signed token (test_answer_link_*)",
}


def group_url_names():
    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
                yield from walk(entry.url_patterns, ns)
            elif isinstance(entry, URLPattern) and prefix.startswith("groups:"):
                yield f"{prefix}{entry.name}"

    return list(walk(get_resolver().url_patterns, ""))


def test_every_group_url_has_a_rule():
    names = group_url_names()
    assert names, "groups/urls.py is not mounted"
    missing = [n for n in names if n not in RULES and n not in NOT_TIED]
    assert not missing, f"URLs without an access rule in tests/groups/test_access.py: {missing}"


class World:
    pass


@pytest.fixture
def world(styrgrupp, member_user, book, other_area):
    w = World()
    w.group = styrgrupp
    w.member = styrgrupp.members.exclude(user=member_user).first()
    w.meeting = book(styrgrupp)
    w.item = w.meeting.items.first()
    w.attachment = booking.attach_background(w.item, SimpleUploadedFile("Budget.pdf", PDF))
    own = styrgrupp.members.get(user=member_user)
    w.assignment = minutes.add_assignment(meeting=w.meeting, what="Hemligt uppdrag", owner=w.member)
    w.own_assignment = minutes.add_assignment(meeting=w.meeting, what="Mitt", owner=own)
    # A member of another area's group.
    other = Group.objects.create(area=other_area, kind=GroupKind.WORKING)
    w.outsider = UserFactory(username="annan-ledamot", is_caseworker=True)
    GroupMember.objects.create(
        group=other, user=w.outsider, name="Annan", organisation=OrganisationFactory()
    )
    return w


def _cases(member_may=None):
    for name, (_kwargs, methods, may) in RULES.items():
        if member_may is None or may == member_may:
            for method in methods:
                yield name, method


def _call(client, world, name, method):
    url = reverse(name, kwargs=RULES[name][0](world))
    return client.get(url) if method == GET else client.post(url, {})


def _state():
    return (
        list(
            GroupMeeting.objects.values_list(
                "status", "invitations_sent_at", "notes_frozen_at", "starts_at", "sequence"
            )
        ),
        list(GroupMember.objects.values_list("pk", "name", "left_on")),
        list(AgendaItem.objects.values_list("pk", "title", "position", "notes", "decisions")),
        list(Assignment.objects.values_list("pk", "what", "owner", "due_on", "done_on")),
        Group.objects.values_list("members_confirmed_on", flat=True).first(),
    )


@pytest.mark.parametrize(("name", "method"), list(_cases()))
def test_the_coordinator_reaches_every_url(client_for, coordinator, world, name, method):
    response = _call(client_for(coordinator), world, name, method)
    assert response.status_code not in (403, 404, 500), (name, method)


@pytest.mark.parametrize(("name", "method"), list(_cases(member_may=True)))
def test_a_member_reads_their_group(client_for, member_user, world, name, method):
    response = _call(client_for(member_user), world, name, method)
    assert response.status_code == 200, (name, method)


@pytest.mark.parametrize(("name", "method"), list(_cases(member_may=False)))
def test_a_member_cannot_keep_the_group(client_for, member_user, world, name, method):
    before = _state()
    response = _call(client_for(member_user), world, name, method)
    assert response.status_code == 403, (name, method)
    assert _state() == before


@pytest.mark.parametrize("who", ["outsider", "no_role"])
def test_others_get_403_everywhere_and_see_nothing(client_for, no_role_user, world, who):
    user = world.outsider if who == "outsider" else no_role_user
    client = client_for(user)
    before = _state()
    failing = []
    for name, method in _cases():
        response = _call(client, world, name, method)
        body = response.content.decode(errors="replace")
        if response.status_code != 403 or "Ledamot" in body or "Hemligt" in body:
            failing.append((name, method, response.status_code))
    assert not failing
    assert _state() == before


def test_the_list_shows_only_ones_own_groups(client_for, world):
    body = client_for(world.outsider).get(reverse("groups:list")).content.decode()
    assert "Styrgrupp" not in body and "Arbetsgrupp" in body


def test_creating_a_group_in_an_area_one_does_not_coordinate_is_refused(client_for, world):
    response = client_for(world.outsider).post(
        reverse("groups:create"), {"area": world.group.area_id, "kind": "arbetsgrupp"}
    )
    assert response.status_code == 403
    assert not Group.objects.filter(area=world.group.area, kind="arbetsgrupp").exists()


def test_the_owner_marks_their_own_uppdrag_done(client_for, member_user, world):
    url = reverse("groups:assignment_done", kwargs={"assignment_pk": world.own_assignment.pk})
    assert client_for(member_user).post(url, {"next": "mine"}).status_code == 302
    world.own_assignment.refresh_from_db()
    assert world.own_assignment.done_on is not None


def test_my_assignments_lists_only_mine(client_for, member_user, world):
    body = client_for(member_user).get(reverse("groups:my_assignments")).content.decode()
    assert "Mitt" in body and "Hemligt" not in body


def test_answer_link_works_without_login(client, world):
    from groups.services.invitations import answer_token

    attendee = world.meeting.attendees.first()
    url = reverse("groups:answer", args=[answer_token(attendee)])
    assert client.get(url).status_code == 200
    assert client.post(url, {"answer": "declined"}).status_code == 200
    attendee.refresh_from_db()
    assert attendee.answer == "declined"


def test_answer_link_of_a_past_meeting_is_refused(client, world):
    from groups.services.invitations import answer_token

    GroupMeeting.objects.filter(pk=world.meeting.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=2)
    )
    url = reverse("groups:answer", args=[answer_token(world.meeting.attendees.first())])
    assert client.get(url).status_code == 400


def test_the_answer_links_token_is_kept_out_of_logs(world):
    from common.logging import redact_tokens
    from groups.services.invitations import answer_token

    token = answer_token(world.meeting.attendees.first())
    url = reverse("groups:answer", args=[token])
    assert token not in redact_tokens(f"GET {url} HTTP/1.1")
