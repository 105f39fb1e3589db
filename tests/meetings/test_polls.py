""" "Föreslå tider" (issue 16): the poll's rules one test each, its pages, its links."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.enums import Answer, ParticipantKind, PollChoice, PollStatus
from meetings.models import Meeting, PollAnswer, TimePoll
from meetings.services import polls
from meetings.services.booking import (
    Booking,
    NeedsConfirmation,
    ParticipantSpec,
    book_meeting,
)
from outbox.models import OutboundMessage
from tests.factories import (
    ContactPersonFactory,
    MeetingFactory,
    RoomFactory,
    UserFactory,
    take_part,
)

from .conftest import in_days

PNR = "198112289874"


@pytest.fixture
def contacts(case, orgs):
    return [
        ContactPersonFactory(
            area=case.area, organisation=orgs["af"], name="Anna Arbete", email="anna@af.example"
        ),
        ContactPersonFactory(
            area=case.area, organisation=orgs["vc"], name="Vera Vård", email="vera@vc.example"
        ),
        ContactPersonFactory(
            area=case.area, organisation=orgs["vc"], name="Ville Vård", email="ville@vc.example"
        ),
    ]


@pytest.fixture
def template(case, convener, contacts):
    case.email = "alva@example.org"
    case.save()
    specs = [
        ParticipantSpec(
            kind=ParticipantKind.STAFF,
            user=convener,
            organisation=convener.organisation,
            name=str(convener),
            email=convener.email,
            note="Sammankallande",
            answer=Answer.ATTENDING,
        ),
        *(
            ParticipantSpec(
                kind=ParticipantKind.CONTACT,
                contact_person=c,
                organisation=c.organisation,
                name=c.name,
                email=c.email,
            )
            for c in contacts
        ),
        ParticipantSpec(
            kind=ParticipantKind.INDIVIDUAL, name=case.individual_name, email=case.email
        ),
    ]
    now = timezone.now()
    return Booking(
        case=case,
        kind="samverkansmote",
        starts_at=now,
        ends_at=now,
        convening_organisation=convener.organisation,
        convened_by=convener,
        purpose="Planera vägen till arbete",
        questions="Vilka insatser behövs?",
        location="Kommunhuset, rum 3",
        participants=specs,
    )


def times(n=3, days=30, room=None, length=60):
    result = []
    for i in range(n):
        start, _end = in_days(days + i)
        result.append(
            polls.ProposedTime(
                starts_at=start, ends_at=start + timedelta(minutes=length), room=room
            )
        )
    return result


def answer_by(days=20):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def poll(template, full_consent):
    return polls.propose_times(template, times(), answer_by=answer_by())


def poll_mails(kind_subject):
    return [m for m in OutboundMessage.objects.all() if kind_subject in m.subject]


# --- proposing ---------------------------------------------------------------------------


def test_proposing_saves_the_poll_and_asks_everyone_but_the_convener(poll, convener, contacts):
    assert poll.status == PollStatus.OPEN and poll.times.count() == 3
    asked = set(poll.invitees.filter(asked=True).values_list("email", flat=True))
    assert asked == {c.email for c in contacts}  # not the convener, not the individual
    sent = {m.to_email for m in poll_mails("Vilka tider passar?")}
    assert sent == asked
    assert poll.case.events.filter(action="meeting.poll_created").exists()


def test_the_number_of_times_is_two_to_six(template, full_consent):
    for n in (1, 7):
        with pytest.raises(polls.PollRefused):
            polls.propose_times(template, times(n), answer_by=answer_by())
    assert not TimePoll.objects.exists() and not OutboundMessage.objects.exists()


def test_the_same_time_twice_is_refused_on_its_row(template, full_consent):
    proposed = times(2)
    proposed.append(proposed[0])
    with pytest.raises(polls.PollRefused) as refused:
        polls.propose_times(template, proposed, answer_by=answer_by())
    assert list(refused.value.per_time) == [2]


def test_the_last_day_to_answer_is_before_the_first_time(template, full_consent):
    with pytest.raises(polls.PollRefused):
        polls.propose_times(template, times(days=30), answer_by=answer_by(30))
    with pytest.raises(polls.PollRefused):
        polls.propose_times(template, times(), answer_by=answer_by(-1))


def test_a_time_in_a_taken_room_is_refused_on_its_row(template, full_consent, case):
    room = RoomFactory(area=case.area, name="Ljuset")
    proposed = times(3, room=room)
    MeetingFactory(case=case, room=room, starts_at=proposed[1].starts_at)
    with pytest.raises(polls.PollRefused) as refused:
        polls.propose_times(template, proposed, answer_by=answer_by())
    assert list(refused.value.per_time) == [1]
    assert "redan bokat" in refused.value.per_time[1][0]


def test_an_open_polls_time_holds_its_room(template, full_consent, case, make_booking):
    room = RoomFactory(area=case.area, name="Ljuset")
    proposed = times(2, room=room)
    polls.propose_times(template, proposed, answer_by=answer_by())
    with pytest.raises(polls.PollRefused) as refused:
        polls.propose_times(template, times(2, room=room), answer_by=answer_by())
    assert "preliminärt hållet" in refused.value.per_time[0][0]
    booking = make_booking(starts_at=proposed[0].starts_at, ends_at=proposed[0].ends_at)
    booking.room = room
    with pytest.raises(ValidationError, match="preliminärt hållet"):
        book_meeting(booking, accepted={"length", "short_notice"})


def test_each_time_has_its_own_warnings_to_accept(template, full_consent):
    proposed = times(2, days=30)
    proposed[1] = times(1, days=5)[0]
    with pytest.raises(polls.PollNeedsConfirmation) as pending:
        polls.propose_times(template, proposed, answer_by=answer_by(2))
    assert list(pending.value.per_time) == [1]
    assert [w.code for w in pending.value.per_time[1]] == ["short_notice"]
    proposed[1].accepted = {"short_notice"}
    poll = polls.propose_times(template, proposed, answer_by=answer_by(2))
    assert [t.accepted_warnings for t in poll.times.all()] == [["short_notice"], []]


def test_the_booking_rules_apply_to_a_poll(template, full_consent, orgs):
    # A SIP is convened only by the kommun or the region.
    template.kind = "sip"
    template.convening_organisation = orgs["af"]
    with pytest.raises(polls.PollRefused) as refused:
        polls.propose_times(template, times(), answer_by=answer_by())
    assert any("SIP" in m for m in refused.value.general)


def test_the_individual_is_asked_only_when_chosen_and_reachable(template, full_consent, case):
    poll = polls.propose_times(template, times(), answer_by=answer_by(), ask_individual=True)
    assert poll.invitees.get(kind=ParticipantKind.INDIVIDUAL).asked
    case.email = ""
    case.save()
    template.participants[-1].email = ""
    with pytest.raises(polls.PollRefused):
        polls.propose_times(template, times(days=40), answer_by=answer_by(), ask_individual=True)


def test_key_people_are_the_individual_and_the_only_one_of_a_party(poll):
    keys = set(poll.invitees.filter(is_key=True).values_list("name", flat=True))
    assert keys == {"Anna Arbete", poll.case.individual_name}  # two from the vårdcentral


def test_no_name_or_personnummer_of_the_individual_in_the_mail(template, full_consent, case):
    case.personnummer = PNR
    case.save()
    polls.propose_times(template, times(), answer_by=answer_by(), ask_individual=True)
    mails = list(OutboundMessage.objects.all())
    assert len(mails) == 4
    for mail in mails:
        for text in (mail.subject, mail.text_body, mail.html_body):
            assert case.first_name not in text and case.last_name not in text
            assert PNR not in text and PNR[2:8] not in text
        assert "samverkansmöte som Sävsjö kommun kallar till" in mail.text_body


# --- links and answers ---------------------------------------------------------------------


def invitee_of(poll, name="Anna Arbete"):
    return poll.invitees.get(name=name)


def test_a_valid_token_names_its_person(poll):
    invitee = invitee_of(poll)
    assert polls.invitee_from_token(polls.poll_token(invitee)) == invitee


def test_a_tampered_token_is_refused(poll):
    token = polls.poll_token(invitee_of(poll))
    with pytest.raises(polls.PollLinkError, match="ogiltig"):
        polls.invitee_from_token(token[:-2] + "xx")


def test_an_expired_poll_refuses_its_links(poll):
    token = polls.poll_token(invitee_of(poll))
    later = timezone.now() + timedelta(days=21)
    with pytest.raises(polls.PollLinkError, match="gick ut"):
        polls.invitee_from_token(token, now=later)


def test_a_closed_or_cancelled_poll_refuses_its_links(poll, convener):
    token = polls.poll_token(invitee_of(poll))
    polls.cancel_poll(poll=poll, user=convener)
    with pytest.raises(polls.PollLinkError, match="avbruten"):
        polls.invitee_from_token(token)


def all_choices(poll, choice=PollChoice.YES):
    return {t.pk: choice for t in poll.times.all()}


def test_an_answer_can_be_changed_until_the_poll_closes(poll):
    invitee = invitee_of(poll)
    polls.record_poll_answer(invitee=invitee, choices=all_choices(poll), comment="Helst fm")
    polls.record_poll_answer(invitee=invitee, choices=all_choices(poll, PollChoice.NO))
    assert set(polls.answers_of(invitee).values()) == {PollChoice.NO}
    assert PollAnswer.objects.count() == 3
    invitee.refresh_from_db()
    assert invitee.answered_at is not None


def test_an_answer_must_cover_every_time(poll):
    choices = all_choices(poll)
    choices.popitem()
    with pytest.raises(ValidationError):
        polls.record_poll_answer(invitee=invitee_of(poll), choices=choices)
    assert not PollAnswer.objects.exists()


def test_a_closed_poll_takes_no_answers(poll, convener):
    polls.cancel_poll(poll=poll, user=convener)
    with pytest.raises(ValidationError, match="stängd"):
        polls.record_poll_answer(invitee=invitee_of(poll), choices=all_choices(poll))
    assert not PollAnswer.objects.exists()


def test_the_grid_counts_per_time_and_key_people_apart(poll):
    first, second, third = poll.times.all()
    polls.record_poll_answer(
        invitee=invitee_of(poll),
        choices={first.pk: "yes", second.pk: "no", third.pk: "if_needed"},
    )
    polls.record_poll_answer(
        invitee=invitee_of(poll, "Vera Vård"),
        choices={first.pk: "yes", second.pk: "yes", third.pk: "no"},
    )
    columns, rows = polls.poll_grid(poll)
    assert [(c.yes, c.if_needed, c.no, c.key_no) for c in columns] == [
        (2, 0, 0, 0),
        (1, 0, 1, 1),  # Anna is the only one of Arbetsförmedlingen
        (0, 1, 1, 0),
    ]
    assert [r.invitee.name for r in rows] == ["Anna Arbete", "Vera Vård", "Ville Vård"]


# --- picking ---------------------------------------------------------------------------------


def test_picking_books_the_meeting_sends_the_kallelse_and_closes_the_poll(poll, convener):
    first = poll.times.first()
    meeting = polls.pick_time(poll=poll, time=first, user=convener)
    poll.refresh_from_db()
    assert poll.status == PollStatus.PICKED and poll.meeting == meeting
    assert meeting.starts_at == first.starts_at and meeting.convened_by == convener
    assert meeting.invitations_sent_at is not None
    names = set(meeting.participants.values_list("name", flat=True))
    assert {"Anna Arbete", "Vera Vård", "Ville Vård", str(convener)} <= names
    kallelse = {m.to_email for m in OutboundMessage.objects.filter(subject__startswith="Kallelse")}
    assert {"anna@af.example", "vera@vc.example", "ville@vc.example"} <= kallelse
    closed = {m.to_email for m in poll_mails("Tid vald")}
    assert closed == {"anna@af.example", "vera@vc.example", "ville@vc.example"}


def test_picking_frees_the_rooms_of_the_other_times(template, full_consent, case, convener):
    room = RoomFactory(area=case.area, name="Ljuset")
    poll = polls.propose_times(template, times(2, room=room), answer_by=answer_by())
    first, second = poll.times.all()
    polls.pick_time(poll=poll, time=first, user=convener)
    # The other time's room is free again: another poll may hold it.
    start = second.starts_at
    again = [polls.ProposedTime(starts_at=start, ends_at=second.ends_at, room=room)]
    again += times(1, days=50, room=room)
    assert polls.propose_times(template, again, answer_by=answer_by())


def test_a_second_pick_books_nothing_more(poll, convener):
    first, second, _third = poll.times.all()
    polls.pick_time(poll=poll, time=first, user=convener)
    with pytest.raises(ValidationError, match="redan vald"):
        polls.pick_time(poll=poll, time=second, user=convener)
    assert Meeting.objects.count() == 1


def test_a_time_whose_room_was_taken_meanwhile_books_nothing(
    template, full_consent, case, convener
):
    room = RoomFactory(area=case.area, name="Ljuset")
    poll = polls.propose_times(template, times(2, room=room), answer_by=answer_by())
    first = poll.times.first()
    MeetingFactory(case=case, room=room, starts_at=first.starts_at)  # not through a booking
    before = OutboundMessage.objects.count()
    with pytest.raises(ValidationError, match="redan bokat"):
        polls.pick_time(poll=poll, time=first, user=convener)
    poll.refresh_from_db()
    assert poll.status == PollStatus.OPEN and poll.meeting is None
    assert OutboundMessage.objects.count() == before


def test_a_pick_asks_for_the_warnings_of_its_time_again(template, full_consent, convener):
    proposed = times(2)
    proposed[0] = times(1, days=10)[0]
    proposed[0].accepted = {"short_notice"}
    poll = polls.propose_times(template, proposed, answer_by=answer_by(3))
    first = poll.times.first()
    # Accepted when proposed, the three weeks' notice is asked again at the pick.
    with pytest.raises(NeedsConfirmation):
        polls.pick_time(poll=poll, time=first, user=convener)
    assert not Meeting.objects.exists()
    polls.pick_time(poll=poll, time=first, user=convener, accepted={"short_notice"})


def test_only_the_convener_owner_or_coordinator_picks(poll, orgs, area):
    colleague = UserFactory(organisation=orgs["af"])
    take_part(poll.case, colleague)
    with pytest.raises(PermissionDenied):
        polls.pick_time(poll=poll, time=poll.times.first(), user=colleague)
    coordinator = UserFactory(is_caseworker=False, coordinated_areas=[area])
    assert polls.can_manage_poll(coordinator, poll)


# --- reminders and cancelling -------------------------------------------------------------------


def test_reminders_go_once_to_those_who_have_not_answered(poll):
    polls.record_poll_answer(invitee=invitee_of(poll), choices=all_choices(poll))
    soon = timezone.now() + timedelta(days=19)
    assert polls.send_poll_reminders(now=soon) == 2
    assert polls.send_poll_reminders(now=soon) == 0
    reminded = {m.to_email for m in poll_mails("Påminnelse")}
    assert reminded == {"vera@vc.example", "ville@vc.example"}


def test_no_reminder_long_before_the_last_day(poll):
    assert polls.send_poll_reminders() == 0


def test_cancelling_tells_everyone_asked(poll, convener):
    polls.cancel_poll(poll=poll, user=convener, reason="Ärendet har bytt handläggare")
    poll.refresh_from_db()
    assert poll.status == PollStatus.CANCELLED
    assert len(poll_mails("avbruten")) == 3
    with pytest.raises(ValidationError):
        polls.cancel_poll(poll=poll, user=convener)


# --- the pages ----------------------------------------------------------------------------------


def test_the_answer_page_shows_the_times_and_not_the_individual(client, poll, case):
    case.personnummer = PNR
    case.save()
    url = reverse("meetings:poll_answer", args=[polls.poll_token(invitee_of(poll))])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "ett samverkansmöte som Sävsjö kommun kallar till" in text
    assert text.count("Passar om det behövs") == 3
    assert case.first_name not in text and case.last_name not in text and PNR not in text
    data = {f"time_{t.pk}": "if_needed" for t in poll.times.all()}
    data["comment"] = "Bäst på förmiddagen"
    done = client.post(url, data)
    assert done.status_code == 200 and "Dina svar är sparade" in done.content.decode()
    invitee = invitee_of(poll)
    assert invitee.comment == "Bäst på förmiddagen"
    assert set(polls.answers_of(invitee).values()) == {"if_needed"}


def test_the_answer_page_refuses_bad_input_with_nothing_saved(client, poll):
    url = reverse("meetings:poll_answer", args=[polls.poll_token(invitee_of(poll))])
    first = poll.times.first()
    response = client.post(url, {f"time_{first.pk}": "kanske"})
    assert response.status_code == 400
    assert "Svara för den här tiden." in response.content.decode()
    assert not PollAnswer.objects.exists()


@pytest.mark.parametrize("state", ["tampered", "expired", "closed", "cancelled"])
def test_the_answer_page_for_a_link_that_does_not_work(client, poll, convener, state):
    token = polls.poll_token(invitee_of(poll))
    if state == "tampered":
        token = token[:-3] + "abc"
    elif state == "expired":
        poll.answer_by = timezone.localdate() - timedelta(days=1)
        poll.save()
    elif state == "closed":
        polls.pick_time(poll=poll, time=poll.times.first(), user=convener)
    else:
        polls.cancel_poll(poll=poll, user=convener)
    url = reverse("meetings:poll_answer", args=[token])
    answers = PollAnswer.objects.count()
    for response in (client.get(url), client.post(url, {"comment": "x"})):
        assert response.status_code == 400
        text = response.content.decode()
        assert "Länken fungerar inte" in text and text.count("<h1") == 1
    assert PollAnswer.objects.count() == answers


def test_the_grid_is_for_the_convener_owner_and_coordinator(client, poll, orgs, area):
    url = poll.get_absolute_url()
    colleague = UserFactory(organisation=orgs["af"])
    take_part(poll.case, colleague)
    outsider = UserFactory(organisation=orgs["af"])
    coordinator = UserFactory(is_caseworker=False, coordinated_areas=[area])
    for user, status in (
        (poll.convened_by, 200),
        (coordinator, 200),
        (colleague, 403),
        (outsider, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user
        assert client.post(reverse("meetings:poll_pick", args=[poll.pk])).status_code in (
            {200, 302, 400} if status == 200 else {status}
        )


def test_the_grid_page_picks_and_books(client, poll):
    client.force_login(poll.convened_by)
    page = client.get(poll.get_absolute_url()).content.decode()
    assert "Anna Arbete" in page and page.count(">Välj<") == 3
    first = poll.times.first()
    response = client.post(reverse("meetings:poll_pick", args=[poll.pk]), {"time": first.pk})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    again = client.post(reverse("meetings:poll_pick", args=[poll.pk]), {"time": first.pk})
    assert again.status_code == 302 and Meeting.objects.count() == 1


def test_the_propose_page_makes_a_poll(client, case, convener, contacts, full_consent):
    client.force_login(convener)
    url = reverse("meetings:propose_times", args=[case.pk])
    assert client.get(url).status_code == 200
    day = timezone.localdate() + timedelta(days=30)
    data = {
        "kind": "samverkansmote",
        "location": "Kommunhuset",
        "purpose": "Planera vägen till arbete",
        "questions": "Vilka insatser behövs?",
        "individual_attends": "on",
        "answer_by": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "contacts": [contacts[0].pk],
        "extern-TOTAL_FORMS": "0",
        "extern-INITIAL_FORMS": "0",
        "tid-TOTAL_FORMS": "6",
        "tid-INITIAL_FORMS": "0",
    }
    for i in range(2):
        data[f"tid-{i}-date"] = (day + timedelta(days=i)).isoformat()
        data[f"tid-{i}-start_time"] = "10:00"
        data[f"tid-{i}-length"] = "60"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    poll = TimePoll.objects.get()
    assert response["Location"] == poll.get_absolute_url()
    assert poll.times.count() == 2
    one = {k: v for k, v in data.items() if not k.startswith("tid-1-")}
    refused = client.post(url, one)
    assert refused.status_code == 400 and "minst 2" in refused.content.decode()
    assert TimePoll.objects.count() == 1


def test_the_propose_page_shows_warnings_per_time_and_takes_them_once_ticked(
    client, case, convener, contacts, full_consent
):
    client.force_login(convener)
    url = reverse("meetings:propose_times", args=[case.pk])
    day = timezone.localdate() + timedelta(days=10)
    data = {
        "kind": "samverkansmote",
        "location": "Kommunhuset",
        "purpose": "Planera vägen till arbete",
        "questions": "Vilka insatser behövs?",
        "answer_by": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "contacts": [contacts[0].pk],
        "extern-TOTAL_FORMS": "0",
        "extern-INITIAL_FORMS": "0",
        "tid-TOTAL_FORMS": "6",
        "tid-INITIAL_FORMS": "0",
        "tid-0-date": day.isoformat(),
        "tid-0-start_time": "10:00",
        "tid-0-length": "90",
        "tid-1-date": (day + timedelta(days=30)).isoformat(),
        "tid-1-start_time": "10:00",
        "tid-1-length": "60",
    }
    first = client.post(url, data)
    assert first.status_code == 200 and not TimePoll.objects.exists()
    text = first.content.decode()
    assert "Mötet är om 10 dagar." in text and "Mötet är 90 minuter." in text
    codes = first.context["times"].forms[0].data["tid-0-accepted_warnings"]
    second = client.post(
        url,
        {
            **data,
            "tid-0-accepted_warnings": codes.replace("\n", "\r\n"),
            "tid-0-confirm_warnings": "on",
        },
    )
    assert second.status_code == 302
    assert TimePoll.objects.get().times.first().accepted_warnings == ["length", "short_notice"]


def test_the_grid_makes_as_many_queries_for_six_times_and_twelve_people(
    client, case, convener, orgs, full_consent, template
):
    small = polls.propose_times(template, times(2), answer_by=answer_by())
    big_people = [template.participants[0]] + [
        ParticipantSpec(
            kind=ParticipantKind.CONTACT,
            contact_person=ContactPersonFactory(area=case.area, organisation=orgs["af"]),
            organisation=orgs["af"],
            name=f"Person {i}",
            email=f"p{i}@af.example",
        )
        for i in range(12)
    ]
    template.participants = big_people
    big = polls.propose_times(template, times(6, days=60), answer_by=answer_by())
    for invitee in big.invitees.filter(asked=True):
        polls.record_poll_answer(invitee=invitee, choices=all_choices(big))
    client.force_login(convener)
    # The first page after a login stamps the session's clocks (a write); both measured pages
    # come after it.
    client.get(small.get_absolute_url())
    counts = []
    for poll in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(poll.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] < 20


def test_the_reminder_command_reminds_of_polls_too(poll, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    soon = timezone.now() + timedelta(days=19)
    monkeypatch.setattr(timezone, "now", lambda: soon)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "3 påminnelser om föreslagna tider köade." in out.getvalue()
    assert len(poll_mails("Påminnelse")) == 3


def test_the_arende_page_links_an_open_poll(client, poll, convener):
    client.force_login(convener)
    page = client.get(poll.case.get_absolute_url()).content.decode()
    assert poll.get_absolute_url() in page
    polls.cancel_poll(poll=poll, user=convener)
    assert poll.get_absolute_url() not in client.get(poll.case.get_absolute_url()).content.decode()


BAD_VALUES = [
    "",
    "\x00",
    "x" * 100_000,
    "-1",
    "99999999999999999999",
    "²",
    "<script>",
    "2026-13-45",
]


def test_bad_input_to_the_poll_pages_never_gives_a_server_error(client, poll, case):
    client.force_login(poll.convened_by)
    token = polls.poll_token(invitee_of(poll))
    time_fields = [f"time_{t.pk}" for t in poll.times.all()]
    pages = {
        reverse("meetings:propose_times", args=[case.pk]): [
            "kind",
            "answer_by",
            "tid-0-date",
            "tid-0-start_time",
            "tid-0-length",
            "tid-0-room",
            "tid-TOTAL_FORMS",
            "contacts",
            "purpose",
        ],
        reverse("meetings:poll_pick", args=[poll.pk]): ["time", "accepted_warnings"],
        reverse("meetings:poll_remind", args=[poll.pk]): ["x"],
        reverse("meetings:poll_answer", args=[token]): [*time_fields, "comment"],
    }
    before = (TimePoll.objects.count(), Meeting.objects.count(), PollAnswer.objects.count())
    for url, fields in pages.items():
        for value in BAD_VALUES:
            response = client.post(url, {field: value for field in fields})
            assert response.status_code < 500, (url, value[:10], response.status_code)
            assert "<script>" not in response.content.decode()
        assert client.get(url, {"tid": "\x00", "pk": "²"}).status_code < 500
    cancel = reverse("meetings:poll_cancel", args=[poll.pk])
    assert client.post(cancel, {"reason": "\x00" * 5}).status_code < 500
    assert client.post(cancel, {"reason": "x" * 5000}).status_code < 500
    poll.refresh_from_db()
    assert poll.status == PollStatus.OPEN
    assert (TimePoll.objects.count(), Meeting.objects.count(), PollAnswer.objects.count()) == before
