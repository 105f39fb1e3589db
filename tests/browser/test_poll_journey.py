""" "Föreslå tider" in Chromium (issue 16): the handläggare proposes three times, two people
answer through the links in their mail, the grid shows it, a pick books the meeting, the
kallelse is queued and those asked hear that the poll is closed."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cases.models import Case
from meetings.enums import PollStatus
from meetings.models import Meeting, TimePoll
from parties.models import ContactPerson

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect

pytestmark = pytest.mark.django_db(transaction=True)

PARTIES = ["Arbetsförmedlingen", "Försäkringskassan"]
POLL_LINK = re.compile(r"https?://[^\s]+(/tider/[^/\s]+/)")


def contact_of(party):
    return ContactPerson.objects.get(
        area__slug="savsjo", organisation__name=party, is_samverk_contact=True
    )


def answer_through_link(guest, link, choices, comment=""):
    guest.goto(link)
    expect(guest.get_by_role("heading", name="Vilka tider passar?")).to_be_visible()
    expect(guest.get_by_text("ett samverkansmöte som Sävsjö kommun kallar till")).to_be_visible()
    expect(guest.get_by_text("Alva")).to_have_count(0)
    groups = guest.get_by_role("group")
    for index, choice in enumerate(choices):
        groups.nth(index).get_by_label(choice, exact=True).check()
    if comment:
        guest.get_by_label("Kommentar (frivilligt)").fill(comment)
    guest.get_by_role("button", name="Spara mina svar").click()
    expect(guest.get_by_role("status")).to_contain_text("Dina svar är sparade")


def test_propose_answer_pick(demo_data, open_page, a11y, screenshot, send_outbox):
    case = Case.objects.get(first_name="Alva")
    page = open_page("handlaggare")
    page.goto(case.get_absolute_url())
    page.get_by_role("link", name="Boka möte").click()
    page.get_by_role("link", name="Föreslå tider i stället").click()
    expect(
        page.get_by_role("heading", name=re.compile("Föreslå tider för möte med"))
    ).to_be_visible()
    a11y.check(page)

    first_day = timezone.localdate() + timedelta(days=30)
    for n in range(3):
        row = page.get_by_role("group", name=f"Tid {n + 1}", exact=True)
        row.get_by_label("Datum").fill((first_day + timedelta(days=n)).isoformat())
        row.get_by_label("Starttid").fill("10:00")
        row.get_by_label("Längd i minuter").fill("60")
    page.get_by_label("Mötestyp").select_option(label="Samverkansmöte")
    page.get_by_label("Plats eller adress").fill("Biblioteket, grupprum 1")
    page.get_by_label("Syfte").fill("Planera stöd på vägen tillbaka till arbete.")
    page.get_by_label("Frågeställningar").fill("Vilka insatser kan varje part erbjuda?")
    contacts = page.get_by_role("group", name="Deltagare")
    for party in PARTIES:
        contacts.get_by_role("group", name=party, exact=True).get_by_label(
            re.compile("Samverk-kontakt")
        ).check()
    page.get_by_role("button", name="Skicka förfrågan om tider").click()
    expect(
        page.get_by_text("Tiderna är föreslagna. 2 personer får frågan med e-post.")
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile("Föreslagna tider: Samverkansmöte"))
    ).to_be_visible()
    a11y.check(page)
    poll = TimePoll.objects.get(case=case)
    assert poll.times.count() == 3

    assert send_outbox()
    links = {}
    for party in PARTIES:
        contact = contact_of(party)
        (request,) = [m for m in mail.outbox if any(contact.email in to for to in m.to)]
        assert "Alva" not in request.body and "Andersson" not in request.body
        links[party] = POLL_LINK.search(request.body).group(1)

    guest = open_page()
    answer_through_link(guest, links["Arbetsförmedlingen"], ["Passar", "Passar inte", "Passar"])
    a11y.check(guest)
    screenshot(guest, "poll-answer")
    other = open_page()
    answer_through_link(
        other,
        links["Försäkringskassan"],
        ["Passar om det behövs", "Passar", "Passar inte"],
        comment="Helst förmiddag",
    )

    page.reload()
    grid = page.get_by_role("table")
    af_row = grid.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile(contact_of("Arbetsförmedlingen").name))
    )
    expect(af_row).to_contain_text("Passar inte")
    expect(grid).to_contain_text("Helst förmiddag")
    expect(grid).to_contain_text("Passar: 1 · Om det behövs: 1 · Passar inte: 0")
    a11y.check(page)
    screenshot(page, "poll-grid")
    page.get_by_role("button", name=re.compile(r"^Välj ")).first.click()
    expect(page.get_by_text("Samverkansmöte är bokat och kallelsen köad.")).to_be_visible()
    expect(page.get_by_role("heading", name="Samverkansmöte för Alva Andersson")).to_be_visible()

    poll.refresh_from_db()
    assert poll.status == PollStatus.PICKED
    meeting = Meeting.objects.get(pk=poll.meeting_id)
    assert timezone.localtime(meeting.starts_at).date() == first_day
    assert meeting.invitations_sent_at is not None
    mail.outbox.clear()
    assert send_outbox()
    for party in PARTIES:
        email = contact_of(party).email
        subjects = [m.subject for m in mail.outbox if any(email in to for to in m.to)]
        assert any(s.startswith("Kallelse") for s in subjects), subjects
        assert any(s.startswith("Tid vald") for s in subjects), subjects

    # The link no longer takes answers, and says why.
    guest.goto(links["Arbetsförmedlingen"])
    expect(guest.get_by_role("heading", name="Länken fungerar inte")).to_be_visible()
    expect(guest.get_by_role("alert")).to_contain_text("en tid är vald")
    a11y.assert_clean()
