"""axe-core (WCAG 2.0/2.1 A and AA rules) on the logged-in navigation of each demo role and on
one page of each kind. Any violation of impact serious or critical fails the test.

The journeys (test_journey_*.py) check every page they reach in the same way.
"""

import pytest
from django.urls import reverse

from cases.models import Case
from meetings.enums import MeetingKind, ParticipantKind
from meetings.models import Meeting
from meetings.services.invitations import answer_token, delegate_token

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect

pytestmark = pytest.mark.django_db(transaction=True)

# The Django admin (the "Administration" link) is Django's own markup, not Samverk's.
NOT_OURS = ("/admin/",)


def nav_links(page):
    nav = page.get_by_role("navigation", name="Huvudmeny")
    hrefs = [link.get_attribute("href") for link in nav.get_by_role("link").all()]
    return [href for href in dict.fromkeys(hrefs) if href and not href.startswith(NOT_OURS)]


def visit(page, a11y, path):
    response = page.goto(path)
    assert response.ok, f"{path} answered {response.status}"
    a11y.check(page)


@pytest.mark.parametrize("username", ["handlaggare", "koordinator", "admin"])
def test_logged_in_navigation_has_no_serious_violations(demo_data, open_page, a11y, username):
    page = open_page()
    visit(page, a11y, reverse("login"))
    page = open_page(username)
    links = nav_links(page)
    assert len(links) >= 4, links
    for path in links:
        visit(page, a11y, path)
    a11y.assert_clean()


def test_one_page_of_each_kind_has_no_serious_violations(demo_data, open_page, a11y):
    case = Case.objects.get(first_name="Alva")
    meeting = Meeting.objects.get(case=case, kind=MeetingKind.COLLABORATION)
    contact = meeting.participants.filter(kind=ParticipantKind.CONTACT).first()

    page = open_page("handlaggare")
    for path in [
        reverse("parties:contact_list", args=["savsjo"]),
        reverse("parties:contact_list", args=["eksjo"]),  # the stale-list warning
        reverse("parties:unit_list", args=["savsjo"]),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:create"),
        reverse("cases:history", args=[case.pk]),
        reverse("consent:list", args=[case.pk]),
        reverse("consent:create", args=[case.pk]),
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:reschedule", args=[meeting.pk]),
        reverse("meetings:book", args=[case.pk]),
        reverse("meetings:my_week"),
        reverse("meetings:area_week", args=["savsjo"]),
    ]:
        visit(page, a11y, path)

    # The booking page with every error shown.
    page.goto(reverse("meetings:book", args=[case.pk]))
    page.get_by_role("button", name="Boka mötet").click()
    expect(page.get_by_text("Mötet bokades inte.")).to_be_visible()
    a11y.check(page)

    coordinator = open_page("koordinator")
    for path in [
        reverse("parties:contact_create", args=["savsjo"]),
        reverse("parties:contact_import", args=["savsjo"]),
    ]:
        visit(coordinator, a11y, path)

    # Public pages reached from an e-mail, not logged in.
    guest = open_page()
    for path in [
        reverse("meetings:answer", args=[answer_token(contact)]),
        reverse("meetings:delegate", args=[delegate_token(contact)]),
        reverse("meetings:answer", args=["not-a-valid-token"]),
    ]:
        guest.goto(path)
        a11y.check(guest)

    a11y.assert_clean()
