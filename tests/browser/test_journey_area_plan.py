"""Journey (issue 18): the coordinator writes Samverk Eksjö's handlingsplan for 2027 from
2026's (the demo data's, from the area's own plan), with follow-up notes, fastställer it,
downloads the PDF; the public page, without login, shows it. An uppdrag from the styrgrupp's
meeting is linked to an aktivitet and printed under it with its status; a member of the
area's styrgrupp reads the draft (no editing controls); the public page names the member who
agreed and no one else, and leaves the uppdrag out. Also: the contact form's Enhet list
follows the chosen Part. axe-core on every page, CSP watched."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from groups.enums import GroupKind, MemberRole
from groups.models import Assignment, Group, GroupMeeting, GroupMember
from parties.models import Organisation, SamverkArea, User

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect

pytestmark = pytest.mark.django_db(transaction=True)

FOLLOW_UP = "Rutinen skrevs under våren 2027 och togs i arbetsgruppen."
LATE = "Skicka rutinen på remiss till parterna"
DONE = "Boka lokal till samverkansdagen"


def eksjo_styrgrupp(eksjo):
    """Eksjö's styrgrupp with a member who agreed to be named (an account: Fredrik
    Försäkring) and one who did not, and a held meeting with two uppdrag: one late, one
    done."""
    group = Group.objects.create(area=eksjo, kind=GroupKind.STEERING, name="LSG Eksjö")
    fredrik = GroupMember.objects.create(
        group=group,
        user=User.objects.get(username="handlaggare-fk"),
        name="Fredrik Försäkring",
        organisation=Organisation.objects.get(name="Försäkringskassan"),
        role=MemberRole.CHAIR,
        name_public=True,
    )
    GroupMember.objects.create(
        group=group,
        name="Per Ekström",
        organisation=Organisation.objects.get(name="Försäkringskassan"),
    )
    today = timezone.localdate()
    start = timezone.now() - timedelta(days=20)
    meeting = GroupMeeting.objects.create(
        group=group, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    Assignment.objects.create(
        meeting=meeting, what=LATE, owner=fredrik, due_on=today - timedelta(days=5)
    )
    Assignment.objects.create(meeting=meeting, what=DONE, owner_name="Per Ekström", done_on=today)


def test_coordinator_writes_2027_from_2026_and_the_public_page_shows_it(
    demo_data, open_page, a11y, screenshot
):
    eksjo = SamverkArea.objects.get(slug="eksjo")
    User.objects.get(username="koordinator").coordinated_areas.add(eksjo)
    eksjo_styrgrupp(eksjo)

    page = open_page("koordinator")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Kontaktlistor"
    ).click()
    page.get_by_role("link", name="Samverk Eksjö").click()
    page.get_by_role("link", name="Områdets handlingsplan").click()
    expect(page.get_by_role("heading", name="Handlingsplaner – Samverk Eksjö")).to_be_visible()
    a11y.check(page)

    # The year is suggested (the one after the last plan); the new plan starts from 2026's.
    expect(page.get_by_label("År")).to_have_value("2027")
    page.get_by_role("button", name="Skapa planen").click()
    expect(page.get_by_role("heading", name="Handlingsplan 2027 – Samverk Eksjö")).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("aktiviteter som inte är genomförda")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Lokal samverkansdag")
    # 1c was genomförd in 2026: it stays behind; 1d becomes 1c.
    expect(table).not_to_contain_text("Sammanställning av samverkansforum")
    a11y.check(page)
    screenshot(page, "area_plan_2027")

    # The follow-up note of 2a.
    page.get_by_role("link", name="Ändra aktivitet 2a").click()
    expect(page.get_by_role("heading", name="Aktivitet 2a (2027)")).to_be_visible()
    a11y.check(page)
    page.get_by_label("Uppföljning").fill(FOLLOW_UP)
    page.get_by_label("Genomförd").check()
    # The styrgrupp's uppdrag serve this aktivitet.
    page.get_by_label(re.compile(LATE)).check()
    page.get_by_label(re.compile(DONE)).check()
    page.get_by_role("button", name="Spara aktiviteten").click()
    expect(page.get_by_role("table")).to_contain_text(FOLLOW_UP)
    linked = page.locator(".area-plan-assignments")
    expect(linked).to_contain_text(f"{LATE} – Fredrik Försäkring")
    expect(linked).to_contain_text("försenat")
    expect(linked).to_contain_text("klart")

    # A new mål with one aktivitet.
    page.get_by_role("link", name="Lägg till mål").click()
    page.get_by_label("Mål").fill("Vägen in till varandras verksamheter")
    page.get_by_role("button", name="Spara målet").click()
    page.get_by_role("link", name="Lägg till aktivitet under mål 7").click()
    page.get_by_label("Aktivitet").fill("Telefonlista med vägen in")
    page.get_by_label("Ansvarig").fill("Arbetsgruppen")
    page.get_by_label("När").fill("Våren 2027")
    page.get_by_role("button", name="Spara aktiviteten").click()
    expect(page.get_by_role("table")).to_contain_text("7. Vägen in till varandras verksamheter")

    page.get_by_role("link", name="Ändra kommentaren").click()
    a11y.check(page)
    page.get_by_label("Kommentar till hela planen").fill("Styrgruppen fastställde planen i mars.")
    page.get_by_role("button", name="Spara kommentaren").click()

    # A member of the area's styrgrupp reads the draft, without the editing controls.
    member = open_page("handlaggare-fk")
    member.goto(f"/handlingsplaner/{eksjo.slug}/2027/")
    expect(member.get_by_role("heading", name="Handlingsplan 2027 – Samverk Eksjö")).to_be_visible()
    expect(member.get_by_role("table")).to_contain_text("Telefonlista med vägen in")
    expect(member.get_by_role("table")).to_contain_text(LATE)
    expect(member.get_by_role("link", name="Lägg till mål")).to_have_count(0)
    expect(member.get_by_role("button", name="Spara versionen")).to_have_count(0)
    expect(member.get_by_text("Du läser planen som medlem")).to_be_visible()
    a11y.check(member)

    # Fastställ.
    page.get_by_label("Fastställd").check()
    page.get_by_label("Datum").fill("2027-03-02")
    page.get_by_role("button", name="Spara versionen").click()
    expect(page.get_by_role("status").first).to_have_text("Planen har fastställts (version 1).")
    a11y.check(page)

    # The PDF of the version.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF version 1").click()
    download = download_info.value
    assert download.suggested_filename == "handlingsplan-eksjo-2027-v1.pdf"
    pdf = PdfReader(io.BytesIO(download.path().read_bytes()))
    text = " ".join(p.extract_text() for p in pdf.pages).replace("\n", " ")
    for expected in ("MÅL", "AKTIVITET", "HUR", "ANSVARIG", "NÄR", "Telefonlista med vägen in"):
        assert expected in text
    assert "Rutinen skrevs under våren 2027" in text
    squeezed = " ".join(text.split())
    assert "Uppdrag från gruppmöten" in squeezed
    assert f"{LATE} – Fredrik Försäkring" in squeezed and "(försenat)" in squeezed
    assert f"{DONE} – Per Ekström" in squeezed and "(klart)" in squeezed
    assert "Styrgruppen fastställde planen i mars." in text
    assert pdf.pages[0].mediabox.width > pdf.pages[0].mediabox.height  # landscape

    # The public page, without login.
    public = open_page()
    public.goto(f"/omrade/{eksjo.slug}/")
    expect(public.get_by_role("heading", level=1)).to_have_text("Samverk Eksjö")
    expect(public.get_by_role("heading", name="Handlingsplan 2027")).to_be_visible()
    expect(public.get_by_role("table")).to_contain_text(FOLLOW_UP)
    expect(public.get_by_role("heading", name="Vägen in")).to_be_visible()
    parties = public.locator(".area-parties")
    expect(parties).to_contain_text("Försäkringskassan")
    expect(parties).to_contain_text("Fredrik Försäkring – LSG Eksjö")
    expect(public.locator("body")).not_to_contain_text("Per Ekström")
    expect(public.locator("body")).not_to_contain_text(LATE)
    expect(public.get_by_role("button", name="Logga ut")).to_have_count(0)
    a11y.check(public)
    screenshot(public, "area_public_page")
    a11y.assert_clean()


def test_the_contact_forms_unit_list_follows_the_party(demo_data, open_page, a11y):
    page = open_page("koordinator")
    page.goto("/kontakter/savsjo/ny/")
    unit = page.get_by_role("combobox", name="Enhet")
    page.get_by_role("combobox", name="Part").select_option(
        label="Region Jönköpings län, primärvård"
    )
    shown = [t for t in unit.locator("option:not([hidden])").all_inner_texts() if t.strip("-")]
    assert shown and all("(Region Jönköpings län, primärvård)" in text for text in shown)
    page.get_by_role("combobox", name="Part").select_option(label="Försäkringskassan")
    shown = [t for t in unit.locator("option:not([hidden])").all_inner_texts() if t.strip("-")]
    assert shown and all("(Försäkringskassan)" in text for text in shown)
    a11y.check(page)
    a11y.assert_clean()
