"""Markup built in Python on the busiest pages (their long lists).

What the template engine redoes for every row is done once per page here: resolving a
URL (reverse), translating day and month names, parsing a date format. The results are
the same text the template tags and filters write.
"""

from collections.abc import Callable
from html import escape

from django.urls import reverse
from django.utils.dates import MONTHS, WEEKDAYS

PK_PLACEHOLDER = 2147483647


def pk_url_builder(name: str, *args) -> Callable[[int], str]:
    """pk -> the URL of route ``name`` (with ``args`` before the pk), HTML-escaped.

    reverse() costs more than the rest of a table row; it runs once here with a
    placeholder pk, and each row fills its own pk in.
    """
    url = escape(reverse(name, args=[*args, PK_PLACEHOLDER]))
    prefix, suffix = url.rsplit(str(PK_PLACEHOLDER), 1)
    return lambda pk: f"{prefix}{pk}{suffix}"


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
