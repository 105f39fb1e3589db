""" "Genomför mötet" in a real browser, driven by a quick mötesledare.

Every control on the page saves itself with htmx and the answer replaces a part of the page.
A click or a key that lands while an earlier answer is on its way must still be saved and
still be shown: these tests act without waiting between actions, then check the page, the
database and the reloaded page. A server that answers slowly (``latency``) or an answer held
back in the browser (``HeldAnswers``) makes the overlap certain instead of a matter of luck.
The fixes live in templates/meetings/run.html, run/_*.html and static/js/run_page.js.
Skipped where Chromium is missing.
"""

import time

import pytest

from meetings.enums import AgendaItem, Attendance, MeetingStatus
from meetings.models import Meeting, Participant
from meetings.views import run as views_run
from tests.factories import (
    CaseFactory,
    MeetingFactory,
    ParticipantFactory,
    UserFactory,
)
from tests.helpers import make_parties, wait_until

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect

PASSWORD = "lösenord-för-test"
NAMES = ["Anna Arbete", "Bo Vård", "Cecilia Psykiatri", "David Kommun"]
# Seconds each change waits on the server before it is handled: longer than a quick hand
# needs for the next click, so every action below lands while an earlier one is on its way.
SLOW = 0.3


# The ärende and its meeting, as tests/meetings/conftest.py builds them for the meeting tests.
@pytest.fixture
def orgs(db):
    return make_parties()


@pytest.fixture
def convener(orgs):
    return UserFactory(username="kallande", organisation=orgs["kommun"], is_caseworker=True)


@pytest.fixture
def meeting(area, convener, orgs):
    case = CaseFactory(area=area, owner=convener, first_name="Alva", last_name="Andersson")
    meeting = MeetingFactory(
        case=case, convened_by=convener, convening_organisation=convener.organisation
    )
    case.involved_organisations.add(orgs["af"], orgs["kommun"])
    return meeting


@pytest.fixture
def people(meeting, orgs):
    """Four participants, in the order the page lists them (by party)."""
    parties = [orgs["af"], orgs["vc"], orgs["psyk"], orgs["kommun"]]
    return [
        ParticipantFactory(meeting=meeting, name=name, organisation=org)
        for name, org in zip(NAMES, parties, strict=True)
    ]


@pytest.fixture(params=[0, SLOW], ids=["fast-server", "slow-server"])
def latency(request, monkeypatch):
    """Every change on the run page answers after this many seconds (the live server runs in a
    thread of this process, so patching the view class reaches it)."""
    delay = request.param
    if delay:
        dispatch = views_run.RunChangeMixin.dispatch

        def slow_dispatch(self, request, *args, **kwargs):
            time.sleep(delay)
            return dispatch(self, request, *args, **kwargs)

        monkeypatch.setattr(views_run.RunChangeMixin, "dispatch", slow_dispatch)
    return delay


@pytest.fixture
def page(open_page, convener, meeting, people, latency):
    page = open_page(convener.username, PASSWORD)
    page.goto(f"/moten/{meeting.pk}/genomfor/")
    page.wait_for_load_state("networkidle")
    return page


IDLE = "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"


def quiet(page):
    """No request on its way and htmx done swapping and settling, for a moment on end.

    htmx marks the element of a request on its way (htmx-request) and new content until it has
    settled. A queued request is sent in the task that handles the answer before it, but
    static/js/run_page.js sends a remade choice in a task of its own: hence the second look.
    (Playwright's "networkidle" does not help: once reached, waiting for it returns at once.)"""
    for _ in range(50):
        wait_until(page, IDLE)
        page.wait_for_timeout(100)
        if page.evaluate(IDLE):
            return
    raise AssertionError("The page never came to rest")


def checklist(page):
    return page.get_by_role("region", name="Checklista under mötet")


def test_ticking_every_checklist_point_quickly_saves_them_all(page, meeting):
    labels = [str(label) for label in AgendaItem.labels]
    for label in labels:
        checklist(page).get_by_label(label).click()
    quiet(page)

    for label in labels:
        expect(checklist(page).get_by_label(label)).to_be_checked()
    meeting.refresh_from_db()
    assert meeting.agenda_done == list(AgendaItem.values)
    page.reload()
    for label in labels:
        expect(checklist(page).get_by_label(label)).to_be_checked()


def test_ticking_and_unticking_a_point_quickly_keeps_the_last_choice(page, meeting):
    first, second = (str(label) for label in AgendaItem.labels[:2])
    box = checklist(page).get_by_label(first)
    box.click()
    checklist(page).get_by_label(second).click()
    box.click()  # changed my mind
    quiet(page)

    expect(checklist(page).get_by_label(first)).not_to_be_checked()
    expect(checklist(page).get_by_label(second)).to_be_checked()
    meeting.refresh_from_db()
    assert meeting.agenda_done == [AgendaItem.values[1]]
    page.reload()
    expect(checklist(page).get_by_label(first)).not_to_be_checked()
    expect(checklist(page).get_by_label(second)).to_be_checked()


def test_marking_everyone_quickly_saves_every_attendance(page, people):
    wanted = [Attendance.PRESENT, Attendance.REMOTE, Attendance.ABSENT, Attendance.EXCUSED]
    for person, attendance in zip(people, wanted, strict=True):
        page.get_by_label(f"Närvaro för {person.name}").select_option(attendance.value)
    quiet(page)

    for person, attendance in zip(people, wanted, strict=True):
        expect(page.get_by_label(f"Närvaro för {person.name}")).to_have_value(attendance.value)
        assert Participant.objects.get(pk=person.pk).attendance == attendance, person.name
    page.reload()
    for person, attendance in zip(people, wanted, strict=True):
        expect(page.get_by_label(f"Närvaro för {person.name}")).to_have_value(attendance.value)


def test_ticking_the_checklist_with_the_keyboard_keeps_ticks_and_focus(page, meeting):
    """Space, Tab, Space, Tab, Space: the last box keeps the focus after every answer."""
    labels = [str(label) for label in AgendaItem.labels]
    checklist(page).get_by_label(labels[0]).focus()
    for index in range(len(labels)):
        if index:
            page.keyboard.press("Tab")
        page.keyboard.press("Space")
    quiet(page)

    for label in labels:
        expect(checklist(page).get_by_label(label)).to_be_checked()
    expect(checklist(page).get_by_label(labels[-1])).to_be_focused()
    meeting.refresh_from_db()
    assert meeting.agenda_done == list(AgendaItem.values)


class HeldAnswers:
    """Holds the page's POSTs to a path in the browser until ``release()``: an answer then
    arrives exactly while the test holds a mouse button or key down."""

    def __init__(self, page, pattern):
        self.page, self.pattern, self.routes = page, pattern, []
        page.route(pattern, self.hold)

    def hold(self, route):
        if route.request.method == "POST":
            self.routes.append(route)
        else:
            route.continue_()

    def wait_for_one(self):
        for _ in range(500):
            if self.routes:
                return
            self.page.wait_for_timeout(10)  # lets Playwright hand over the intercepted request
        raise AssertionError(f"No POST to {self.pattern} was sent")

    def release(self):
        for route in self.routes:  # before unroute, which would let them go by itself
            route.continue_()
        self.page.unroute(self.pattern, self.hold)


@pytest.mark.parametrize("hand", ["mouse", "keyboard"])
def test_a_tick_held_down_while_an_answer_comes_back_is_kept(page, meeting, hand):
    """Pressing takes a moment (mouse button or Space down, then up): the answer to the box
    before arrives in between. The box must still be ticked and saved."""
    first, second = (str(label) for label in AgendaItem.labels[:2])
    held = HeldAnswers(page, "**/genomfor/checklista/")
    checklist(page).get_by_label(first).click()
    held.wait_for_one()
    box = checklist(page).get_by_label(second)
    if hand == "mouse":
        area = box.bounding_box()
        page.mouse.move(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
        page.mouse.down()
    else:
        box.focus()
        page.keyboard.down(" ")
    held.release()
    expect(page.locator("#run-status")).to_contain_text("Checklistan är sparad.")
    quiet(page)  # the answer has been swapped in and settled
    if hand == "mouse":
        page.mouse.up()
    else:
        page.keyboard.up(" ")
    quiet(page)

    expect(checklist(page).get_by_label(first)).to_be_checked()
    expect(checklist(page).get_by_label(second)).to_be_checked()
    meeting.refresh_from_db()
    assert meeting.agenda_done == list(AgendaItem.values[:2])


def test_a_tick_that_cannot_be_saved_says_so(page, meeting):
    """Only the message is updated by the answer: it must still reach the user."""
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    checklist(page).get_by_label(str(AgendaItem.labels[0])).click()
    quiet(page)

    alert = checklist(page).get_by_role("alert")
    expect(alert).to_contain_text("Checklistan kunde inte sparas.")
    expect(alert).to_contain_text("Mötet är inställt")
    assert Meeting.objects.get(pk=meeting.pk).agenda_done == []


def test_arrow_keys_through_the_choices_keep_the_last_one(page, people):
    """A keyboard user steps down the list with the arrow keys: every step is a change."""
    anna, bo = people[0], people[1]  # next to each other on the page
    page.get_by_label(f"Närvaro för {anna.name}").focus()
    for _ in range(3):  # Ej registrerad → Närvarande → telefon/video → Frånvarande
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")  # on to the next person's choice
    page.keyboard.press("ArrowDown")  # Bo: Närvarande
    quiet(page)

    anna_select = page.get_by_label(f"Närvaro för {anna.name}")
    bo_select = page.get_by_label(f"Närvaro för {bo.name}")
    expect(anna_select).to_have_value(Attendance.ABSENT.value)
    expect(bo_select).to_have_value(Attendance.PRESENT.value)
    # The keyboard user is still where they were, not thrown back to the top of the page.
    expect(bo_select).to_be_focused()
    assert Participant.objects.get(pk=anna.pk).attendance == Attendance.ABSENT
    assert Participant.objects.get(pk=bo.pk).attendance == Attendance.PRESENT
    page.reload()
    expect(page.get_by_label(f"Närvaro för {anna.name}")).to_have_value(Attendance.ABSENT.value)
    expect(page.get_by_label(f"Närvaro för {bo.name}")).to_have_value(Attendance.PRESENT.value)


@pytest.fixture
def present(people):
    """Anna and Bo are at the table, so they can be given roles."""
    for person in people[:2]:
        person.attendance = Attendance.PRESENT
        person.save(update_fields=["attendance"])
    return people[:2]


def test_choosing_every_role_quickly_saves_them_all(present, page, meeting):
    anna, bo = present
    roles = page.get_by_role("region", name="Roller")
    wanted = {"Ordförande": anna, "Sekreterare": bo, "Samordnare": anna}
    for label, person in wanted.items():
        roles.get_by_label(label).select_option(str(person.pk))
    quiet(page)

    for label, person in wanted.items():
        expect(roles.get_by_label(label)).to_have_value(str(person.pk))
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.secretary, meeting.coordinator) == (anna, bo, anna)
    page.reload()
    for label, person in wanted.items():
        expect(page.get_by_label(label)).to_have_value(str(person.pk))


def test_the_chosen_answer_keeps_the_focus_where_the_keyboard_is(page, people):
    """The answer replaces the row around the choice the keyboard is on: focus stays on it."""
    choice = page.get_by_label(f"Närvaro för {people[0].name}")
    choice.focus()
    page.keyboard.press("ArrowDown")
    quiet(page)

    expect(page.locator("#run-status")).to_contain_text(f"{people[0].name}: Närvarande.")
    expect(choice).to_be_focused()
    page.keyboard.press("ArrowDown")
    quiet(page)
    expect(choice).to_be_focused()
    expect(choice).to_have_value(Attendance.REMOTE.value)
    assert Participant.objects.get(pk=people[0].pk).attendance == Attendance.REMOTE


def test_a_role_chosen_right_after_an_attendance_is_saved(present, page, meeting, people):
    """The answer to an attendance sends the roles anew (who can be chosen has changed): a role
    chosen with the keyboard meanwhile is still saved, shown and focused."""
    anna, newcomer = present[0], people[2]
    page.get_by_label(f"Närvaro för {newcomer.name}").select_option(Attendance.PRESENT.value)
    chair = page.get_by_role("region", name="Roller").get_by_label("Ordförande")
    chair.focus()
    page.keyboard.press("ArrowDown")  # – Ingen vald – → Anna Arbete
    quiet(page)

    expect(page.locator("#run-status")).to_contain_text("Rollerna är sparade.")
    expect(chair).to_have_value(str(anna.pk))
    expect(chair).to_be_focused()
    expect(chair.locator("option", has_text=newcomer.name)).to_have_count(1)
    meeting.refresh_from_db()
    assert meeting.chair == anna
    assert Participant.objects.get(pk=newcomer.pk).attendance == Attendance.PRESENT
    page.reload()
    expect(page.get_by_label("Ordförande")).to_have_value(str(anna.pk))


def test_a_choice_made_just_after_an_answer_replaced_the_form_is_sent(present, page, meeting):
    """htmx sets up replaced content when it settles; a choice made in between (here: in the
    task right after the swap, as a quick hand could) must still be sent."""
    anna = present[0]
    page.evaluate(
        """anna => document.addEventListener("htmx:afterSwap", () => setTimeout(() => {
            const chair = document.getElementById("roll-chair");
            chair.value = anna;
            chair.dispatchEvent(new Event("change", {bubbles: true}));
        }, 0), {once: true})""",
        str(anna.pk),
    )
    page.get_by_label(f"Närvaro för {present[1].name}").select_option(Attendance.REMOTE.value)
    expect(page.locator("#run-status")).to_contain_text("Rollerna är sparade.")
    quiet(page)

    meeting.refresh_from_db()
    assert meeting.chair == anna
