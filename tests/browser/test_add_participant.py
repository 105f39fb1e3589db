"""Adding a contact person on the meeting page with the keyboard: the searchable field
(a text input whose <datalist> is filled from the area's contacts as the user types) has
a visible label, is a combobox for screen readers, and its plain form submit works
without JavaScript."""

import pytest
from django.urls import reverse

from cases.models import Case
from meetings.enums import MeetingKind
from meetings.models import Meeting
from parties.models import ContactPerson

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect

pytestmark = pytest.mark.django_db(transaction=True)


def addable_contact(meeting):
    taken = meeting.participants.exclude(contact_person=None).values("contact_person")
    return (
        ContactPerson.objects.filter(area=meeting.case.area, is_active=True)
        .exclude(pk__in=taken)
        .select_related("organisation")
        .order_by("organisation__name", "name")
        .first()
    )


@pytest.mark.parametrize("javascript", [True, False])
def test_a_contact_is_added_by_typing_with_the_keyboard(
    demo_data, open_page, chromium_browser, live_server, a11y, javascript
):
    case = Case.objects.get(first_name="Alva")
    meeting = Meeting.objects.get(case=case, kind=MeetingKind.COLLABORATION)
    person = addable_contact(meeting)
    page = open_page("handlaggare")
    if not javascript:
        # The same session in a context without JavaScript: the submit path must not need it.
        context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False)
        context.add_cookies(page.context.cookies())
        page = context.new_page()
    page.goto(reverse("meetings:detail", args=[meeting.pk]))

    field = page.get_by_label("Kontaktperson från områdets lista")
    expect(field).to_be_visible()
    expect(page.get_by_role("combobox", name="Kontaktperson från områdets lista")).to_be_visible()
    label = f"{person.name} ({person.organisation.name})"
    options = page.locator("#contact-options option")
    offered = f'#contact-options option[value="{label}"]'

    field.focus()
    page.keyboard.type(person.name)
    if javascript:
        # The list holds the people whose label has what was typed, fetched as one types.
        page.wait_for_selector(offered, state="attached")
        a11y.check(page)
        page.keyboard.press("Control+A")
    else:
        assert options.count() == 0  # no list without JavaScript: the whole label will do
        field.fill("")
    page.keyboard.type(label)
    page.keyboard.press("Enter")  # submits the form, as in any text field
    expect(page.get_by_text(f"{person.name} är tillagd.")).to_be_visible()
    assert meeting.participants.filter(contact_person=person, removed_at=None).exists()
    if javascript:
        # Now on the meeting, no longer offered.
        page.get_by_label("Kontaktperson från områdets lista").focus()
        page.keyboard.type(person.name)
        page.wait_for_load_state("networkidle")
        assert label not in options.evaluate_all("els => els.map(e => e.value)")
        a11y.assert_clean()
    else:
        page.context.close()
