"""Markup built in Python on the busiest pages (their long lists), and the one escaping
helper every such module uses (issue 20): ``esc`` for a value, ``select_options`` for
<option> rows, whose labels it escapes itself (callers pass plain text). Small tags
elsewhere use django.utils.html.format_html, which escapes the same way.

What the template engine redoes for every row is done once per page here: resolving a
URL (reverse), translating day and month names, parsing a date format. The results are
the same text the template tags and filters write.
"""

import html
from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.safestring import SafeString

PK_PLACEHOLDER = 2147483647


def esc(value) -> str:
    """Like the template engine's {{ value }}: escaped unless already safe; None as ''.
    (django.utils.html.escape is html.escape behind a lazy-text wrapper; called a few
    hundred times per page, the wrapper is worth skipping.)"""
    if value is None:
        return ""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class Options:
    """The <option> rows of a select that every row of a page repeats (the plan page's
    "Ansvarig part" …): (pk, label) pairs of plain text, escaped here once per page."""

    def __init__(self, rows: Iterable[tuple[int, str]]):
        self.rows = [(pk, esc(label)) for pk, label in rows]

    def html(self, selected) -> str:
        return "".join(
            f'<option value="{pk}"{" selected" if pk == selected else ""}>{label}</option>'
            for pk, label in self.rows
        )


def select_options(rows, selected) -> str:
    """<option> elements for (pk, label) rows of plain text (or an ``Options``), marking
    `selected`; the labels are escaped here, never by the caller."""
    return (rows if isinstance(rows, Options) else Options(rows)).html(selected)


def pk_url_builder(name: str, *args) -> Callable[[int], str]:
    """pk -> the URL of route ``name`` (with ``args`` before the pk), HTML-escaped (safe).

    reverse() costs more than the rest of a table row; it runs once here with a
    placeholder pk, and each row fills its own pk in.
    """
    url = esc(reverse(name, args=[*args, PK_PLACEHOLDER]))
    prefix, suffix = url.rsplit(str(PK_PLACEHOLDER), 1)
    return lambda pk: SafeString(f"{prefix}{pk}{suffix}")


class DateWords:
    """Dates in words in the active language, as the ``date`` filter writes them, with the
    day and month names translated once (the filter translates them on every call)."""

    def __init__(self):
        self.months = {number: str(name) for number, name in MONTHS.items()}
        self.weekdays = {number: str(name) for number, name in WEEKDAYS.items()}

    def long_date(self, day) -> str:
        """``date:"j F Y"``: 4 mars 2025."""
        return f"{day.day} {self.months[day.month]} {day.year:04d}"

    def weekday_date(self, day) -> str:
        """``date:"l j F Y"``: tisdag 4 mars 2025."""
        return f"{self.weekdays[day.weekday()]} {self.long_date(day)}"
