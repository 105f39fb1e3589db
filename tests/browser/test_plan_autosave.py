"""plan.js in a real browser (headless Chromium, see tests/browser/conftest.py): autosave,
a lost network, a conflict, an expired session. Skipped where Chromium is missing."""

from datetime import timedelta

import pytest
from django.urls import reverse

from plans.models import ActionPlan
from plans.services.start import get_or_create_plan
from tests.factories import (
    CaseFactory,
    MeetingFactory,
    UserFactory,
    take_part,
)
from tests.helpers import make_parties
from tests.plans.helpers import at, edit_url

PASSWORD = "lösenord-för-test"


# The ärende and its meeting, as tests/plans/conftest.py builds them for the plan tests.
@pytest.fixture
def orgs(db):
    return make_parties("kommun", "af", "fk")


@pytest.fixture
def convener(orgs):
    return UserFactory(username="kallande", organisation=orgs["kommun"], is_caseworker=True)


@pytest.fixture
def af_user(orgs, meeting):
    """A handläggare of another party who took part in one of the ärende's meetings: may
    open it (the organisation alone does not)."""
    user = UserFactory(username="af-handlaggare", organisation=orgs["af"], is_caseworker=True)
    take_part(meeting.case, user, days_ago=30)
    return user


@pytest.fixture
def meeting(area, convener, orgs):
    case = CaseFactory(area=area, owner=convener, first_name="Alva", last_name="Andersson")
    case.involved_organisations.add(orgs["af"])
    starts = at(1)
    return MeetingFactory(
        case=case,
        convened_by=convener,
        convening_organisation=convener.organisation,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )


def run_url(meeting):
    return reverse("meetings:run", args=[meeting.pk])


# Every loss test on the plan page and on "Genomför mötet", which holds the plan's sections
# (issue 17): the meeting needs no page switch, and nothing typed is lost on either.
PAGES = {"plan": edit_url, "run": run_url}


@pytest.fixture(params=sorted(PAGES))
def page_url(request):
    return PAGES[request.param]


@pytest.fixture
def page(open_page, convener, meeting, page_url):
    get_or_create_plan(meeting)
    page = open_page(convener.username, PASSWORD)
    page.goto(page_url(meeting))
    # The page loads its "Efter mötet" section with a request of its own: let it finish
    # before a test writes to the database, which SQLite's shared in-memory test
    # database refuses ("table is locked") while another connection reads the table.
    page.wait_for_load_state("networkidle")
    return page


def stored(meeting, field):
    return getattr(ActionPlan.objects.get(meeting=meeting), field)


def test_typing_is_saved_and_says_so(page, meeting, a11y):
    from playwright.sync_api import expect

    page.get_by_label("Hur är det nu?").fill("Alva är sjukskriven sedan mars.")
    expect(page.locator("#status-current_situation")).to_contain_text("Sparat")
    assert stored(meeting, "current_situation") == "Alva är sjukskriven sedan mars."
    page.get_by_role("button", name="Lägg till mål").click()
    goal = page.get_by_role("textbox", name="Mål 1", exact=True)
    expect(goal).to_be_focused()
    goal.fill("Arbete 25 %")
    expect(page.locator("[id^=status-goal-]")).to_contain_text("Sparat")
    a11y.check(page)
    a11y.assert_clean()


def test_a_lost_network_is_shown_and_retried(page, meeting):
    from playwright.sync_api import expect

    page.context.set_offline(True)
    page.get_by_label("Hur borde det vara?").fill("Skrivet utan nät")
    expect(page.locator("#status-desired_situation")).to_contain_text("Inte sparat – försöker igen")
    kept = page.evaluate("Object.keys(localStorage).filter(k => k.includes('desired_situation'))")
    assert kept
    page.context.set_offline(False)
    expect(page.locator("#status-desired_situation")).to_contain_text("Sparat", timeout=20_000)
    assert stored(meeting, "desired_situation") == "Skrivet utan nät"
    assert page.evaluate("Object.keys(localStorage).length") == 0


def test_a_conflict_shows_both_texts_and_keeps_mine(page, meeting, convener):
    from playwright.sync_api import expect

    from plans.services.autosave import save_plan_field

    plan = ActionPlan.objects.get(meeting=meeting)
    plan.meeting = meeting
    save_plan_field(
        plan=plan, user=convener, field="way_forward", value="Någon annans", seen_version=0
    )
    page.get_by_label("Hur når vi dit?").fill("Min text")
    box = page.locator("[data-conflict=way_forward]")
    expect(box).to_contain_text("Någon annans")
    expect(box).to_contain_text("Min text")
    box.get_by_role("button", name="Behåll min text").click()
    expect(page.locator("#status-way_forward")).to_contain_text("Sparat")
    assert stored(meeting, "way_forward") == "Min text"


def test_an_expired_session_keeps_the_text_until_logged_in_again(page, meeting, convener, log_in):
    from playwright.sync_api import expect

    page.context.clear_cookies()
    page.get_by_label("det här är viktigt för mig").fill("Jag vill jobba med djur")
    expect(page.locator("#plan-banner")).to_contain_text("Du har loggats ut")
    assert stored(meeting, "individual_words") == ""
    other = page.context.new_page()
    log_in(other, convener.username, PASSWORD)
    other.close()
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(page.locator("#status-individual_words")).to_contain_text("Sparat")
    assert stored(meeting, "individual_words") == "Jag vill jobba med djur"


def test_unsaved_text_left_in_the_browser_is_offered_back(page, meeting):
    from playwright.sync_api import expect

    plan = ActionPlan.objects.get(meeting=meeting)
    page.evaluate(
        """key => localStorage.setItem(key, JSON.stringify(
            {text: "Från förra gången", version: "0", at: Date.now()}))""",
        f"samverk:plan:{plan.pk}:current_situation",
    )
    page.reload()
    offer = page.locator("#status-current_situation [data-restore]")
    expect(offer).to_contain_text("Det finns osparad text")
    offer.get_by_role("button", name="Ta tillbaka den").click()
    expect(page.locator("#status-current_situation")).to_contain_text("Sparat")
    assert stored(meeting, "current_situation") == "Från förra gången"


def test_typed_text_survives_a_reload(page, meeting):
    from playwright.sync_api import expect

    page.get_by_label("Hur är det nu?").fill("Alva vill börja arbetsträna i vår.")
    expect(page.locator("#status-current_situation")).to_contain_text("Sparat")
    page.reload()
    expect(page.get_by_label("Hur är det nu?")).to_have_value("Alva vill börja arbetsträna i vår.")


def test_two_browsers_editing_one_field_see_the_conflict(
    page, open_page, meeting, af_user, page_url
):
    """Two people at two laptops: the later writer sees both texts, nothing is overwritten."""
    from playwright.sync_api import expect

    other = open_page(af_user.username, PASSWORD)
    other.goto(page_url(meeting))
    expect(other.get_by_label("Hur borde det vara?")).to_be_visible()

    page.get_by_label("Hur borde det vara?").fill("Arbete på halvtid till hösten.")
    expect(page.locator("#status-desired_situation")).to_contain_text("Sparat")

    other.get_by_label("Hur borde det vara?").fill("Studier på komvux.")
    box = other.locator("[data-conflict=desired_situation]")
    expect(box).to_contain_text("Arbete på halvtid till hösten.")
    expect(box).to_contain_text("Studier på komvux.")
    assert stored(meeting, "desired_situation") == "Arbete på halvtid till hösten."


def saves_sent(page):
    """The autosave requests the page sends from now on."""
    sent = []
    page.on("request", lambda request: sent.append(request) if "/spara/" in request.url else None)
    return sent


def test_a_text_over_the_limit_is_refused_kept_and_not_retried(page, meeting):
    from playwright.sync_api import expect

    from plans.models import LONG_TEXT_MAX

    field = page.get_by_label("Hur är det nu?")
    sent = saves_sent(page)
    too_long = "x" * (LONG_TEXT_MAX + 5)
    field.fill(too_long)
    status = page.locator("#status-current_situation")
    expect(status).to_contain_text("Högst 10\u00a0000 tecken får plats här")
    expect(status).to_contain_text("Texten finns kvar här i fältet")
    expect(page.locator(".char-counter")).to_contain_text("5 tecken för mycket")
    page.wait_for_timeout(3000)  # a retry would come after 1 s, then 2 s
    assert len(sent) == 1
    expect(field).to_have_value(too_long)
    kept = page.evaluate("Object.keys(localStorage).filter(k => k.includes('current_situation'))")
    assert kept
    assert stored(meeting, "current_situation") == ""
    field.fill("x" * LONG_TEXT_MAX)
    expect(status).to_contain_text("Sparat")
    assert len(stored(meeting, "current_situation")) == LONG_TEXT_MAX


def test_a_paste_too_big_for_the_server_is_413_kept_and_not_retried(page, meeting):
    from django.conf import settings
    from playwright.sync_api import expect

    field = page.get_by_label("det här är viktigt för mig")
    sent = saves_sent(page)
    pasted = "y" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    field.fill(pasted)
    status = page.locator("#status-individual_words")
    expect(status).to_contain_text("Det du skickade är för stort")
    expect(status).to_contain_text("Texten finns kvar här i fältet")
    page.wait_for_timeout(3000)
    assert len(sent) == 1
    assert page.evaluate("document.getElementById('f-individual_words').value.length") == len(
        pasted
    )
    assert stored(meeting, "individual_words") == ""


def test_the_counter_shows_near_the_limit_on_an_ordinary_form(open_page, convener, meeting):
    from playwright.sync_api import expect

    from common.forms import TEXT_MAX

    page = open_page(convener.username, PASSWORD)
    page.goto(f"/moten/{meeting.pk}/stall-in/")
    reason = page.get_by_label("Anledning")
    reason.fill("x" * 100)
    expect(page.locator(".char-counter")).to_have_count(0)
    reason.fill("x" * (TEXT_MAX - 10))
    counter = page.locator(".char-counter")
    expect(counter).to_be_visible()
    expect(counter).to_have_text("3\u00a0990 av 4\u00a0000 tecken")
    # The browser itself stops at maxlength on an ordinary form.
    assert reason.get_attribute("maxlength") == str(TEXT_MAX)
