"""Swedish personnummer and samordningsnummer: parsing, Luhn check, masking, and
removing them from free text.

Stored normalised as 12 digits, YYYYMMDDNNNN. A samordningsnummer has 60 added
to the day of birth. Every rule about the number lives here; other modules call
``normalise`` (a form field), ``mask``/``formatted`` (display) and ``redact`` (free
text that leaves the app: PDFs, e-mail, calendar entries).
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The number's parts; %s is what may stand before the last four.
_PARTS = r"(?P<century>\d{2})?(?P<yymmdd>\d{6})(?P<sep>%s)(?P<tail>\d{4})"
# ASCII only: \d would also match e.g. Arabic-Indic or full-width digits.
PATTERN = re.compile(r"^" + _PARTS % "[-+]?" + r"$", re.ASCII)
# Inside free text: also a space before the last four, and no digit on either side (an
# order number or a phone number that merely contains ten digits is not one).
IN_TEXT = re.compile(r"(?<!\d)" + _PARTS % "[-+ ]?" + r"(?!\d)", re.ASCII)

SAMORDNING_OFFSET = 60


def _day_of_birth(day: int) -> int:
    """The day of the month, for a samordningsnummer too (60 added to the day)."""
    return day - SAMORDNING_OFFSET if day > SAMORDNING_OFFSET else day


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def birth_date(normalised: str) -> date:
    return date(int(normalised[:4]), int(normalised[4:6]), _day_of_birth(int(normalised[6:8])))


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
        year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), _day_of_birth(int(yymmdd[4:6]))
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
    return int(normalised[6:8]) > SAMORDNING_OFFSET


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


def _redactable(match: re.Match) -> bool:
    """Whether a number found in free text is removed: a possible month and day (of a
    samordningsnummer too) and a valid check digit.

    Looser than ``normalise`` on purpose, since a number left in a mail by mistake costs
    more than one removed by mistake: the century digits are not checked, nor whether
    the day exists in that month (30 February) or lies in the future."""
    digits = match["yymmdd"] + match["tail"]
    month, day = int(digits[2:4]), _day_of_birth(int(digits[4:6]))
    return 1 <= month <= 12 and 1 <= day <= 31 and luhn_ok(digits)


def redact(text: str) -> str:
    """``text`` with every personnummer and samordningsnummer in it (10 or 12 digits,
    with or without "-", "+" or a space before the last four) replaced by
    "[personnummer borttaget]". Other numbers stay as they are."""
    return IN_TEXT.sub(
        lambda match: gettext("[personnummer borttaget]") if _redactable(match) else match[0],
        text or "",
    )
