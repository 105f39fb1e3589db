"""Swedish personnummer and samordningsnummer: parsing, Luhn check, masking, and
keeping them out of free text.

Stored normalised as 12 digits, YYYYMMDDNNNN. A samordningsnummer has 60 added
to the day of birth. Every rule about the number lives here or in common.personnummer
(the free-text matcher, which the outbox applies too and so sits below every app); other
modules call ``normalise`` (a form field), ``mask``/``formatted`` (display),
``refuse_in_free_text`` (a validator for free text that leaves the app) and ``redact``
(free text on its way out: PDFs, e-mail, calendar entries).
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.personnummer import (  # noqa: F401 (the public API of this module)
    IN_TEXT,
    SAMORDNING_OFFSET,
    contains_personnummer,
    luhn_ok,
    redact,
    refuse_in_free_text,
)
from common.personnummer import day_of_birth as _day_of_birth

# The number's parts; %s is what may stand before the last four.
_PARTS = r"(?P<century>\d{2})?(?P<yymmdd>\d{6})(?P<sep>%s)(?P<tail>\d{4})"
# ASCII only: \d would also match e.g. Arabic-Indic or full-width digits.
PATTERN = re.compile(r"^" + _PARTS % "[-+]?" + r"$", re.ASCII)


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
