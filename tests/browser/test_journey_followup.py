"""Journey (issue 19): a handläggare reports an avvikelse (a name in the text asks for a
confirmation first), the coordinator is mailed, handles it (status, measures), and the
handläggare sees the status; the coordinator opens Statistik for Samverk Sävsjö 2026, sees
the charts with their tables (handlingsplaner and åtaganden too) from the menu, publishes
the period's summary of the avvikelser for the styrgrupp, downloads the XLSX and the
Årsrapport PDF (with the summary). axe-core on every
page, CSP watched."""

import io

import openpyxl
import pytest
from django.core import mail
from pypdf import PdfReader

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_avvikelse_is_reported_and_handled_and_the_statistics_downloaded(
    demo_data, open_page, a11y, screenshot, send_outbox
):
    page = open_page("handlaggare")
    page.goto("/uppfoljning/avvikelser/ny/")
    expect(page.get_by_role("heading", name="Rapportera en avvikelse")).to_be_visible()
    a11y.check(page)
    page.get_by_label("Samverk-område").select_option(label="Samverk Sävsjö")
    page.get_by_label("När hände det?").fill("2026-03-04")
    page.get_by_label("Vad gick fel?").select_option(label="Ett åtagande blev inte gjort")
    page.get_by_label("Försäkringskassan").check()
    page.get_by_label("Sävsjö kommun").check()
    page.get_by_label("Vad hände?").fill("Lisa Larsson fick aldrig besked om arbetsträningen.")
    page.get_by_label("Vad ledde det till för den enskilde?").fill("Hamnade mellan stolarna.")
    page.get_by_role("button", name="Rapportera").click()
    # A name: warned, nothing saved until confirmed; the text is kept.
    expect(page.get_by_text("ser ut att innehålla ett namn (Lisa Larsson)")).to_be_visible()
    a11y.check(page)
    page.get_by_label("Vad hände?").fill("Den enskilde fick aldrig besked om arbetsträningen.")
    page.get_by_role("button", name="Rapportera").click()
    expect(page.get_by_role("heading", name="Mina rapporterade avvikelser")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Ny")
    a11y.check(page)

    send_outbox()
    notice = [m for m in mail.outbox if "Ny avvikelse" in m.subject]
    assert notice and "arbetsträningen" not in notice[0].body

    coordinator = open_page("koordinator")
    coordinator.goto("/uppfoljning/avvikelser/")
    expect(coordinator.get_by_role("heading", name="Avvikelser – Samverk Sävsjö")).to_be_visible()
    a11y.check(coordinator)
    coordinator.get_by_role("link", name="Öppna avvikelsen 2026-03-04").click()
    expect(coordinator.get_by_text("Den enskilde fick aldrig besked")).to_be_visible()
    coordinator.get_by_label("Status").select_option(label="Åtgärdad")
    coordinator.get_by_label("Åtgärder").fill("Ny rutin för återkoppling mellan FK och kommunen.")
    coordinator.get_by_role("button", name="Spara").click()
    expect(coordinator.get_by_role("status").first).to_contain_text("Avvikelsen är sparad")
    a11y.check(coordinator)
    screenshot(coordinator, "followup_deviation")

    page.reload()
    expect(page.get_by_role("table")).to_contain_text("Åtgärdad")
    expect(page.get_by_role("table")).not_to_contain_text("Ny rutin")

    # The period's summary for the styrgrupp, written and published on the compilation.
    summary = "Ett åtagande blev inte gjort under våren; rutinen för återkoppling ses över."
    coordinator.goto("/uppfoljning/omrade/savsjo/avvikelser/sammanstallning/?ar=2026")
    expect(coordinator.get_by_role("table").nth(1)).to_contain_text("Sävsjö kommun")
    coordinator.get_by_label("Sammanfattning för styrgruppen").fill(summary)
    coordinator.get_by_label("Publicera för styrgruppen").check()
    coordinator.get_by_role("button", name="Spara sammanfattningen").click()
    expect(coordinator.get_by_role("status").first).to_contain_text("Sammanfattningen är sparad")
    expect(coordinator.locator("blockquote")).to_contain_text(summary)
    a11y.check(coordinator)

    coordinator.get_by_role("link", name="Uppföljning").click()
    coordinator.get_by_label("År", exact=True).fill("2026")
    coordinator.get_by_role("button", name="Visa").click()
    expect(
        coordinator.get_by_role("heading", name="Statistik – Samverk Sävsjö 2026", level=1)
    ).to_be_visible()
    expect(coordinator.get_by_role("table", name="Handlingsplaner")).to_be_visible()
    expect(coordinator.get_by_role("table", name="Åtaganden", exact=False)).to_be_visible()
    expect(coordinator.locator("blockquote")).to_contain_text(summary)
    expect(coordinator.get_by_role("img", name="Möten per månad och typ")).to_be_visible()
    expect(coordinator.get_by_role("img", name="Kallade och närvarande per part")).to_be_visible()
    expect(coordinator.get_by_role("table", name="Avvikelser per kategori")).to_contain_text(
        "Ett åtagande blev inte gjort"
    )
    a11y.check(coordinator)
    screenshot(coordinator, "followup_statistics")

    with coordinator.expect_download() as download_info:
        coordinator.get_by_role("link", name="Ladda ner alla tabeller (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename == "statistik-savsjo-20260101-20261231.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    assert any("Avvikelser per kategori" in name for name in book.sheetnames)

    with coordinator.expect_download() as download_info:
        coordinator.get_by_role("link", name="Årsrapport 2026 (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "arsrapport-savsjo-2026.pdf"
    with open(download.path(), "rb") as handle:
        pdf = PdfReader(io.BytesIO(handle.read()))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "Årsrapport Samverk Sävsjö 2026" in text and "Avvikelser per kategori" in text
    assert "Handlingsplaner" in text and "rutinen för återkoppling ses över" in " ".join(
        text.split()
    )
    assert "Den enskilde fick aldrig" not in text
    a11y.assert_clean()
