"""Composing an e-mail: a kind of message is three templates, rendered by one function.

    templates/emails/<kind>-subject.txt   the subject (rendered on one line)
    templates/emails/<kind>-body.txt      the plain-text part
    templates/emails/<kind>-body.html     the HTML part: extends emails/base.html

The .txt templates are rendered without autoescaping (plain text, not HTML); the HTML
template is autoescaped as usual and writes links with the ``links`` filter
(``{% load email_tags %}``) or ``<a href>``. Fragments shared by several kinds are
includes under templates/emails/ whose names start with "_".
"""

from dataclasses import dataclass

from django.template import Context, Engine
from django.template.loader import render_to_string

from common.personnummer import redact


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str


def render_message(kind: str, context: dict) -> Composed:
    """The subject, text and HTML of a message of ``kind`` (see the module docstring)."""
    return Composed(
        subject=one_line(_render_text(f"emails/{kind}-subject.txt", context)),
        text=_render_text(f"emails/{kind}-body.txt", context),
        html=render_to_string(f"emails/{kind}-body.html", context),
    )


def finish(subject: str, text: str, html: str) -> Composed:
    """What the outbox stores of a message: ``queue_message`` passes every subject, text
    and HTML through here, however it was composed, so a rule for all outgoing mail belongs
    here and nowhere else: the subject on one line, and no personnummer or
    samordningsnummer anywhere (common.personnummer.redact), whichever field or old row
    it came from. (Attachments and their file names are redacted at send time,
    outbox.sending, where they are built.)"""
    return Composed(subject=redact(one_line(subject)), text=redact(text), html=redact(html))


def one_line(value) -> str:
    # Header values must not span lines (Django refuses them at send time).
    return " ".join(str(value).split())


def _render_text(name: str, context: dict) -> str:
    template = Engine.get_default().get_template(name)
    return template.render(Context(context, autoescape=False))
