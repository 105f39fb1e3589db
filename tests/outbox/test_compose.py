"""One way to compose an e-mail: a subject/text/HTML template triple per kind, rendered by
outbox.compose, queued by outbox.services.queue_templated."""

from pathlib import Path

import pytest
from django.conf import settings

from outbox import compose, services
from outbox.models import OutboundMessage

pytestmark = pytest.mark.django_db

EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"


def kinds():
    return sorted(p.name.removesuffix("-subject.txt") for p in EMAILS.glob("*-subject.txt"))


def test_every_kind_has_its_three_templates():
    assert "invitation" in kinds() and "plan-individual" in kinds()
    for path in EMAILS.iterdir():
        if path.name.startswith("_") or path.name in {"base.html"}:
            continue  # an include, the layout
        assert path.name.endswith(("-subject.txt", "-body.txt", "-body.html")), path.name
        kind = path.name.rsplit("-", 1)[0]
        assert kind in kinds(), f"{path.name} has no {kind}-subject.txt"
    for kind in kinds():
        assert (EMAILS / f"{kind}-body.txt").is_file(), kind
        html = (EMAILS / f"{kind}-body.html").read_text()
        assert html.startswith('{% extends "emails/base.html" %}'), kind


@pytest.fixture
def test_kind(tmp_path, settings):
    """A kind of message of the test's own, in a template folder searched first."""
    folder = tmp_path / "emails"
    folder.mkdir()
    (folder / "test-subject.txt").write_text("Hej {{ name }}\n  – {{ what }}\n")
    (folder / "test-body.txt").write_text("{{ name }}: {{ what }}\n{{ url }}\n")
    (folder / "test-body.html").write_text(
        '{% extends "emails/base.html" %}{% load email_tags %}'
        "{% block body %}<p>{{ name }}: {{ what|links }}</p>{% endblock %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return "test"


CONTEXT = {"name": "Anna & Bo", "what": "<b>se https://example.se/a?x=1&y=2</b>", "url": "x"}


def test_render_message(test_kind):
    message = compose.render_message(test_kind, CONTEXT)
    # The subject on one line; subject and text are plain text, never HTML-escaped.
    assert message.subject == "Hej Anna & Bo – <b>se https://example.se/a?x=1&y=2</b>"
    assert message.text == "Anna & Bo: <b>se https://example.se/a?x=1&y=2</b>\nx\n"
    # The HTML is escaped, in the e-mail layout, its links clickable (no rel="nofollow").
    assert message.html.startswith("<!doctype html>")
    assert "<p>Anna &amp; Bo: &lt;b&gt;se " in message.html
    assert '<a href="https://example.se/a?x=1&amp;y=2">' in message.html
    assert "<b>" not in message.html and "nofollow" not in message.html


def test_queue_templated_stores_what_was_rendered(test_kind, django_capture_on_commit_callbacks):
    # Every message is redacted by finish() now, so the redact= argument callers passed
    # (the plan mail did) is gone: a personnummer in the context never reaches the row.
    context = {**CONTEXT, "name": "Anna & Bo 19811228-9874"}
    with django_capture_on_commit_callbacks(execute=False):
        message = services.queue_templated(
            test_kind,
            context=context,
            to_email="anna@example.se",
            to_name="Anna",
            reply_to="karin@example.se",
        )
    message = OutboundMessage.objects.get(pk=message.pk)
    assert message.subject.startswith("Hej Anna & Bo [personnummer borttaget] – ")
    assert message.text_body.startswith("Anna & Bo [personnummer borttaget]: ")
    assert "Anna &amp; Bo [personnummer borttaget]: " in message.html_body
    assert (message.to_email, message.to_name, message.reply_to) == (
        "anna@example.se",
        "Anna",
        "karin@example.se",
    )


def test_every_message_passes_through_finish(test_kind, monkeypatch):
    seen = []

    def finish(subject, text, html):
        seen.append((subject, text, html))
        return compose.finish(subject, text, html)

    monkeypatch.setattr(services, "finish", finish)
    services.queue_templated(test_kind, context=CONTEXT, to_email="a@example.se")
    services.queue_message(to_email="a@example.se", subject="Hej", text_body="Text")
    assert len(seen) == 2 and seen[1] == ("Hej", "Text", "")


@pytest.mark.parametrize(
    "number", ["19811228-9874", "811228-9874", "198112289874", "811228 – 9874", "811228\u00a09874"]
)
def test_finish_redacts_every_part(number):
    outgoing = compose.finish(
        f"Kallelse {number}", f"Syfte: stöd för {number}\n", f"<p>Syfte: {number}</p>"
    )
    removed = "[personnummer borttaget]"
    assert outgoing == compose.Composed(
        f"Kallelse {removed}", f"Syfte: stöd för {removed}\n", f"<p>Syfte: {removed}</p>"
    )


def test_a_queued_message_has_no_personnummer_even_in_the_recipients_name():
    message = services.queue_message(
        to_email="a@example.se",
        to_name="Anna 811228-9874",
        subject="Om 19811228-9874",
        text_body="Text 8112289874",
        html_body="<p>811228<br>9874</p>",
    )
    message.refresh_from_db()
    for value in (message.to_name, message.subject, message.text_body, message.html_body):
        assert "9874" not in value and "[personnummer borttaget]" in value
