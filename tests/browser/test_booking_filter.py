"""The booking page's "Sök i listan" (issue 20): the page offers the suggested contacts
only, the rest of the area's list is searched on the server as the user types (htmx), the
people ticked among the hits stay ticked when the search changes, and Enter in the field
does not send the booking. (Until issue 20 the page shipped the whole list and the field
narrowed it in the browser.)"""

import re

import pytest
from django.urls import reverse

from cases.models import Case
from meetings.models import Meeting
from parties.models import ContactPerson, User

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_contact_list_is_searched_by_typing_and_ticked_people_stay(demo_data, open_page, a11y):
    case = Case.objects.get(first_name="Alva")
    listed = ContactPerson.objects.filter(area=case.area, is_active=True)
    meetings_before = Meeting.objects.filter(case=case).count()
    page = open_page("handlaggare")
    page.goto(reverse("meetings:book", args=[case.pk]))
    checkboxes = page.locator(".contact-choice input")
    offered = {box.get_attribute("value") for box in checkboxes.all()}
    assert len(offered) < listed.count()
    wanted = (
        listed.exclude(pk__in=[int(pk) for pk in offered])
        .select_related("organisation")
        .order_by("name")
        .last()
    )

    ticked = page.get_by_role("group", name="Arbetsförmedlingen", exact=True).get_by_label(
        re.compile("Samverk-kontakt")
    )
    ticked.check()
    search = page.get_by_label("Sök i listan")
    expect(search).to_be_visible()
    # The no-JS "Sök" button is gone with JavaScript.
    expect(page.get_by_role("button", name="Sök", exact=True)).to_have_count(0)
    search.fill(wanted.name.upper())
    hits = page.locator("#contact-search-results")
    hit = hits.get_by_label(re.compile(re.escape(wanted.name))).first
    expect(hit).to_be_visible()
    expected = listed.filter(name__iexact=wanted.name).exclude(pk__in=[int(pk) for pk in offered])
    expect(hits.locator(".contact-choice input")).to_have_count(expected.count())
    hit.check()
    expect(ticked).to_be_visible()
    expect(ticked).to_be_checked()
    a11y.check(page)

    # Another search: the ticked hit stays, ticked.
    search.fill("ingen heter så här")
    expect(hits).to_contain_text("Ingen fler")
    expect(hits.get_by_label(re.compile(re.escape(wanted.name))).first).to_be_checked()

    # Enter in the search field does not send the booking.
    search.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Boka möte för"))).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert Meeting.objects.filter(case=case).count() == meetings_before
    assert page.url.endswith(reverse("meetings:book", args=[case.pk]))
    a11y.assert_clean()


def test_without_javascript_the_search_is_a_button_that_keeps_the_form(client, demo_data):
    case = Case.objects.get(first_name="Alva")
    client.force_login(User.objects.get(username="handlaggare"))
    page = client.get(reverse("meetings:book", args=[case.pk])).content.decode()
    assert 'name="sok"' in page and "formnovalidate" in page
