"""The booking page's "Sök i listan": a long contact list narrowed by typing, with the
people already ticked kept in view and the count read out."""

import re

import pytest
from django.urls import reverse

from cases.models import Case
from meetings.models import Meeting
from parties.models import ContactPerson, User

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_contact_list_is_narrowed_by_typing_and_ticked_people_stay(demo_data, open_page, a11y):
    case = Case.objects.get(first_name="Alva")
    listed = ContactPerson.objects.filter(area=case.area, is_active=True)
    total = listed.count()
    wanted = listed.select_related("organisation").order_by("name").last()
    meetings_before = Meeting.objects.filter(case=case).count()
    page = open_page("handlaggare")
    page.goto(reverse("meetings:book", args=[case.pk]))

    ticked = page.get_by_role("group", name="Arbetsförmedlingen", exact=True).get_by_label(
        re.compile("Samverk-kontakt")
    )
    ticked.check()
    search = page.get_by_label("Sök i listan")
    expect(search).to_be_visible()
    search.fill(wanted.name.upper())
    checkboxes = page.locator(".contact-choice input")
    shown = [box for box in checkboxes.all() if box.is_visible()]
    expected = listed.filter(name__iexact=wanted.name).count() + 1  # + the ticked one
    assert len(shown) == expected
    expect(page.get_by_label(re.compile(re.escape(wanted.name))).first).to_be_visible()
    expect(ticked).to_be_visible()
    expect(ticked).to_be_checked()
    expect(page.locator("#contact-filter-count")).to_have_text(
        f"Visar {expected} av {total} personer."
    )
    # A party with no one left in view is hidden with its heading.
    other_parties = {
        group.get_attribute("data-party")
        for group in page.locator(".contact-group").all()
        if group.is_visible()
    }
    assert other_parties == {"Arbetsförmedlingen", wanted.organisation.name}
    a11y.check(page)

    # Enter in the search field does not send the booking.
    search.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Boka möte för"))).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert Meeting.objects.filter(case=case).count() == meetings_before
    assert page.url.endswith(reverse("meetings:book", args=[case.pk]))

    search.fill("")
    assert sum(box.is_visible() for box in checkboxes.all()) == total
    expect(page.locator("#contact-filter-count")).to_have_text("")
    a11y.assert_clean()


def test_without_javascript_the_search_is_not_offered(client, demo_data):
    case = Case.objects.get(first_name="Alva")
    client.force_login(User.objects.get(username="handlaggare"))
    page = client.get(reverse("meetings:book", args=[case.pk])).content.decode()
    assert '<div class="contact-filter mb-2" hidden>' in page
