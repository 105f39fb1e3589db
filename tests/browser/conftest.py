"""Browser tests: headless Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API
against the app served by pytest-django's live server.

No browser is downloaded: Playwright only launches the system Chromium. When it is missing
(`bin/ensure-chromium` installs it where it can) or cannot be launched, every test in this
folder is skipped with the reason.

Fixtures:
- ``open_page(username=None)``: a fresh browser context and page on the live server, logged in
  through the real login form when a username is given.
- ``log_in(page, username, password)``: logs an open page in through the real login form
  (again, say after its session has expired).
- ``a11y``: runs axe-core on a page (``a11y.check(page)``) and collects serious/critical
  violations; ``a11y.assert_clean()`` fails with a readable list.
- ``screenshot(page, name)``: writes test-output/screenshots/<name>.png for a person to look at.
- ``send_outbox()``: sends the queued outbox messages in-process, as the worker would.

Every page ``open_page`` opens is watched for Content-Security-Policy violations (the
``securitypolicyviolation`` event and Chromium's console): a test that caused one fails at
its end with the list (``csp_violations``).
"""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from parties.demo import DEMO_PASSWORD
from tests.helpers import deliver_all

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ASSETS = Path(__file__).parent / "assets"
AXE_JS = ASSETS / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 15_000


def _why_no_browser():
    """Why the browser tests cannot run here, or None when they can (checked at import)."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (
            f"{CHROMIUM} is missing: install Debian's chromium and chromium-driver "
            "(bin/ensure-chromium does it when run as root with apt-get)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    return None


SKIP_REASON = _why_no_browser()


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)
            if SKIP_REASON:
                item.add_marker(pytest.mark.skip(reason=f"Browser tests skipped: {SKIP_REASON}"))


@pytest.fixture(scope="module")
def chromium_browser():
    """One headless Chromium per test module.

    Playwright's sync API keeps an asyncio loop running in this thread while it is started, so
    Django would refuse synchronous ORM calls from the test thread ("async context"). The
    check is switched off only while Playwright runs (test-only), and Playwright is stopped
    after each module so the rest of the suite runs with the check on.
    """
    if SKIP_REASON:
        pytest.skip(f"Browser tests skipped: {SKIP_REASON}")
    from playwright.sync_api import Error, sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright()
    playwright = manager.start()
    try:
        try:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
            )
        except Error as error:
            pytest.skip(f"Browser tests skipped: Playwright could not launch {CHROMIUM}: {error}")
        yield browser
        browser.close()
    finally:
        manager.__exit__(None, None, None)
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def demo_data(transactional_db):
    """The demo command's data: six areas, contact lists, users per role, a few ärenden."""
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115


# Reports each violation the page sees to the test (exposed as a binding on the context).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.reportCspViolation({
    page: location.pathname, directive: event.violatedDirective,
    blocked: event.blockedURI, source: event.sourceFile + ":" + event.lineNumber,
    sample: event.sample,
  });
});
"""


class CspViolations:
    def __init__(self):
        self.found = []

    def watch(self, context):
        context.expose_binding(
            "reportCspViolation", lambda source, detail: self.found.append(repr(detail))
        )
        context.add_init_script(CSP_LISTENER)
        context.on("page", self.watch_console)

    def watch_console(self, page):
        def on_console(message):
            text = message.text
            if "Content Security Policy" in text or "Content-Security-Policy" in text:
                self.found.append(f"{page.url}: console: {text}")

        page.on("console", on_console)


@pytest.fixture
def csp_violations():
    """Fails the test at its end when a page it opened broke the Content-Security-Policy."""
    violations = CspViolations()
    yield violations
    if violations.found:
        pytest.fail(
            "Content-Security-Policy violations:\n" + "\n".join(violations.found), pytrace=False
        )


@pytest.fixture
def open_page(chromium_browser, live_server, transactional_db, csp_violations):
    contexts = []

    def open_page(username=None, password=DEMO_PASSWORD):
        context = chromium_browser.new_context(
            base_url=live_server.url,
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        csp_violations.watch(context)
        contexts.append(context)
        page = context.new_page()
        if username:
            log_in_through_form(page, username, password)
        return page

    yield open_page
    for context in contexts:
        context.close()


def log_in_through_form(page, username, password=DEMO_PASSWORD):
    """Log in through the real form, by its visible labels."""
    from playwright.sync_api import expect

    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


@pytest.fixture
def log_in():
    return log_in_through_form


class Accessibility:
    """axe-core in the page; serious and critical violations are collected per page."""

    def __init__(self):
        self.problems = []  # (url, violation)
        self.checked = []

    def check(self, page):
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            # Evaluated by Playwright, not added as an inline <script>, which the
            # Content-Security-Policy refuses.
            page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        result = page.evaluate(
            """tags => axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            })""",
            AXE_TAGS,
        )
        path = re.sub(r"^https?://[^/]+", "", page.url)
        self.checked.append(path)
        for violation in result["violations"]:
            if violation["impact"] in FAILING_IMPACTS:
                self.problems.append((path, violation))
        return result["violations"]

    def report(self):
        lines = []
        for path, violation in self.problems:
            lines.append(
                f"{path}: [{violation['impact']}] {violation['id']} – {violation['help']} "
                f"({violation['helpUrl']})"
            )
            for node in violation["nodes"][:8]:
                target = " ".join(str(t) for t in node["target"])
                summary = (node.get("failureSummary") or "").strip().splitlines()
                lines.append(f"    at {target}: {summary[-1].strip() if summary else ''}")
            if len(violation["nodes"]) > 8:
                lines.append(f"    … and {len(violation['nodes']) - 8} more elements")
        return "\n".join(lines)

    def assert_clean(self):
        if self.problems:
            pytest.fail(
                "axe-core found serious/critical accessibility violations on "
                f"{len({p for p, _ in self.problems})} of {len(set(self.checked))} pages:\n"
                + self.report(),
                pytrace=False,
            )


@pytest.fixture
def a11y():
    return Accessibility()


@pytest.fixture(scope="session")
def screenshot_dir(pytestconfig):
    folder = Path(pytestconfig.rootpath) / "test-output" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def screenshot(screenshot_dir):
    def take(page, name):
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def send_outbox(settings):
    """Mail waits in the outbox (locmem backend, no task runner) until the test calls
    ``send_outbox()``, which does what the worker does: `send_message` for each queued row.
    Returns the rows that were sent."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return deliver_all
