"""The period a compilation covers: a year, a half-year or a month (default this year)."""

import calendar
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

FIRST_YEAR, LAST_YEAR = 2000, 2100
MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


class BadPeriod(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str


def period_from(query) -> Period:
    """From ?ar=2026 [&halvar=1|2 | &manad=1..12]; raises BadPeriod with a Swedish text."""
    raw_year = query.get("ar") or str(timezone.localdate().year)
    if not (raw_year.isascii() and raw_year.isdigit()) or not (
        FIRST_YEAR <= int(raw_year) <= LAST_YEAR
    ):
        raise BadPeriod(
            _("Ange ett år mellan %(a)s och %(b)s.") % {"a": FIRST_YEAR, "b": LAST_YEAR}
        )
    year = int(raw_year)
    half, month = query.get("halvar") or "", query.get("manad") or ""
    if half and month:
        raise BadPeriod(_("Välj halvår eller månad, inte båda."))
    if half:
        if half not in ("1", "2"):
            raise BadPeriod(_("Halvår är 1 eller 2."))
        if half == "1":
            return Period(date(year, 1, 1), date(year, 6, 30), _("första halvåret %s") % year)
        return Period(date(year, 7, 1), date(year, 12, 31), _("andra halvåret %s") % year)
    if month:
        if not (month.isascii() and month.isdigit() and 1 <= int(month) <= 12):
            raise BadPeriod(_("Månad är 1–12."))
        m = int(month)
        last = calendar.monthrange(year, m)[1]
        return Period(date(year, m, 1), date(year, m, last), f"{MONTHS[m - 1]} {year}")
    return Period(date(year, 1, 1), date(year, 12, 31), str(year))


def period_query(query) -> str:
    """The period's part of a query string (ar, halvar, manad as given), to link back."""
    from urllib.parse import urlencode

    return urlencode({k: query.get(k) for k in ("ar", "halvar", "manad") if query.get(k)})
