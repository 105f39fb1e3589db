"""Issue 14 in the browser: the idle warning appears before the session's idle limit and
"Fortsätt vara inloggad" keeps the session; a page runs without Content-Security-Policy
violations (open_page watches every page for them)."""

from playwright.sync_api import expect


def test_the_idle_warning_appears_and_the_button_keeps_the_session(
    demo_data, open_page, settings
):
    # The live server runs in this process, so the settings reach its pages.
    settings.SESSION_IDLE_TIMEOUT = 12
    settings.SESSION_IDLE_WARNING = 9
    page = open_page("handlaggare")
    warning = page.get_by_role("alert").filter(has_text="Du loggas snart ut")
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible(timeout=8_000)
    expect(warning).to_contain_text("kvar")
    page.get_by_role("button", name="Fortsätt vara inloggad").click()
    expect(warning).to_be_hidden()
    # The ping moved the server's idle limit too: a page loads without a new login.
    page.wait_for_timeout(10_000)  # past the limit counted from the page load
    page.get_by_role("link", name="Mina ärenden", exact=True).click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def test_the_session_ends_when_the_warning_is_ignored(demo_data, open_page, settings):
    settings.SESSION_IDLE_TIMEOUT = 4
    settings.SESSION_IDLE_WARNING = 3
    page = open_page("handlaggare")
    expect(page.locator("#session-alert")).to_be_visible(timeout=8_000)
    page.reload()
    expect(page.get_by_label("Lösenord")).to_be_visible()  # the login page


def test_an_open_meeting_page_pings_the_keepalive_only_after_activity(demo_data, open_page):
    from meetings.enums import MeetingKind
    from meetings.models import Meeting

    meeting = Meeting.objects.get(case__first_name="Alva", kind=MeetingKind.COLLABORATION)
    page = open_page("handlaggare")
    pings = []
    page.on("request", lambda request: "/hall-inloggad/" in request.url and pings.append(1))
    page.clock.install()
    page.goto(f"/moten/{meeting.pk}/")
    expect(page.get_by_role("heading", name="Samverkansmöte för Alva Andersson")).to_be_visible()
    page.clock.run_for("05:05")  # nobody touched the page: no ping
    page.wait_for_timeout(300)
    assert pings == []
    page.get_by_role("heading", name="Samverkansmöte för Alva Andersson").click()
    page.clock.run_for("05:05")  # someone clicked since: one ping
    page.wait_for_timeout(300)
    assert len(pings) == 1
    page.clock.run_for("05:05")  # and nothing since that ping
    page.wait_for_timeout(300)
    assert len(pings) == 1


def test_a_csp_violation_is_caught(demo_data, open_page, csp_violations):
    """The watch every browser test has: an inline script and an inline style are refused
    and reported (then forgotten, so this test passes)."""
    page = open_page("handlaggare")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.ranInline = true";
            document.body.appendChild(script);
            document.body.setAttribute("style", "color: red");
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.ranInline === undefined")
    found = "\n".join(csp_violations.found)
    assert "script-src" in found and "style-src" in found
    csp_violations.found.clear()
