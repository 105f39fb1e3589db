"""cases/personnummer.py: parsing, Luhn check, samordningsnummer, masking, age, and
redaction of free text."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cases import personnummer
from cases.personnummer import age_on, formatted, is_samordningsnummer, mask, normalise, redact

TODAY = date(2025, 6, 1)
VALID = "198112289874"  # Skatteverket's test series


def luhn_digit(nine: str) -> str:
    """The check digit that makes YYMMDDNNN + digit pass the Luhn check."""
    total = 0
    for index, char in enumerate(nine):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def with_check_digit(first_eleven: str) -> str:
    """YYYYMMDDNNN -> YYYYMMDDNNNC with a correct Luhn digit (computed on the last 9 digits)."""
    return first_eleven + luhn_digit(first_eleven[2:])


def samordningsnummer_from(valid: str) -> str:
    """Add 60 to the day of a valid personnummer and recompute the check digit."""
    day = int(valid[6:8]) + 60
    return with_check_digit(f"{valid[:6]}{day:02d}{valid[8:11]}")


def error_code(value, today=TODAY):
    with pytest.raises(ValidationError) as info:
        normalise(value, today=today)
    return info.value.code


def test_helper_agrees_with_known_valid_number():
    assert with_check_digit(VALID[:11]) == VALID
    assert personnummer.luhn_ok(VALID[2:])


@pytest.mark.parametrize(
    "value",
    ["198112289874", "19811228-9874", "8112289874", "811228-9874", " 19811228 - 9874 "],
)
def test_valid_forms_normalise_to_twelve_digits(value):
    assert normalise(value, today=TODAY) == VALID


def test_ten_digits_pick_the_century_from_age():
    recent = with_check_digit("20100315123")
    assert normalise(recent[2:], today=TODAY) == recent
    old = with_check_digit("19500101123")
    assert normalise(f"{old[2:8]}-{old[8:]}", today=TODAY) == old


def test_plus_marks_someone_a_hundred_or_older():
    centenarian = with_check_digit("19200101123")
    assert normalise(f"{centenarian[2:8]}+{centenarian[8:]}", today=TODAY) == centenarian
    # Without "+", the same ten digits mean someone born in 2020.
    assert normalise(f"{centenarian[2:8]}-{centenarian[8:]}", today=TODAY) == "20" + centenarian[2:]


def test_ten_digits_born_later_this_calendar_year_a_century_ago():
    # On 1 June 2025, "251231-NNNN" is someone born 31 December 1925 (99 years old),
    # not a birth date in the future.
    number = with_check_digit("19251231123")
    assert normalise(f"{number[2:8]}-{number[8:]}", today=TODAY) == number


def test_samordningsnummer_is_accepted():
    number = samordningsnummer_from(VALID)
    assert number[6:8] == "88"
    assert normalise(number, today=TODAY) == number
    assert normalise(f"{number[2:8]}-{number[8:]}", today=TODAY) == number
    assert is_samordningsnummer(number)
    assert not is_samordningsnummer(VALID)
    assert personnummer.birth_date(number) == date(1981, 12, 28)


def test_samordningsnummer_without_the_recomputed_check_digit_fails():
    assert error_code(VALID[:6] + "88" + VALID[8:]) == "luhn"


@pytest.mark.parametrize("value", ["198112289875", "19811228-9870", "811228-9873"])
def test_wrong_check_digit(value):
    assert error_code(value) == "luhn"


@pytest.mark.parametrize(
    "first_eleven",
    [
        "19811332123",  # month 13... day 32
        "19810230123",  # 30 February
        "19810015123",  # month 0
        "19810100123",  # day 0
        "19810160123",  # samordningsnummer with day 0
        "19810195123",  # samordningsnummer with day 35
    ],
)
def test_impossible_date(first_eleven):
    # A correct check digit, so it is the date that is rejected.
    assert error_code(with_check_digit(first_eleven)) == "date"


def test_bad_date_without_valid_check_digit_is_still_rejected():
    for value in ("19811332-0000", "19811332-1234"):
        with pytest.raises(ValidationError):
            normalise(value, today=TODAY)


def test_future_birth_date():
    assert error_code(with_check_digit("20300101123")) == "future"
    assert error_code(with_check_digit("20250602123")) == "future"
    assert normalise(with_check_digit("20250601123"), today=TODAY)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "19811228-98a4",
        "1981122-9874",
        "811228987",
        "19811228--9874",
        "1981122898745",
        "19811228/9874",
        "١٩٨١١٢٢٨٩٨٧٤",  # Arabic-Indic digits are not accepted as a personnummer
        "１９８１１２２８９８７４",  # full-width digits
    ],
)
def test_bad_format(value):
    assert error_code(value) == "format"


def test_messages_are_swedish():
    with pytest.raises(ValidationError) as info:
        normalise("19811228-9875", today=TODAY)
    assert "kontrollsiffran" in info.value.messages[0]
    with pytest.raises(ValidationError) as info:
        normalise("abc", today=TODAY)
    assert "ÅÅÅÅMMDD-NNNN" in info.value.messages[0]


def test_mask_and_format():
    assert mask(VALID) == "19811228-****"
    assert mask("") == ""
    assert formatted(VALID) == "19811228-9874"
    assert formatted("") == ""


@pytest.mark.parametrize(
    ("on", "age"),
    [
        (date(2025, 12, 27), 43),
        (date(2025, 12, 28), 44),
        (date(2026, 1, 1), 44),
        (date(1981, 12, 28), 0),
    ],
)
def test_age_on(on, age):
    assert age_on(VALID, on) == age


def test_age_on_samordningsnummer_uses_the_real_day():
    number = samordningsnummer_from(VALID)
    assert age_on(number, date(2025, 12, 27)) == 43
    assert age_on(number, date(2025, 12, 28)) == 44


def test_case_age_on_without_personnummer(db):
    from tests.factories import CaseFactory

    assert CaseFactory(personnummer="").age_on(TODAY) is None
    assert CaseFactory().age_on(TODAY) == 43


# --- redact: personnummer out of free text ----------------------------------------------------

REMOVED = "[personnummer borttaget]"


@pytest.mark.parametrize(
    "number",
    [
        "198112289874",
        "19811228-9874",
        "19811228+9874",
        "19811228 9874",
        "8112289874",
        "811228-9874",
        "811228+9874",  # "+": someone a hundred or older
        "811228 9874",
        "701063-2391",  # samordningsnummer
        samordningsnummer_from(VALID),
        samordningsnummer_from(VALID)[2:],
        # Pasted from Word or a web page:
        "19811228\u20139874",  # en dash
        "811228 \u2013 9874",  # " - " autocorrected to " – "
        "811228\u20149874",  # em dash
        "19811228\u20119874",  # non-breaking hyphen
        "811228\u22129874",  # minus sign
        "811228\u00a09874",  # non-breaking space
        "19811228\u202f9874",  # narrow no-break space
        "811228\n9874",  # a line break
        "811228\r\n9874",
        "811228<br>9874",  # a line break in HTML mail
        "8112\u200b28-9874",  # a zero-width space inside
        "198112\u00ad28-9874",  # a soft hyphen inside
    ],
)
def test_redact_removes_every_written_form(number):
    assert redact(f"Gäller {number}.") == f"Gäller {REMOVED}."


def test_redact_removes_each_one_and_keeps_the_rest():
    text = "Gäller 19811228-9874, se även 811228-9874 och 198112289874; ring 0382-150 00."
    assert redact(text) == (f"Gäller {REMOVED}, se även {REMOVED} och {REMOVED}; ring 0382-150 00.")


@pytest.mark.parametrize(
    "text",
    [
        "Ring 0382-150 00, ärende 2026-1234",
        "811228-9875",  # fails the Luhn check
        "19811228-9870",
        VALID[:6] + "88" + VALID[8:],  # samordningsnummer without its recomputed check digit
        with_check_digit("19811332123"),  # month 13
        with_check_digit("19810015123"),  # month 0
        with_check_digit("19810132123"),  # day 32
        with_check_digit("19810100123"),  # day 0
        with_check_digit("19810160123"),  # samordningsnummer with day 0
        with_check_digit("19810192123"),  # samordningsnummer with day 32
        "1198112289874",  # thirteen digits: part of a longer number
        "81122898741",
        "order 0198112289874",
        "19811228--9874",  # two separators
        "811228  9874",  # two spaces
        "19811228/9874",
        "١٩٨١١٢٢٨٩٨٧٤",  # Arabic-Indic digits are not a personnummer, as in normalise
        "１９８１１２２８９８７４",  # full-width digits
    ],
)
def test_redact_leaves_other_numbers_alone(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "first_eleven",
    [
        "19810230123",  # 30 February
        "20300101123",  # born in the future
        "99811228987",  # a century no one is born in
    ],
)
def test_redact_errs_on_the_side_of_removing(first_eleven):
    # normalise() refuses these, but a number that looks like one is removed from free text
    # all the same: one left in a mail by mistake costs more than one removed by mistake.
    number = with_check_digit(first_eleven)
    with pytest.raises(ValidationError):
        normalise(number, today=TODAY)
    assert redact(f"nr {number[:8]}-{number[8:]}") == f"nr {REMOVED}"


def test_redact_finds_a_number_next_to_letters():
    assert redact("pnr:19811228-9874x") == f"pnr:{REMOVED}x"


def test_redact_of_nothing():
    assert redact("") == ""
    assert redact(None) == ""
