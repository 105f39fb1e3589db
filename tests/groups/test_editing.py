"""Changing a booked group meeting (issue 18): the roster page without the add form,
moving the meeting, editing its agenda, editing an uppdrag, the minutes without
JavaScript, and the answers being the individual meetings' own."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.enums import GroupAnswer
from groups.models import AgendaItem, Assignment, GroupAttendee, GroupMeeting
from groups.services import agenda, invitations, minutes
from outbox.models import OutboundMessage
from tests.factories import ContactPersonFactory, UserFactory
from tests.helpers import deliver_all


@pytest.fixture
def sent_meeting(styrgrupp, book):
    meeting = book(styrgrupp, days=30)
    invitations.send_invitations(meeting)
    return meeting


@pytest.fixture
def send_outbox(settings):
    """Mail waits in the outbox until deliver_all() does what the worker does."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return deliver_all


def _updates():
    """The update kallelser: a REQUEST for a SEQUENCE above the first kallelse's."""
    return OutboundMessage.objects.filter(
        attachments_builder="groups.invitation",
        builder_args__method="REQUEST",
        builder_args__sequence__gt=0,
    )


def _move_data(meeting, *, day, time="10:00", length=90, place="Stadshuset"):
    return {
        "date": day.isoformat(),
        "start_time": time,
        "length": str(length),
        "place": place,
        "remote_link": "",
        "convener": str(meeting.convener_id or ""),
    }


# --- 1. the roster page ------------------------------------------------------------------


def test_the_roster_page_lists_no_users_or_contacts_and_links_to_the_add_page(
    client_for, coordinator, styrgrupp
):
    UserFactory(first_name="Ulla", last_name="Användarsson")
    body = client_for(coordinator).get(styrgrupp.get_absolute_url()).content.decode()
    assert "Ulla Användarsson" not in body and 'name="user"' not in body
    assert reverse("groups:member_add", args=[styrgrupp.pk]) in body


def test_the_roster_pages_queries_and_size_do_not_grow_with_the_areas_people(
    client_for, coordinator, styrgrupp, area
):
    client = client_for(coordinator)
    url = styrgrupp.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        small = client.get(url).content
    for n in range(30):
        UserFactory(username=f"extra{n}")
        ContactPersonFactory(area=area)
    with CaptureQueriesContext(connection) as many:
        large = client.get(url).content
    # Neither more queries nor a longer page: no list of the area's people is on it.
    assert len(many) == len(few) and len(large) == len(small)


def test_a_member_is_added_on_its_own_page(client_for, coordinator, styrgrupp, parties):
    client = client_for(coordinator)
    url = reverse("groups:member_add", args=[styrgrupp.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="organisation"' in page.content.decode()
    response = client.post(
        url,
        {"name": "Nya Ledamoten", "organisation": parties[0].pk, "role": "ledamot", "another": "1"},
    )
    assert response.status_code == 302 and response.url == url
    assert styrgrupp.members.filter(name="Nya Ledamoten").exists()


def test_adding_a_member_without_a_party_shows_the_message_and_saves_nothing(
    client_for, coordinator, styrgrupp
):
    url = reverse("groups:member_add", args=[styrgrupp.pk])
    response = client_for(coordinator).post(url, {"name": "Utan Part", "role": "ledamot"})
    assert response.status_code == 400
    assert "Välj medlemmens part." in response.content.decode()
    assert not styrgrupp.members.filter(name="Utan Part").exists()


# --- 3. moving a meeting -------------------------------------------------------------------


def test_moving_sends_the_update_with_the_same_uid_and_a_higher_sequence(
    client_for, coordinator, sent_meeting, send_outbox
):
    deliver_all()
    mail.outbox.clear()
    day = (timezone.localtime(sent_meeting.starts_at) + timedelta(days=7)).date()
    url = reverse("groups:meeting_move", args=[sent_meeting.pk])
    client = client_for(coordinator)
    assert client.get(url).status_code == 200
    response = client.post(url, _move_data(sent_meeting, day=day))
    assert response.status_code == 302
    sent_meeting.refresh_from_db()
    assert timezone.localtime(sent_meeting.starts_at).date() == day
    assert sent_meeting.place == "Stadshuset" and sent_meeting.sequence == 1
    assert _updates().count() == 8
    deliver_all()
    assert len(mail.outbox) == 8
    ics = next(
        content.decode() if isinstance(content, bytes) else content
        for _name, content, mimetype in mail.outbox[0].attachments
        if "calendar" in mimetype
    )
    assert f"UID:group-meeting-{sent_meeting.pk}@" in ics
    assert "SEQUENCE:1" in ics and f"DTSTART;TZID=Europe/Stockholm:{day:%Y%m%d}T100000" in ics


def test_a_double_submitted_move_changes_nothing_twice(client_for, coordinator, sent_meeting):
    day = (timezone.localtime(sent_meeting.starts_at) + timedelta(days=7)).date()
    url = reverse("groups:meeting_move", args=[sent_meeting.pk])
    client = client_for(coordinator)
    data = _move_data(sent_meeting, day=day)
    client.post(url, data)
    client.post(url, data)
    sent_meeting.refresh_from_db()
    assert sent_meeting.sequence == 1 and _updates().count() == 8


def test_a_move_breaking_the_booking_rules_saves_nothing(client_for, coordinator, sent_meeting):
    before = GroupMeeting.objects.values("starts_at", "place", "sequence").get(pk=sent_meeting.pk)
    url = reverse("groups:meeting_move", args=[sent_meeting.pk])
    day = timezone.localdate() + timedelta(days=40)
    response = client_for(coordinator).post(url, _move_data(sent_meeting, day=day, place=""))
    assert response.status_code == 400
    assert "Skriv en plats eller en videolänk." in response.content.decode()
    bad = _move_data(sent_meeting, day=day)
    bad["date"] = "2027-02-30"
    assert client_for(coordinator).post(url, bad).status_code == 400
    after = GroupMeeting.objects.values("starts_at", "place", "sequence").get(pk=sent_meeting.pk)
    assert after == before and not _updates().exists()


def test_moving_keeps_the_answers_and_makes_the_reminder_due_again(sent_meeting):
    from groups.services.booking import move_meeting

    attendee = sent_meeting.attendees.first()
    invitations.record_answer(attendee, answer=GroupAnswer.DECLINED)
    GroupAttendee.objects.filter(meeting=sent_meeting).update(reminded_at=timezone.now())
    starts = sent_meeting.starts_at + timedelta(days=3)
    changed, count = move_meeting(
        sent_meeting, starts_at=starts, ends_at=starts + timedelta(hours=2), place="Kommunhuset"
    )
    assert changed and count == 8
    attendee.refresh_from_db()
    assert attendee.answer == GroupAnswer.DECLINED and attendee.reminded_at is None


def test_a_cancelled_meeting_cannot_be_moved(sent_meeting):
    from django.core.exceptions import ValidationError

    from groups.services.booking import move_meeting

    invitations.cancel_meeting(sent_meeting, reason="other")
    starts = sent_meeting.starts_at + timedelta(days=3)
    with pytest.raises(ValidationError):
        move_meeting(sent_meeting, starts_at=starts, ends_at=starts + timedelta(hours=1), place="X")


def test_a_move_before_the_kallelse_sends_nothing(client_for, coordinator, styrgrupp, book):
    meeting = book(styrgrupp, days=30)
    day = timezone.localdate() + timedelta(days=45)
    url = reverse("groups:meeting_move", args=[meeting.pk])
    assert client_for(coordinator).post(url, _move_data(meeting, day=day)).status_code == 302
    assert not OutboundMessage.objects.exists()


# --- 2. the agenda after booking -----------------------------------------------------------


def _titles(meeting):
    return list(meeting.items.order_by("position").values_list("title", flat=True))


def test_adding_and_removing_an_item_sends_the_update(client_for, coordinator, sent_meeting):
    client = client_for(coordinator)
    response = client.post(
        reverse("groups:item_add", args=[sent_meeting.pk]),
        {"title": "Lokaler", "presenter": "Sara", "minutes": "15"},
    )
    assert response.status_code == 302
    assert _titles(sent_meeting) == ["Ekonomi", "Handlingsplan", "Övrigt", "Lokaler"]
    assert _updates().count() == 8
    item = sent_meeting.items.get(title="Ekonomi")
    url = reverse("groups:item_remove", args=[sent_meeting.pk, item.pk])
    client.post(url)
    client.post(url)  # a double click: already gone, nothing more
    assert _titles(sent_meeting) == ["Handlingsplan", "Övrigt", "Lokaler"]
    assert list(sent_meeting.items.values_list("position", flat=True).order_by("position")) == [
        1,
        2,
        3,
    ]
    assert _updates().count() == 16
    sent_meeting.refresh_from_db()
    assert sent_meeting.sequence == 2


def test_a_new_title_sends_the_update_a_new_presenter_does_not(
    client_for, coordinator, sent_meeting
):
    client = client_for(coordinator)
    item = sent_meeting.items.get(title="Ekonomi")
    url = reverse("groups:item_edit", args=[sent_meeting.pk, item.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"title": "Ekonomi", "presenter": "Ekonomichefen", "minutes": "30"})
    assert not _updates().exists()
    client.post(url, {"title": "Budget 2027", "presenter": "Ekonomichefen", "minutes": "30"})
    client.post(url, {"title": "Budget 2027", "presenter": "Ekonomichefen", "minutes": "30"})
    item.refresh_from_db()
    assert (item.title, item.presenter, item.minutes) == ("Budget 2027", "Ekonomichefen", 30)
    assert _updates().count() == 8


def test_an_item_without_a_title_is_refused_by_the_field(client_for, coordinator, sent_meeting):
    item = sent_meeting.items.first()
    url = reverse("groups:item_edit", args=[sent_meeting.pk, item.pk])
    response = client_for(coordinator).post(url, {"title": " ", "minutes": "abc"})
    assert response.status_code == 400
    assert "Skriv punktens rubrik." in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Ekonomi"


def test_moving_an_item_up_and_down_and_a_double_click_moves_once(
    client_for, coordinator, sent_meeting
):
    client = client_for(coordinator)
    item = sent_meeting.items.get(title="Övrigt")
    url = reverse("groups:item_move", args=[sent_meeting.pk, item.pk])
    client.post(url, {"direction": "up", "position": "3"})
    client.post(url, {"direction": "up", "position": "3"})  # the same page, clicked again
    assert _titles(sent_meeting) == ["Ekonomi", "Övrigt", "Handlingsplan"]
    client.post(url, {"direction": "down", "position": "2"})
    assert _titles(sent_meeting) == ["Ekonomi", "Handlingsplan", "Övrigt"]
    assert not _updates().exists()  # the order alone sends nothing
    assert client.post(url, {"direction": "sideways", "position": "3"}).status_code == 302
    assert _titles(sent_meeting) == ["Ekonomi", "Handlingsplan", "Övrigt"]


def test_an_item_with_minutes_written_cannot_be_removed(coordinator, sent_meeting):
    from django.core.exceptions import ValidationError

    item = sent_meeting.items.first()
    AgendaItem.objects.filter(pk=item.pk).update(notes="Vi diskuterade budgeten.")
    with pytest.raises(ValidationError):
        agenda.remove_item(item.pk, sent_meeting)
    assert sent_meeting.items.filter(pk=item.pk).exists()


def test_the_agenda_of_a_cancelled_meeting_stays(coordinator, sent_meeting):
    from django.core.exceptions import ValidationError

    invitations.cancel_meeting(sent_meeting, reason="other")
    with pytest.raises(ValidationError):
        agenda.add_item(sent_meeting, title="Ny punkt")


def test_the_meeting_page_offers_the_agenda_buttons_to_the_coordinator_only(
    client_for, coordinator, member_user, sent_meeting
):
    item = sent_meeting.items.first()
    edit = reverse("groups:item_edit", args=[sent_meeting.pk, item.pk])
    assert edit in client_for(coordinator).get(sent_meeting.get_absolute_url()).content.decode()
    body = client_for(member_user).get(sent_meeting.get_absolute_url()).content.decode()
    assert edit not in body and reverse("groups:meeting_move", args=[sent_meeting.pk]) not in body


# --- 4. uppdrag after the meeting ----------------------------------------------------------


@pytest.fixture
def uppdrag(styrgrupp, book):
    past = book(styrgrupp, days=-20)
    owner = styrgrupp.members.get(rotation_order=2)
    return minutes.add_assignment(meeting=past, what="Ta fram budget", owner=owner)


def test_the_coordinator_edits_an_uppdrag_after_the_meeting(client_for, coordinator, uppdrag):
    url = reverse("groups:assignment_edit", args=[uppdrag.pk])
    client = client_for(coordinator)
    assert client.get(url).status_code == 200
    other = uppdrag.meeting.group.members.get(rotation_order=3)
    data = {"what": "Ta fram budget 2027", "owner": other.pk, "due_on": "2027-02-01", "version": 0}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the double click changes nothing
    uppdrag.refresh_from_db()
    assert (uppdrag.what, uppdrag.owner_id, str(uppdrag.due_on)) == (
        "Ta fram budget 2027",
        other.pk,
        "2027-02-01",
    )
    assert uppdrag.version == 1


def test_an_uppdrag_changed_by_someone_else_meanwhile_is_not_overwritten(
    client_for, coordinator, uppdrag
):
    Assignment.objects.filter(pk=uppdrag.pk).update(what="Någon annans text", version=1)
    url = reverse("groups:assignment_edit", args=[uppdrag.pk])
    data = {"what": "Min text", "owner": uppdrag.owner_id, "due_on": "", "version": 0}
    response = client_for(coordinator).post(url, data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Någon annans text" in body and 'value="1"' in body
    uppdrag.refresh_from_db()
    assert uppdrag.what == "Någon annans text"
    assert client_for(coordinator).post(url, {**data, "version": 1}).status_code == 302
    uppdrag.refresh_from_db()
    assert uppdrag.what == "Min text"


def test_an_uppdrag_without_text_is_refused(client_for, coordinator, uppdrag):
    url = reverse("groups:assignment_edit", args=[uppdrag.pk])
    response = client_for(coordinator).post(
        url, {"what": "", "owner": uppdrag.owner_id, "version": 0}
    )
    assert response.status_code == 400 and "Skriv vad uppdraget är." in response.content.decode()


def test_the_owner_may_mark_done_but_not_edit(client_for, uppdrag, parties):
    owner_user = UserFactory(username="agare", organisation=parties[1], is_caseworker=False)
    uppdrag.owner.user = owner_user
    uppdrag.owner.save()
    client = client_for(owner_user)
    assert client.get(reverse("groups:assignment_edit", args=[uppdrag.pk])).status_code == 403
    done = reverse("groups:assignment_done", args=[uppdrag.pk])
    assert client.post(done, {"next": "mine"}).status_code == 302
    uppdrag.refresh_from_db()
    first = (uppdrag.done_on, uppdrag.version)
    client.post(done, {"next": "mine"})
    uppdrag.refresh_from_db()
    assert first[0] is not None and (uppdrag.done_on, uppdrag.version) == first


def test_an_open_uppdrag_is_carried_with_its_buttons_until_done(
    client_for, coordinator, uppdrag, styrgrupp, book
):
    later = book(styrgrupp, days=20)
    client = client_for(coordinator)
    body = client.get(later.get_absolute_url()).content.decode()
    assert "Ta fram budget" in body and reverse("groups:assignment_edit", args=[uppdrag.pk]) in body
    response = client.post(reverse("groups:assignment_done", args=[uppdrag.pk]), {"back": later.pk})
    assert response.url == later.get_absolute_url()
    assert "Ta fram budget" not in client.get(later.get_absolute_url()).content.decode()


# --- 5. minnesanteckningar without JavaScript ----------------------------------------------


def _minutes_post(meeting, texts, versions=None):
    data = {}
    for item in meeting.items.all():
        for field in ("notes", "decisions"):
            key = f"item-{item.pk}-{field}"
            data[key] = texts.get((item.title, field), getattr(item, field))
            data[f"version-{key}"] = str(
                (versions or {}).get(key, item.field_versions.get(field, 0))
            )
    return data


def test_the_minutes_form_saves_without_javascript(client_for, coordinator, sent_meeting):
    url = reverse("groups:minutes", args=[sent_meeting.pk])
    item = sent_meeting.items.get(title="Ekonomi")
    data = _minutes_post(sent_meeting, {("Ekonomi", "notes"): "Budgeten gicks igenom."})
    response = client_for(coordinator).post(url, {**data, "saved_from": f"item-{item.pk}"})
    assert response.status_code == 302 and response.url.endswith(f"#item-{item.pk}")
    item.refresh_from_db()
    assert item.notes == "Budgeten gicks igenom." and item.field_versions["notes"] == 1
    # The untouched fields were not saved (same text: no new version).
    assert "decisions" not in item.field_versions
    body = client_for(coordinator).get(url).content.decode()
    assert f'action="{url}"' in body and "csrfmiddlewaretoken" in body


def test_the_no_js_form_keeps_someone_elses_newer_text(client_for, coordinator, sent_meeting):
    url = reverse("groups:minutes", args=[sent_meeting.pk])
    item = sent_meeting.items.get(title="Ekonomi")
    stale = _minutes_post(sent_meeting, {("Ekonomi", "notes"): "Min version."})
    minutes.save_item_field(item=item, field="notes", value="Den andras.", seen_version=0)
    response = client_for(coordinator).post(url, stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Min version." in body and "Den andras." in body
    item.refresh_from_db()
    assert item.notes == "Den andras."
    # Sent again with the version the page now holds: mine is kept.
    again = _minutes_post(
        sent_meeting, {("Ekonomi", "notes"): "Min version."}, {f"item-{item.pk}-notes": 1}
    )
    assert client_for(coordinator).post(url, again).status_code == 302
    item.refresh_from_db()
    assert item.notes == "Min version."


def test_the_no_js_form_saves_nothing_when_one_field_is_too_long(
    client_for, coordinator, sent_meeting
):
    from groups.models import NOTES_MAX

    url = reverse("groups:minutes", args=[sent_meeting.pk])
    data = _minutes_post(
        sent_meeting,
        {("Ekonomi", "notes"): "Kort text.", ("Övrigt", "notes"): "x" * (NOTES_MAX + 1)},
    )
    response = client_for(coordinator).post(url, data)
    assert response.status_code == 400
    assert not sent_meeting.items.exclude(notes="").exists()


def test_a_member_cannot_post_the_minutes_form(client_for, member_user, sent_meeting):
    url = reverse("groups:minutes", args=[sent_meeting.pk])
    data = _minutes_post(sent_meeting, {("Ekonomi", "notes"): "Inte min sak."})
    assert client_for(member_user).post(url, data).status_code == 403
    assert not sent_meeting.items.exclude(notes="").exists()


# --- 7. the answers are the individual meetings' -------------------------------------------


def test_the_group_answers_are_the_meetings_answers_without_remote():
    from meetings.enums import Answer

    assert GroupAnswer.ATTENDING == Answer.ATTENDING
    assert GroupAnswer.choices == [c for c in Answer.choices if c[0] != Answer.REMOTE]
    assert GroupAttendee._meta.get_field("answer").choices == GroupAnswer.choices


# --- 6. low turnout: move instead of cancel ------------------------------------------------


def test_the_low_turnout_warning_offers_to_move_the_meeting(client_for, coordinator, sent_meeting):
    for attendee in sent_meeting.attendees.all()[:5]:
        invitations.record_answer(attendee, answer=GroupAnswer.DECLINED)
    body = client_for(coordinator).get(sent_meeting.get_absolute_url()).content.decode()
    warning = body.split('id="low-turnout"', 1)[1].split("</div>", 1)[0]
    assert reverse("groups:meeting_move", args=[sent_meeting.pk]) in warning


def test_the_meeting_page_asks_whether_the_user_keeps_the_group_once(
    client_for, coordinator, sent_meeting
):
    client = client_for(coordinator)
    client.get(sent_meeting.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(sent_meeting.get_absolute_url())
    asked = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT 1 AS "a"') and "coordinated_areas" in q["sql"]
    ]
    assert len(asked) == 1
