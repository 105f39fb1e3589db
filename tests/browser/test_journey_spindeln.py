"""Journey (issue 19, Spindeln): the coordinator opens Uppföljning (Statistik) for Samverk
Sävsjö, goes on to Spindeln and starts a round for the styrgrupp; the members get their
personal links by e-mail, five answer (one with a comment), a used link gets a clear page;
the coordinator sees who has not answered, closes the round and the radar chart shows the
round (solid) against the other areas' mean (dashed, the demo data's closed rounds)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from followup.models import SURVEY_FACTORS, SurveyResponse

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect

pytestmark = pytest.mark.django_db(transaction=True)

SCORES = [4, 3, 3, 2, 3]
LABELS = {4: "Mycket bra", 3: "Bra", 2: "Varken bra eller dåligt"}


def test_spindeln_round_for_the_styrgrupp(demo_data, open_page, a11y, screenshot, send_outbox):
    page = open_page("koordinator")
    year = timezone.localdate().year
    page.goto(f"/uppfoljning/statistik/savsjo/?ar={year}")
    page.get_by_role("link", name="Spindeln – enkät om samverkan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Spindeln")
    a11y.check(page)
    page.get_by_role("link", name="Starta en ny omgång").click()
    page.get_by_label("Rubrik").fill("Hösten")
    closes = timezone.localdate() + timedelta(days=3)
    page.get_by_label("Sista svarsdag").fill(closes.isoformat())
    page.get_by_label("Lokal faktor 1 (valfri)").fill("Vägen in för den enskilde")
    page.get_by_label("Styrgrupp (LSG)", exact=True).check()
    a11y.check(page)
    page.get_by_role("button", name="Starta och skicka länkarna").click()
    expect(page.get_by_text(re.compile(r"Omgången är startad: \d+ länkar"))).to_be_visible()
    round_url = page.url

    sent = [m for m in send_outbox() if m.subject.startswith("Spindeln")]
    assert len(sent) >= 6
    links = [re.search(r"https?://\S+/spindeln/svar/\S+/", m.text_body)[0] for m in sent]

    guest = open_page()
    for n, (link, score) in enumerate(zip(links, SCORES, strict=False)):
        guest.goto("/uppfoljning/" + link.split("/uppfoljning/", 1)[1])
        expect(guest.get_by_role("heading", level=1)).to_contain_text("Spindeln")
        for _key, label in [*SURVEY_FACTORS, ("lokal1", "Vägen in för den enskilde")]:
            group = guest.get_by_role("group", name=str(label))
            group.get_by_label(LABELS[score], exact=True).check()
        if n == 0:
            guest.get_by_label("Kommentar till ”Samsyn kring arbetssätt” (valfri)").fill(
                "Gemensamma genomgångar hjälper."
            )
            a11y.check(guest)
        guest.get_by_role("button", name="Skicka svaret").click()
        expect(guest.get_by_role("status")).to_contain_text("sparat")
    # The first link again: used, a clear page.
    guest.goto("/uppfoljning/" + links[0].split("/uppfoljning/", 1)[1])
    expect(guest.get_by_role("alert")).to_contain_text("redan lämnats")

    page.goto(round_url)
    expect(page.locator("#response-rate")).to_contain_text(f"5 av {len(links)}")
    expect(page.locator("#not-answered li")).to_have_count(len(links) - 5)
    page.get_by_role("button", name="Stäng omgången nu").click()
    expect(page.get_by_text("Omgången är stängd.").first).to_be_visible()
    chart = page.locator("svg.radar")
    expect(chart).to_be_visible()
    expect(chart.locator("polygon[stroke-dasharray]")).to_have_count(1)  # the other areas
    expect(page.get_by_text("Gemensamma genomgångar hjälper.")).to_be_visible()
    expect(page.get_by_role("cell", name="3,00").first).to_be_visible()
    a11y.check(page)
    screenshot(page, "spindeln-round")
    a11y.assert_clean()
    assert SurveyResponse.objects.filter(round__title="Hösten").count() == 5
