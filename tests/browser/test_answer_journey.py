"""The answer journey (issue 16): a contact person opens the link from the kallelse, sees what
the meeting is about and who convenes, answers "Jag kan inte komma" with a comment and a
written contribution (text and a PDF); the convener sees both on the meeting page and in the
live meeting, and opens the PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfWriter

from cases.models import Case
from meetings.enums import Answer, MeetingKind, ParticipantKind
from meetings.models import Meeting
from meetings.services import invitations

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect

pytestmark = pytest.mark.django_db(transaction=True)


def a_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_decline_with_a_comment_and_a_written_contribution_reaches_the_convener(
    demo_data, open_page, a11y, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case = Case.objects.get(first_name="Alva")
    meeting = Meeting.objects.get(case=case, kind=MeetingKind.COLLABORATION)
    contact = meeting.participants.filter(kind=ParticipantKind.CONTACT).first()
    convener = meeting.convened_by

    guest = open_page()
    guest.goto(reverse("meetings:answer", args=[invitations.answer_token(contact)]))
    expect(guest.get_by_role("heading", name="Svara på kallelse")).to_be_visible()
    # What the meeting is about and whom to ask, without the individual's name.
    expect(guest.get_by_text("Syfte", exact=True)).to_be_visible()
    expect(guest.get_by_text("Sammankallande", exact=True)).to_be_visible()
    expect(guest.locator("main")).to_contain_text(convener.email)
    expect(guest.locator("main")).not_to_contain_text(case.last_name)
    a11y.check(guest)

    guest.get_by_label("Jag kan inte komma").check()
    guest.get_by_label("Kommentar (frivilligt)").fill("Jag är på kurs den dagen.")
    guest.get_by_label("Skriftligt underlag (om du inte kan komma)").fill(
        "Försäkringskassan kan ta emot ansökan om rehabiliteringsersättning."
    )
    guest.get_by_label("Skriftligt underlag som PDF (frivilligt)").set_input_files(
        {"name": "underlag.pdf", "mimeType": "application/pdf", "buffer": a_pdf()}
    )
    guest.get_by_role("button", name="Skicka svar").click()
    expect(guest.get_by_role("status")).to_contain_text(
        "Tack! Ditt svar är registrerat: Kommer inte"
    )
    expect(guest.get_by_text("Ditt skriftliga underlag är lämnat")).to_be_visible()
    a11y.check(guest)
    screenshot(guest, "answer-declined")
    contact.refresh_from_db()
    assert contact.answer == Answer.DECLINED and contact.contribution_file

    page = open_page(convener.username)
    page.goto(meeting.get_absolute_url())
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=contact.name))
    expect(row).to_contain_text("Kommer inte")
    expect(row).to_contain_text("Jag är på kurs den dagen.")
    row.get_by_text("Skriftligt underlag").click()
    expect(row).to_contain_text("rehabiliteringsersättning")
    link = row.get_by_role("link", name="Underlag (PDF)")
    expect(link).to_be_visible()
    # The PDF as the convener's browser fetches it (the session's cookies).
    pdf = page.context.request.get(link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    assert 'filename="skriftligt-underlag.pdf"' in pdf.headers["content-disposition"]
    a11y.check(page)
    screenshot(page, "meeting-contribution")

    page.goto(reverse("meetings:run", args=[meeting.pk]))
    live_row = page.locator(f"#deltagare-{contact.pk}")
    expect(live_row).to_contain_text("Jag är på kurs den dagen.")
    live_row.get_by_text("Skriftligt underlag").click()
    expect(live_row).to_contain_text("rehabiliteringsersättning")
    a11y.assert_clean()
