"""A meeting is as confidential as its ärende: every meeting URL × every role.

The URLs come from the URL conf: a new meeting URL without an entry in MEETING_URLS (or in
NOT_TIED_TO_ONE_ARENDE) fails test_every_meeting_url_is_covered_here."""

import pytest
from django.core.files.base import ContentFile
from django.urls import get_resolver, resolve, reverse

from meetings.enums import MeetingStatus
from outbox.models import OutboundMessage
from tests.factories import MeetingFactory, ParticipantFactory, UserFactory


def meeting_kwargs(meeting, participant):
    return {"pk": meeting.pk}


def participant_kwargs(meeting, participant):
    return {"pk": meeting.pk, "participant_pk": participant.pk}


def case_kwargs(meeting, participant):
    return {"case_pk": meeting.case_id}


def poll_kwargs(meeting, participant):
    """An open "Föreslå tider" poll of the meeting's ärende (made once)."""
    return {"pk": poll_of(meeting).pk}


def poll_of(meeting):
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import PollTime, TimePoll

    poll = TimePoll.objects.filter(case=meeting.case).first()
    if poll is None:
        poll = TimePoll.objects.create(
            case=meeting.case,
            kind=meeting.kind,
            purpose=meeting.purpose,
            questions=meeting.questions,
            location="Kommunhuset",
            convening_organisation=meeting.convening_organisation,
            convened_by=meeting.convened_by,
            created_by=meeting.convened_by,
            answer_by=timezone.localdate() + timedelta(days=7),
        )
        for days in (40, 41):
            start = meeting.starts_at + timedelta(days=days)
            PollTime.objects.create(poll=poll, starts_at=start, ends_at=start + timedelta(hours=1))
    return poll


# name -> (how to build its kwargs, the methods its view answers)
MEETING_URLS = {
    "meetings:book": (case_kwargs, ["get", "post"]),
    "meetings:detail": (meeting_kwargs, ["get"]),
    "meetings:reschedule": (meeting_kwargs, ["get", "post"]),
    "meetings:cancel": (meeting_kwargs, ["get", "post"]),
    "meetings:send_invitations": (meeting_kwargs, ["post"]),
    "meetings:add_participant": (meeting_kwargs, ["post"]),
    "meetings:contact_suggestions": (meeting_kwargs, ["get"]),
    "meetings:remove_participant": (participant_kwargs, ["post"]),
    "meetings:remind": (participant_kwargs, ["post"]),
    "meetings:interpreter": (meeting_kwargs, ["post"]),
    "meetings:invitation_pdf": (meeting_kwargs, ["get"]),
    "meetings:letter_pdf": (meeting_kwargs, ["get"]),
    "meetings:ics": (meeting_kwargs, ["get"]),
    "meetings:contribution_pdf": (participant_kwargs, ["get"]),
    "meetings:run": (meeting_kwargs, ["get"]),
    "meetings:run_start": (meeting_kwargs, ["post"]),
    "meetings:run_attendance": (participant_kwargs, ["post"]),
    "meetings:run_roles": (meeting_kwargs, ["post"]),
    "meetings:run_agenda": (meeting_kwargs, ["post"]),
    "meetings:run_walk_in": (meeting_kwargs, ["post"]),
    "meetings:run_oral_consent": (meeting_kwargs, ["post"]),
    # "Föreslå tider" (issue 16)
    "meetings:propose_times": (case_kwargs, ["get", "post"]),
    "meetings:poll": (poll_kwargs, ["get"]),
    "meetings:poll_pick": (poll_kwargs, ["post"]),
    "meetings:poll_remind": (poll_kwargs, ["post"]),
    "meetings:poll_cancel": (poll_kwargs, ["post"]),
}
# Not tied to one ärende: the answer links (a signed token, no login) are tested in
# test_answers.py, the week calendars (only what the user may see of each meeting) in
# test_week_views.py.
NOT_TIED_TO_ONE_ARENDE = {
    "meetings:answer",
    "meetings:delegate",
    # The poll's answer link: tests/meetings/test_polls.py.
    "meetings:poll_answer",
    "meetings:my_week",
    "meetings:subscribe",
    "meetings:renew_feed",
    "meetings:feed",
    "meetings:area_week",
    # The area's meeting rooms (tests/parties/test_access.py, test_units_and_settings.py).
    "meetings:room_list",
    "meetings:room_create",
    "meetings:room_update",
}


def url_for(name, meeting, participant):
    build_kwargs, _methods = MEETING_URLS[name]
    return reverse(name, kwargs=build_kwargs(meeting, participant))


def test_every_meeting_url_is_covered_here():
    resolvers = [
        r for r in get_resolver().url_patterns if getattr(r, "namespace", "") == "meetings"
    ]
    names = {f"meetings:{pattern.name}" for r in resolvers for pattern in r.url_patterns}
    assert names == set(MEETING_URLS) | NOT_TIED_TO_ONE_ARENDE


def test_the_table_names_the_methods_each_view_answers(meeting, participant):
    for name, (_kwargs, methods) in MEETING_URLS.items():
        view = resolve(url_for(name, meeting, participant)).func.view_class
        answered = [method for method in ("get", "post") if hasattr(view, method)]
        assert answered == methods, name


@pytest.fixture
def meeting(case, convener):
    return MeetingFactory(
        case=case, convened_by=convener, convening_organisation=convener.organisation
    )


@pytest.fixture
def participant(meeting, orgs, settings, tmp_path):
    participant = ParticipantFactory(meeting=meeting, name="Anna Arbete", organisation=orgs["af"])
    # A written contribution to open (meetings:contribution_pdf).
    settings.MEDIA_ROOT = tmp_path
    participant.contribution_file.save("underlag.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return participant


@pytest.mark.parametrize(
    "who",
    [
        "uninvolved_caseworker",
        "other_coordinator",
        "administrator",
        "participants_colleague",
        "no_role_user",
    ],
)
def test_an_uninvolved_user_gets_404_and_no_name(
    request, client, meeting, participant, orgs, other_area, who
):
    if who == "uninvolved_caseworker":
        user = UserFactory(organisation=orgs["fk"], is_caseworker=True)
    elif who == "other_coordinator":
        user = UserFactory(is_caseworker=False, coordinated_areas=[other_area])
    elif who == "participants_colleague":
        # Same party as the participant, the party involved in the ärende: opens nothing.
        meeting.case.involved_organisations.add(orgs["af"])
        user = UserFactory(organisation=orgs["af"], is_caseworker=True)
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    for name in MEETING_URLS:
        url = url_for(name, meeting, participant)
        # Whatever the method, also one the view does not answer: the ärende's existence
        # is not given away by a 405.
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 404, (who, name, method.__name__)
            assert "Andersson" not in response.content.decode()
    meeting.refresh_from_db()
    participant.refresh_from_db()
    assert meeting.status != MeetingStatus.CANCELLED
    assert participant.removed_at is None
    assert not OutboundMessage.objects.exists()
    assert not meeting.case.events.filter(user=user).exists()


@pytest.mark.parametrize("who", ["owner", "coordinator", "involved", "administrator_participant"])
def test_those_involved_may_open_the_meeting(request, client, meeting, participant, orgs, who):
    if who == "owner":
        user = meeting.case.owner
    elif who == "involved":
        # A participant of the meeting, from another party.
        user = UserFactory(organisation=orgs["vc"], is_caseworker=True)
        ParticipantFactory(meeting=meeting, kind="staff", user=user, organisation=orgs["vc"])
    elif who == "administrator_participant":
        # The administrator role opens nothing by itself; taking part as a handläggare does.
        user = UserFactory(organisation=orgs["vc"], is_caseworker=True, is_administrator=True)
        ParticipantFactory(meeting=meeting, kind="staff", user=user, organisation=orgs["vc"])
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert "Alva Andersson" in response.content.decode()
    # Every page of the meeting opens, or is refused (403) to one who may see the meeting
    # but not change it: never a 404, the meeting is theirs to see.
    for name, (_kwargs, methods) in MEETING_URLS.items():
        if "get" in methods:
            status = client.get(url_for(name, meeting, participant)).status_code
            assert status in (200, 403), (who, name, status)


def test_opening_a_meeting_is_logged(client_for, convener, meeting):
    client_for(convener).get(reverse("meetings:detail", args=[meeting.pk]))
    assert meeting.case.events.filter(action="meeting.viewed", user=convener).exists()


def test_anonymous_is_sent_to_login(client, meeting, participant):
    for name in MEETING_URLS:
        for method in ("get", "post"):
            response = getattr(client, method)(url_for(name, meeting, participant))
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(reverse("login")), (name, method)
