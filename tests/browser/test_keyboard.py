"""Keyboard only: the booking page can be completed with Tab, Space, Enter and typing.

The test looks at the page (which element has focus) but acts only through the keyboard.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from meetings.enums import MeetingKind
from meetings.models import Meeting
from plans.models import Action
from tests.helpers import HTMX_AT_REST, wait_until

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect

pytestmark = pytest.mark.django_db(transaction=True)

FOCUS_OUTLINE = "rgb(245, 183, 0)"  # static/css/samverk.css, :focus-visible
MAX_TABS = 120


def has_focus(locator):
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, locator):
    """Press Tab until the element has focus, as a keyboard user would (forward only)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if has_focus(locator):
            return
    raise AssertionError(f"Tab never reached {locator}")


def type_date(page, field, day):
    """Type a date into a focused <input type=date>.

    Chromium orders the date's segments by its UI language: ÅÅÅÅ-MM-DD in Swedish, MM/DD/ÅÅÅÅ
    when only its en-US locale is installed (Debian without chromium-l10n). Like a user, look at
    the result and retype in the other order: Shift+Tab out, Tab back in to the first segment.
    """
    for order in ("%Y%m%d", "%m%d%Y", "%d%m%Y"):
        page.keyboard.type(day.strftime(order))
        if field.input_value() == day.isoformat():
            return
        while has_focus(field):
            page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        assert has_focus(field)
    raise AssertionError(f"Could not type {day} into the date field")


def settled(page):
    """Wait until htmx has settled its last answer (new content is live only then)."""
    wait_until(page, HTMX_AT_REST)


def outline_of(locator):
    return locator.evaluate(
        """el => {
            const s = getComputedStyle(el);
            const width = parseFloat(s.outlineWidth);
            return {style: s.outlineStyle, width, color: s.outlineColor};
        }"""
    )


def test_booking_page_can_be_completed_with_the_keyboard(demo_data, open_page, screenshot):
    case = Case.objects.get(first_name="Alva")
    page = open_page("handlaggare")
    page.goto(reverse("meetings:book", args=[case.pk]))
    heading = page.get_by_role("heading", name=f"Boka möte för {case.individual_name}")
    expect(heading).to_be_visible()

    # The first Tab reaches the skip link, which is then visible and jumps to the content.
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    page.keyboard.press("Tab")
    assert has_focus(skip)
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert has_focus(page.locator("main"))

    kind = page.get_by_label("Mötestyp")
    tab_to(page, kind)
    # A visible focus outline (the :focus-visible rule), not only Bootstrap's faint shadow.
    outline = outline_of(kind)
    assert outline["style"] != "none" and outline["width"] >= 2, outline
    assert outline["color"] == FOCUS_OUTLINE, outline
    page.keyboard.type("Samverkansmöte")
    expect(kind).to_have_value("samverkansmote")

    day = timezone.localdate() + timedelta(days=10)
    tab_to(page, page.get_by_label("Datum"))
    type_date(page, page.get_by_label("Datum"), day)
    expect(page.get_by_label("Datum")).to_have_value(day.isoformat())

    tab_to(page, page.get_by_label("Starttid"))
    page.keyboard.type("1300")  # 13:00 also in a 12-hour field (becomes 1 PM)
    expect(page.get_by_label("Starttid")).to_have_value("13:00")

    tab_to(page, page.get_by_label("Plats eller adress"))
    page.keyboard.type("Kommunhuset, rum 3")
    tab_to(page, page.get_by_label("Syfte"))
    page.keyboard.type("Planera stöd mot arbete.")
    tab_to(page, page.get_by_label("Frågeställningar"))
    page.keyboard.type("Vad kan varje part erbjuda?")

    for party in ["Arbetsförmedlingen", "Försäkringskassan"]:
        box = page.get_by_role("group", name=party, exact=True).get_by_label(
            re.compile("Samverk-kontakt")
        )
        tab_to(page, box)
        page.keyboard.press("Space")
        expect(box).to_be_checked()

    submit = page.get_by_role("button", name="Boka mötet")
    tab_to(page, submit)
    outline = outline_of(submit)
    assert outline["style"] != "none" and outline["color"] == FOCUS_OUTLINE, outline
    page.keyboard.press("Enter")

    # Ten days ahead: the guideline warning; accept it with the keyboard and book.
    expect(page.get_by_role("alert")).to_contain_text("Mötet är om 10 dagar.")
    confirm = page.get_by_label("Jag har läst varningarna och vill ändå boka")
    tab_to(page, confirm)
    page.keyboard.press("Space")
    expect(confirm).to_be_checked()
    tab_to(page, submit)
    page.keyboard.press("Enter")

    expect(page.get_by_text("Samverkansmöte är bokat.")).to_be_visible()
    meeting = Meeting.objects.get(case=case, location="Kommunhuset, rum 3")
    assert timezone.localtime(meeting.starts_at).date() == day
    assert meeting.participants.filter(contact_person__isnull=False).count() == 2
    screenshot(page, "keyboard-booking")


def test_plan_page_can_be_written_with_the_keyboard(demo_data, open_page, screenshot):
    meeting = Meeting.objects.get(case__first_name="Alva", kind=MeetingKind.COLLABORATION)
    page = open_page("handlaggare")
    page.goto(reverse("plans:edit", args=[meeting.pk]))
    expect(page.get_by_role("heading", name="Handlingsplan för Alva Andersson")).to_be_visible()
    saved = re.compile("Sparat")

    # Skip link, then Tab to the first field and type; the field says when it is saved.
    page.keyboard.press("Tab")
    assert has_focus(page.get_by_role("link", name="Hoppa till innehållet"))
    page.keyboard.press("Enter")
    now = page.get_by_label("Hur är det nu?")
    tab_to(page, now)
    assert outline_of(now)["color"] == FOCUS_OUTLINE
    page.keyboard.type("Alva vill tillbaka till arbete.")
    expect(now).to_have_accessible_description(saved)
    expect(page.get_by_text("Sparat").first).to_be_visible()

    # Add an action row: Enter on the button, focus lands in the new row's first field.
    decided = page.get_by_role("region", name="Det här har vi bestämt")
    add = decided.get_by_role("button", name="Lägg till beslut")
    tab_to(page, add)
    page.keyboard.press("Enter")
    what = decided.get_by_label("Vad", exact=True)
    expect(what).to_be_focused()
    settled(page)
    page.keyboard.type("Arbetsprövning hos Arbetsförmedlingen.")
    expect(what).to_have_accessible_description(saved)

    due = decided.get_by_label("När", exact=True)
    day = timezone.localdate() + timedelta(days=30)
    tab_to(page, due)
    type_date(page, due, day)
    expect(due).to_have_accessible_description(saved)

    party = decided.get_by_label("Ansvarig part")
    tab_to(page, party)
    page.keyboard.type("Arbetsförmedlingen")
    expect(party.locator("option:checked")).to_have_text("Arbetsförmedlingen")
    expect(party).to_have_accessible_description(saved)

    who = decided.get_by_label("eller namn")
    tab_to(page, who)
    page.keyboard.type("Kim")
    expect(who).to_have_accessible_description(saved)

    action = Action.objects.get(plan__meeting=meeting)
    assert action.what == "Arbetsprövning hos Arbetsförmedlingen."
    assert action.due_on == day
    assert action.responsible_organisation.name == "Arbetsförmedlingen"
    assert action.responsible_name == "Kim"
    screenshot(page, "keyboard-plan")
