"""The handlingsplan as PDF: the seeds' headings in order, who was there and who was
not, signatures and version, never the personnummer; the staff download."""

import io
import re
import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from plans.services.documents import plan_html, render_plan_letter_pdf, render_plan_pdf
from plans.services.versions import freeze_plan, sign_version
from tests.factories import ParticipantFactory

PNR = "198112289874"

HEADINGS = [
    "Samordningsplan för Alva Andersson",
    "Datum",
    "Närvarande",
    "Hur är det nu?",
    "Hur borde det vara?",
    "Hur når vi dit?",
    "Mål och delmål",
    "Det här har vi bestämt",
    "Uppföljning / nästa möte",
    "Underskrift enskild",
    "Underskrift ansvarig personal",
    "Kontaktuppgifter till samordningsansvarig",
    "Med den enskildes egna ord",
]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[ \t]+", " ", text)


@pytest.fixture
def full_plan(plan, meeting, orgs, convener, af_user):
    case = meeting.case
    case.personnummer = PNR
    case.save()
    ParticipantFactory(
        meeting=meeting,
        kind="staff",
        user=convener,
        name="Karin Kallande",
        organisation=orgs["kommun"],
        attendance="present",
    )
    ParticipantFactory(
        meeting=meeting,
        kind="staff",
        user=af_user,
        name="Anders Förmedlare",
        organisation=orgs["af"],
        attendance="remote",
    )
    ParticipantFactory(
        meeting=meeting,
        kind="external",
        name="Fia Frånvarosson",
        organisation=orgs["fk"],
        attendance="excused",
    )
    ParticipantFactory(
        meeting=meeting,
        kind="individual",
        name=case.individual_name,
        email="",
        attendance="present",
    )
    ParticipantFactory(
        meeting=meeting, kind="external", name="Borttagen Person", removed_at=meeting.starts_at
    )
    plan.current_situation = f"Alva har ingen sysselsättning. Pnr {PNR} ska inte synas."
    plan.desired_situation = "Alva har ett arbete eller en praktik."
    plan.way_forward = "Kartläggning hos Arbetsförmedlingen."
    plan.follow_up_who = "Samma deltagare"
    plan.follow_up_where = "Kommunhuset"
    plan.follow_up_when = "2031-03-14 kl 10.00"
    plan.follow_up_responsible = "Karin Kallande"
    plan.coordinator_name = "Karin Kallande"
    plan.coordinator_contact = "0382-123 45, karin@savsjo.example"
    plan.individual_words = "Jag vill ha ett jobb där jag får vara ute."
    plan.save()
    goal = plan.goals.create(text="Alva har en praktikplats", position=0)
    plan.goals.create(text="Besök två arbetsplatser", parent=goal, position=0)
    plan.actions.create(
        what="Kartläggning av arbetsförmåga", responsible_organisation=orgs["af"], position=0
    )
    version = freeze_plan(plan=plan, user=convener)
    sign_version(version=version, user=convener, role="individual", method="paper", name="Alva A")
    sign_version(version=version, user=convener, role="staff", method="app", name="Karin Kallande")
    return plan


def test_pdf_has_every_heading_in_order_and_who_was_there(full_plan):
    text = pdf_text(render_plan_pdf(full_plan, 1))
    positions = [text.find(h) for h in HEADINGS]
    assert -1 not in positions, [h for h, p in zip(HEADINGS, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    present, absent = text.index("Närvarande"), text.index("Frånvarande")
    assert present < text.index("Karin Kallande") < absent
    assert present < text.index("Anders Förmedlare") < absent
    assert "telefon/video" in text[present:absent]
    assert absent < text.index("Fia Frånvarosson") < text.index("Hur är det nu?")
    assert "anmält förhinder" in text
    assert "Borttagen Person" not in text
    assert "Version 1, fastställd" in text
    assert "Alva A" in text and "Signerat på papper" in text
    assert "Bekräftat i appen" in text
    assert "Kartläggning av arbetsförmåga" in text and "Besök två arbetsplatser" in text


def test_no_personnummer_anywhere_in_the_pdf_or_the_letter(full_plan):
    for content in (
        render_plan_pdf(full_plan, 1),
        render_plan_pdf(full_plan),
        render_plan_letter_pdf(full_plan, 1),
    ):
        text = pdf_text(content).replace(" ", "").replace("\n", "")
        for form in (PNR, PNR[2:], f"{PNR[:8]}-{PNR[8:]}", f"{PNR[2:8]}-{PNR[8:]}"):
            assert form not in text


def test_a_version_renders_its_snapshot_and_the_draft_the_current_text(full_plan, convener):
    full_plan.way_forward = "Ny väg framåt efter fastställandet."
    full_plan.save()
    assert "Ny väg framåt" not in plan_html(full_plan, 1)
    draft = plan_html(full_plan)
    assert "Ny väg framåt" in draft and "Utkast" in draft
    freeze_plan(plan=full_plan, user=convener)
    old = plan_html(full_plan, 1)
    assert "Det finns en senare version (2)" in old


def test_letter_has_the_address_block_and_the_plan(full_plan):
    case = full_plan.meeting.case
    case.address = "Storgatan 3\n576 30 Sävsjö"
    case.save()
    text = pdf_text(render_plan_letter_pdf(full_plan, 1))
    assert "Storgatan 3" in text and "576 30 Sävsjö" in text
    assert text.index("Hej Alva!") < text.index("Samordningsplan för Alva Andersson")


def test_staff_download_with_version_and_access(client, full_plan, meeting, af_user, outsider):
    url = reverse("plans:pdf", args=[meeting.pk])
    client.force_login(af_user)
    response = client.get(url, {"version": 1})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert "Version 1" in pdf_text(response.content)
    assert client.get(url).status_code == 200  # the current text
    assert client.get(url, {"version": 9}).status_code == 404
    assert client.get(url, {"version": "x"}).status_code == 404
    assert meeting.case.events.filter(action="plan.viewed", user=af_user).exists()
    client.force_login(outsider)
    assert client.get(url, {"version": 1}).status_code == 404
    assert client.get(reverse("plans:letter", args=[meeting.pk])).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_render_time_with_30_actions(plan, convener, orgs, record_property):
    for i in range(30):
        plan.actions.create(
            what=f"Insats nummer {i} med en beskrivning som tar lite plats på raden",
            responsible_organisation=orgs["af"],
            position=i,
        )
    freeze_plan(plan=plan, user=convener)
    render_plan_pdf(plan, 1)  # warm up: imports and fonts
    times = []
    for _ in range(10):
        start = time.perf_counter()
        content = render_plan_pdf(plan, 1)
        times.append(time.perf_counter() - start)
    times.sort()
    median = (times[4] + times[5]) / 2
    record_property("median_render_seconds", median)
    print(f"\nrender_plan_pdf, 30 actions: median {median * 1000:.0f} ms over 10 runs")
    assert content.startswith(b"%PDF")
    assert median < 5
