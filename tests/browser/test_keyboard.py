"""Keyboard only: the booking page can be completed with Tab, Space, Enter and typing.

The test looks at the page (which element has focus) but acts only through the keyboard.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from meetings.models import Meeting

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
