"""Swedish personnummer and samordningsnummer: parsing, Luhn check, masking.

Stored normalised as 12 digits, YYYYMMDDNNNN. A samordningsnummer has 60 added
to the day of birth.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# ASCII only: \d would also match e.g. Arabic-Indic or full-width digits.
PATTERN = re.compile(
    r"^(?P<century>\d{2})?(?P<yymmdd>\d{6})(?P<sep>[-+]?)(?P<tail>\d{4})$", re.ASCII
)


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def birth_date(normalised: str) -> date:
    day = int(normalised[6:8])
    if day > 60:  # samordningsnummer
        day -= 60
    return date(int(normalised[:4]), int(normalised[4:6]), day)


def normalise(value: str, today: date | None = None) -> str:
    """Return YYYYMMDDNNNN or raise ValidationError with a Swedish message."""
    today = today or timezone.localdate()
    cleaned = re.sub(r"\s", "", value or "")
    match = PATTERN.match(cleaned)
    if not match:
        raise ValidationError(
            _("Ange personnumret som ÅÅÅÅMMDD-NNNN (eller ÅÅMMDD-NNNN)."), code="format"
        )
    yymmdd, tail = match["yymmdd"], match["tail"]
    if match["century"]:
        full = match["century"] + yymmdd + tail
    else:
        # Ten digits: the century follows from age; "+" marks someone 100 years or older.
        year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
        if day > 60:  # samordningsnummer
            day -= 60
        candidate = (today.year // 100) * 100 + year
        # Compare the whole date: "251231-NNNN" on 1 June 2025 is someone born in 1925.
        if (candidate, month, day) > (today.year, today.month, today.day):
            candidate -= 100
        if match["sep"] == "+":
            candidate -= 100
        full = f"{candidate:04d}"[:2] + yymmdd + tail
    if not luhn_ok(full[2:]):
        raise ValidationError(
            _("Personnumret är inte giltigt (kontrollsiffran stämmer inte)."), code="luhn"
        )
    try:
        born = birth_date(full)
    except ValueError:
        raise ValidationError(
            _("Personnumret innehåller inget giltigt datum."), code="date"
        ) from None
    if born > today:
        raise ValidationError(_("Personnumret anger ett födelsedatum i framtiden."), code="future")
    return full


def is_samordningsnummer(normalised: str) -> bool:
    return int(normalised[6:8]) > 60


def mask(normalised: str) -> str:
    """YYYYMMDD-**** — what every list and page shows."""
    if not normalised:
        return ""
    return f"{normalised[:8]}-****"


def formatted(normalised: str) -> str:
    return f"{normalised[:8]}-{normalised[8:]}" if normalised else ""


def age_on(normalised: str, on: date) -> int:
    born = birth_date(normalised)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
