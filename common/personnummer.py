"""Finding a Swedish personnummer or samordningsnummer in free text: the one matcher
behind both ends of the rule that no such number leaves the app.

- ``refuse_in_free_text`` (a form field validator): a field whose text goes into e-mail,
  a calendar file or a PDF refuses a text with a number in it, with a Swedish message.
- ``redact``: every subject, body, text attachment, attachment file name
  (outbox.compose.finish, outbox.sending) and every rendered PDF (common.pdf) has any
  number that got in some other way (an import, the admin, an old row) replaced.

Both use ``IN_TEXT`` and ``_redactable``, so what the door refuses is exactly what the exit
removes. It lives here, at the bottom of the import graph, because the outbox (which may
import nothing but common) applies it; cases.personnummer (parsing and storing the number
of an ärende) builds on the same parts.

What counts as a number in text: 10 or 12 ASCII digits (YYMMDD or YYYYMMDD and the last
four), with at most one separator before the last four: "-", "+", a dash pasted from Word
(U+2010-U+2015, U+2212, and the small/full-width hyphen-minus), optionally with one space
on either side, or a single space of any kind (non-breaking, thin, a line break, an HTML
<br>). Invisible characters Word and web pages leave (soft hyphen, zero-width space,
joiner, BOM) may sit between any two digits. No digit may stand right before or after (an
order or phone number that merely contains ten digits is not one), the month and day must
be possible (1-12; 1-31, or 61-91 for a samordningsnummer) and the check digit right.
Not found: the last four digits alone (any four digits), a number with spaces inside the
date part ("81 12 28-9874"), two separators ("811228--9874", two spaces), and non-ASCII
digits (full-width, Arabic-Indic).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SAMORDNING_OFFSET = 60

# Invisible characters that may sit between digits unseen: soft hyphen, zero-width space,
# non-joiner and joiner, word joiner, byte order mark.
_INVISIBLE = "[\u00ad\u200b-\u200d\u2060\ufeff]*"
# Hyphen-minus, the Unicode hyphens and dashes (U+2010-U+2015), the minus sign, the small
# and the full-width hyphen-minus.
_DASHES = "\\-\u2010-\u2015\u2212\ufe63\uff0d"
# One separator before the last four: a dash or "+" (a space on either side allowed: Word
# turns " - " into " – "), or one whitespace character of any kind (a browser's line break
# is CRLF), or an HTML line break (a text with a line break, rendered with |linebreaksbr).
_SEPARATOR = rf"(?:\s?[{_DASHES}+]\s?|\r\n|\s|<br\s*/?>)"


def _digits(count: int) -> str:
    return _INVISIBLE.join(["[0-9]"] * count)


IN_TEXT = re.compile(
    rf"(?<![0-9])(?:(?P<century>{_digits(2)}){_INVISIBLE})?(?P<yymmdd>{_digits(6)})"
    rf"{_INVISIBLE}(?P<sep>{_SEPARATOR})?{_INVISIBLE}(?P<tail>{_digits(4)})(?![0-9])"
)
_NOT_DIGIT = re.compile(r"[^0-9]")


def day_of_birth(day: int) -> int:
    """The day of the month, for a samordningsnummer too (60 added to the day)."""
    return day - SAMORDNING_OFFSET if day > SAMORDNING_OFFSET else day


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _redactable(match: re.Match) -> bool:
    """Whether a number found in free text is one: a possible month and day (of a
    samordningsnummer too) and a valid check digit.

    Looser than cases.personnummer.normalise on purpose, since a number left in a mail by
    mistake costs more than one removed by mistake: the century digits are not checked,
    nor whether the day exists in that month (30 February) or lies in the future."""
    digits = _NOT_DIGIT.sub("", match["yymmdd"] + match["tail"])
    month, day = int(digits[2:4]), day_of_birth(int(digits[4:6]))
    return 1 <= month <= 12 and 1 <= day <= 31 and luhn_ok(digits)


def contains_personnummer(text: str) -> bool:
    return any(_redactable(match) for match in IN_TEXT.finditer(text or ""))


def redact(text: str) -> str:
    """``text`` with every personnummer and samordningsnummer in it (see the module
    docstring for the forms found) replaced by "[personnummer borttaget]". Other numbers
    stay as they are."""
    return IN_TEXT.sub(
        lambda match: gettext("[personnummer borttaget]") if _redactable(match) else match[0],
        text or "",
    )


REFUSED = _("Skriv inte personnummer här – texten skickas med e-post")


def refuse_in_free_text(value) -> None:
    """Form field validator for free text that leaves the app (e-mail, calendar, PDF)."""
    if isinstance(value, str) and contains_personnummer(value):
        raise ValidationError(REFUSED, code="personnummer")
