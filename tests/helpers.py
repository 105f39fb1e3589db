"""Helpers shared by test modules of several apps (test modules import from here, never from
each other)."""

import io

from pypdf import PdfReader

from outbox.enums import MessageState
from outbox.models import OutboundMessage
from outbox.sending import send_message

# The parties of the test world, by the key the fixtures use.
PARTIES = {
    "af": ("Arbetsförmedlingen", "arbetsformedlingen"),
    "fk": ("Försäkringskassan", "forsakringskassan"),
    "vc": ("Region Jönköpings län, primärvård", "region_primarvard"),
    "psyk": ("Region Jönköpings län, psykiatri", "region_psykiatri"),
    "kommun": ("Sävsjö kommun", "kommun"),
}


def make_parties(*keys) -> dict:
    """The parties named by ``keys`` (all of PARTIES when none), created in that order."""
    from tests.factories import OrganisationFactory

    return {
        key: OrganisationFactory(name=PARTIES[key][0], kind=PARTIES[key][1])
        for key in keys or PARTIES
    }


# A valid (Luhn) test personnummer from Skatteverket's test series, as CaseFactory uses, and
# the ways it can be written: 12 and 10 digits, with a dash, and its last four digits alone.
PNR = "198112289874"
PNR_FORMS = [PNR, PNR[2:], f"{PNR[:8]}-{PNR[8:]}", f"{PNR[2:8]}-{PNR[8:]}", PNR[8:]]


def deliver_all():
    """What the worker does: send every queued message (rendering PDF and .ics). Returns the
    messages that were sent."""
    queued = OutboundMessage.objects.filter(state=MessageState.QUEUED)
    sent = (send_message(pk) for pk in list(queued.values_list("pk", flat=True)))
    return [message for message in sent if message is not None]


def outgoing_text(message) -> str:
    """Everything of a sent e-mail a reader could see: subject, body, HTML, headers, the
    recipients, attachment file names, the text of PDF attachments, other attachments (a
    calendar file also unfolded), and the raw message."""
    parts = [message.subject, message.body, str(message.extra_headers), " ".join(message.to)]
    parts += [content for content, _type in getattr(message, "alternatives", [])]
    parts += [name for name, _content, _type in message.attachments]
    for _name, content, mimetype in message.attachments:
        if mimetype == "application/pdf":
            reader = PdfReader(io.BytesIO(content))
            parts.append(" ".join(page.extract_text() for page in reader.pages))
        else:
            text = content.decode() if isinstance(content, bytes) else content
            # A calendar file folds its lines at 75 octets, which may split a number.
            parts += [text, text.replace("\r\n ", "").replace("\r\n\t", "")]
    parts.append(message.message().as_string())
    return "\n".join(parts)


def wait_until(page, expression: str, timeout_ms: int = 15_000, every_ms: int = 20):
    """Wait until a JavaScript expression is true in a Playwright page.

    Playwright's wait_for_function evaluates a string with eval inside the page, which the
    Content-Security-Policy (no 'unsafe-eval') refuses; page.evaluate is not affected.
    """
    import time

    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {expression}")
        page.wait_for_timeout(every_ms)


# No htmx request on its way and no new content still settling.
HTMX_AT_REST = (
    "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
)


def run_db_worker() -> None:
    """`manage.py db_worker --batch`: run every ready task, then return. The worker installs
    its own signal handlers; pytest gets its own back."""
    import signal

    from django.core.management import call_command

    handled = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {signum: signal.getsignal(signum) for signum in handled}
    try:
        call_command(
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            verbosity=0,
            stdout=io.StringIO(),
        )
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)
