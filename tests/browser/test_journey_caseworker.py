"""Journeys of a meeting: the handläggare books it and sends the kallelse, a participant answers.

The mötesledare's part (attendance, handlingsplan) is in test_journey_meeting_leader.py.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from meetings.enums import Answer
from meetings.models import Meeting, Participant
from parties.models import ContactPerson

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect

pytestmark = pytest.mark.django_db(transaction=True)

CASE = "Linnea Berg"  # a demo ärende with no consent and no meetings yet
PARTIES = ["Arbetsförmedlingen", "Försäkringskassan", "Region Jönköpings län, primärvård"]
ANSWER_LINK = re.compile(r"https?://[^\s]+(/svar/[^/\s]+/)")


def test_caseworker_books_a_samverkansmote_and_a_participant_answers(
    demo_data, open_page, a11y, screenshot, send_outbox
):
    page = open_page("handlaggare")
    a11y.check(page)

    # Open the ärende.
    page.get_by_role("link", name=CASE).first.click()
    expect(page.get_by_role("heading", name=CASE, exact=True)).to_be_visible()
    expect(page.get_by_text("Det finns inget gällande samtycke.")).to_be_visible()
    a11y.check(page)

    # Record the individual's written consent for the parties and the kommun.
    page.get_by_role("link", name="Registrera samtycke").click()
    expect(page.get_by_role("heading", name=f"Registrera samtycke för {CASE}")).to_be_visible()
    a11y.check(page)
    page.get_by_label("Skriftligt").check()
    for party in [*PARTIES, "Sävsjö kommun"]:
        page.get_by_label(party, exact=True).check()
    page.get_by_role("button", name="Spara samtycket").click()
    expect(page.get_by_text("Samtycket är registrerat.")).to_be_visible()
    a11y.check(page)

    # Book a samverkansmöte ten days ahead with three parties.
    page.get_by_role("navigation", name="Brödsmulor").get_by_role("link", name=CASE).click()
    page.get_by_role("link", name="Boka möte").click()
    expect(page.get_by_role("heading", name=f"Boka möte för {CASE}")).to_be_visible()
    a11y.check(page)
    day = timezone.localdate() + timedelta(days=10)
    page.get_by_label("Mötestyp").select_option(label="Samverkansmöte")
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Starttid").fill("10:00")
    page.get_by_label("Mötesrum").select_option(label="Samverksrummet, Kommunhuset, Storgatan 10")
    page.get_by_label("Syfte").fill("Planera stöd på vägen tillbaka till arbete.")
    page.get_by_label("Frågeställningar").fill("Vilka insatser kan varje part erbjuda?")
    contacts = page.get_by_role("group", name="Deltagare")
    for party in PARTIES:
        contacts.get_by_role("group", name=party, exact=True).get_by_label(
            re.compile("Samverk-kontakt")
        ).check()
    page.get_by_role("button", name="Boka mötet").click()

    # The guideline warning: three weeks' notice. Accept it and book anyway.
    warning = page.get_by_role("alert").filter(has_text="Kontrollera innan du bokar")
    expect(warning).to_contain_text("Mötet är om 10 dagar.")
    a11y.check(page)
    page.get_by_label("Jag har läst varningarna och vill ändå boka").check()
    page.get_by_role("button", name="Boka mötet").click()
    expect(page.get_by_text("Samverkansmöte är bokat.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Samverkansmöte för {CASE}")).to_be_visible()
    a11y.check(page)
    meeting = Meeting.objects.get(case__first_name="Linnea")
    assert timezone.localtime(meeting.starts_at).date() == day
    assert meeting.accepted_warnings

    # Send the kallelse; the worker sends it from the outbox.
    page.get_by_role("button", name="Skicka kallelse").click()
    expect(page.get_by_text(re.compile(r"Kallelsen är köad till \d+ deltagare"))).to_be_visible()
    a11y.check(page)
    assert send_outbox()
    contact = ContactPerson.objects.get(
        area__slug="savsjo", organisation__name="Försäkringskassan", is_samverk_contact=True
    )
    (invitation,) = [m for m in mail.outbox if any(contact.email in to for to in m.to)]
    link = ANSWER_LINK.search(invitation.body)
    assert link, invitation.body

    # The participant answers through the link, not logged in.
    guest = open_page()
    guest.goto(link.group(1))
    expect(guest.get_by_role("heading", name="Svara på kallelse")).to_be_visible()
    a11y.check(guest)
    guest.get_by_label("Jag kommer").check()
    guest.get_by_role("button", name="Skicka svar").click()
    expect(guest.get_by_role("status")).to_contain_text("Tack! Ditt svar är registrerat: Kommer")
    a11y.check(guest)
    screenshot(guest, "participant")
    answered = Participant.objects.get(meeting=meeting, contact_person=contact)
    assert answered.answer == Answer.ATTENDING

    # The handläggare sees the answer on the meeting page.
    page.reload()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=contact.name))
    expect(row).to_contain_text("Kommer")
    screenshot(page, "caseworker")

    a11y.assert_clean()
