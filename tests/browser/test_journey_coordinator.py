"""Journey: the samverkanskoordinator keeps Sävsjö's contact list current.

Logs in, finds a contact person, changes the phone number, downloads the PDF contact list
and sees the new number in it. axe-core runs on every page on the way.
"""

import io

import pytest
from pypdf import PdfReader

from parties.models import ContactPerson, SamverkArea

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PHONE = "0382-155 77"


def run_worker():
    """What the worker does for the enqueued build (issue 20), in place: `db_worker`'s
    exclusive transaction finds the live server's in-memory SQLite locked (the page polls).
    tests/parties/test_contact_pdf_worker.py runs the real worker."""
    from parties.services.documents import build_contact_list_document

    build_contact_list_document(SamverkArea.objects.get(slug="savsjo").pk)


def test_coordinator_edits_a_phone_number_and_downloads_the_pdf_list(
    demo_data, open_page, a11y, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    person = ContactPerson.objects.get(
        area__slug="savsjo", organisation__name="Försäkringskassan", is_samverk_contact=True
    )

    page = open_page("koordinator")
    expect(page.get_by_role("heading", name="Välkommen, Kim")).to_be_visible()
    a11y.check(page)

    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Kontaktlistor").click()
    expect(page.get_by_role("heading", name="Kontaktlistor per Samverk-område")).to_be_visible()
    a11y.check(page)

    page.get_by_role("link", name="Samverk Sävsjö").click()
    expect(page.get_by_role("heading", name="Kontaktlista Samverk Sävsjö")).to_be_visible()
    a11y.check(page)

    # Find the person by name.
    page.get_by_label("Sök", exact=True).fill(person.name)
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.get_by_role("caption")).to_have_text("1 kontaktperson")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=person.name))
    expect(row).to_contain_text(person.phone)
    a11y.check(page)

    # Edit the phone number.
    row.get_by_role("link", name=f"Ändra {person.name}").click()
    expect(page.get_by_role("heading", name=f"Ändra {person.name}")).to_be_visible()
    a11y.check(page)
    page.get_by_label("Telefon").fill(NEW_PHONE)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status").first).to_be_visible()
    expect(page.get_by_role("heading", name="Kontaktlista Samverk Sävsjö")).to_be_visible()
    expect(page.get_by_role("link", name=NEW_PHONE)).to_be_visible()
    a11y.check(page)
    person.refresh_from_db()
    assert person.phone == NEW_PHONE

    # The worker makes the new PDF: until it is done the page says so, then it tells when
    # the PDF was made (htmx polls every two seconds).
    expect(page.get_by_text("Kontaktlistan som PDF skapas…")).to_be_visible()
    run_worker()
    expect(page.get_by_text("PDF:en skapades")).to_be_visible(timeout=15000)

    # Open the contact list as PDF (served inline: Chromium shows it in its PDF viewer);
    # the new number is in it.
    with page.expect_response(lambda r: r.url.endswith("/kontaktlista.pdf")) as pdf_info:
        page.get_by_role("link", name="Kontaktlista som PDF").click()
    response = pdf_info.value
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="kontaktlista-savsjo.pdf"' in response.headers["content-disposition"]
    # The viewer wraps the document, so save it as the browser would, with the same session.
    data = page.request.get(response.url).body()
    assert data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert person.name in text
    assert NEW_PHONE in text
    page.go_back()
    expect(page.get_by_role("heading", name="Kontaktlista Samverk Sävsjö")).to_be_visible()

    screenshot(page, "coordinator")
    a11y.assert_clean()


def test_coordinator_deactivates_and_reactivates_a_person_from_the_list(demo_data, open_page, a11y):
    """The row buttons post through the page's one CSRF form (form= and formaction=)."""
    person = ContactPerson.objects.get(
        area__slug="savsjo", organisation__name="Försäkringskassan", is_samverk_contact=True
    )
    page = open_page("koordinator")
    page.goto("/kontakter/savsjo/")
    expect(page.get_by_role("heading", name="Kontaktlista Samverk Sävsjö")).to_be_visible()

    page.get_by_role("button", name=f"Inaktivera {person.name}").click()
    expect(page.get_by_role("status").filter(has_text="är inaktiverad")).to_be_visible()
    person.refresh_from_db()
    assert not person.is_active
    expect(page.get_by_role("button", name=f"Inaktivera {person.name}")).to_have_count(0)

    page.get_by_label("Status").select_option("inaktiva")
    page.get_by_role("button", name="Sök", exact=True).click()
    # Keyboard: focus the button and press Enter.
    page.get_by_role("button", name=f"Aktivera {person.name}").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="är aktiv igen")).to_be_visible()
    person.refresh_from_db()
    assert person.is_active
    a11y.check(page)
    a11y.assert_clean()
