"""The rules every form of the app follows for what people type and pick.

- NUL is refused with Django's Swedish message ("Null-tecken är inte tillåtna."):
  PostgreSQL cannot store it (a 500), and no paste carries it, only a broken or hostile
  client. The other control characters (C0 and DEL, but tab, line feed and carriage
  return) are taken out before the value is validated: they come with pasted text, nobody
  can see them to take them out, and mail, PDFs and calendar files do not want them.
  Vertical tab and form feed (Word's manual line and page breaks) become line breaks.
  (The plan page takes NUL out too, plans/forms.py: what is typed there is never refused
  for what cannot be seen.)
- Every text field has a maximum length (LINE_MAX for one line, TEXT_MAX for a text
  box or a hidden field, unless the field sets its own), refused with Django's Swedish
  message ("Säkerställ att detta värde har som mest … tecken") and shown by a counter near
  the limit (static/js/counter.js reads the maxlength).
- An id in a multiple choice that no database integer can hold is an invalid choice,
  not an OverflowError.
- A date is between EARLIEST and LATEST: 0001-01-01 or 9999-12-31 made the date arithmetic
  after it (a time zone, a day added) overflow.

``InputRules`` applies them to a form's fields; every form of the app mixes it in
(tests/test_bad_input.py checks that and sends the corpus of bad values).
"""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

# One line (a name, a place, a role): 200 characters. A text box (syfte, frågeställningar,
# anledning, önskemål, ...): 4,000, about a typed page. The plan's long texts have their own
# limits (plans/forms.py).
LINE_MAX = 200
TEXT_MAX = 4000

# The largest integer a database key holds (SQLite and PostgreSQL bigint).
LARGEST_ID = 2**63 - 1

# The dates anyone in a meeting means (a consent given, a meeting booked, a period filtered).
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
OUT_OF_RANGE = _("Ange ett datum mellan år 1900 och 2199.")

_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_BUT_NUL = re.compile("[\x01-\x08\x0e-\x1f\x7f]")
_BREAKS = re.compile("[\x0b\x0c]")

TOO_LONG = _("Högst %(limit)s tecken får plats här (texten har %(count)s).")


def clean_text(value: str, *, keep_nul: bool = False) -> str:
    """The text without control characters; vertical tab and form feed become line breaks.
    ``keep_nul``: leave NUL for a validator to refuse."""
    if not value:
        return value
    pattern = _CONTROL_BUT_NUL if keep_nul else _CONTROL
    return pattern.sub("", _BREAKS.sub("\n", value))


def number(value: int) -> str:
    """10000 -> '10 000' (a non-breaking space between thousands, as Swedish writes it)."""
    return f"{value:,}".replace(",", "\u00a0")


def too_long(value: str, limit: int) -> str | None:
    """The plan page's Swedish message when ``value`` is over ``limit`` characters, else
    None (the limit written as Swedish does, 10 000)."""
    if len(value) <= limit:
        return None
    return TOO_LONG % {"limit": number(limit), "count": number(len(value))}


def _text_rules(field: forms.CharField):
    if isinstance(field.widget, forms.PasswordInput):
        # A password is compared, never shown or sent: changed or cut, it would not match
        # the one set elsewhere (allauth's own forms).
        return
    to_python = field.to_python

    def cleaned(value):
        if isinstance(value, str):
            value = clean_text(value, keep_nul=True)
        return to_python(value)

    field.to_python = cleaned
    if field.max_length is None:
        # A hidden field carries what the page built (e.g. the booking's accepted warnings,
        # which name people): a text box's room.
        roomy = isinstance(field.widget, forms.Textarea) or field.widget.is_hidden
        field.max_length = TEXT_MAX if roomy else LINE_MAX
        field.validators = [*field.validators, MaxLengthValidator(field.max_length)]
    if not field.widget.is_hidden:
        field.widget.attrs["maxlength"] = str(field.max_length)


def _integer_key(field: forms.ModelMultipleChoiceField) -> bool:
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    return isinstance(key, models.IntegerField | models.AutoField)


def _id_rules(field: forms.ModelMultipleChoiceField):
    clean = field.clean

    def checked(value):
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            try:
                fits = abs(int(str(item).strip())) <= LARGEST_ID
            except ValueError:
                continue  # Django's own check answers a value that is no number at all
            if not fits:
                raise ValidationError(
                    field.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(item)[:20]},
                )
        return clean(value)

    if _integer_key(field):
        field.clean = checked


def _date_in_range(value):
    day = value.date() if hasattr(value, "date") else value
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(OUT_OF_RANGE, code="date_range")


def apply_input_rules(fields) -> None:
    """The module's rules on a form's (already copied) fields."""
    for field in fields.values():
        if isinstance(field, forms.CharField):
            _text_rules(field)
        elif isinstance(field, forms.ModelMultipleChoiceField):
            _id_rules(field)
        elif isinstance(field, forms.DateField | forms.DateTimeField):
            field.validators = [*field.validators, _date_in_range]


class InputRules:
    """Mix into every form (before forms.Form / ModelForm): the module's rules on its fields.

    A form's fields are copies made for the instance, so the rules never touch the class.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_input_rules(self.fields)


def parse_id(raw) -> int | None:
    """A database id from a URL's query or a form: ASCII digits that a key can hold, else
    None. ("²" passes str.isdigit() but not int(); 99999999999999999999 fits no database
    integer.)"""
    if isinstance(raw, str) and raw.isascii() and raw.isdigit():
        value = int(raw)
        if value <= LARGEST_ID:
            return value
    return None


def unchecked(*forms_and_formsets):
    """Bound forms and formsets shown again as typed, without validating them: a step that
    is not the submit (the booking page's no-JS "Sök" of the contact list) must not answer
    with error messages for fields the user has not finished."""
    for item in forms_and_formsets:
        if isinstance(item, forms.BaseFormSet):
            unchecked(*item.forms)
            item._errors = [form._errors for form in item.forms]
            item._non_form_errors = item.error_class()
        else:
            item._errors = ErrorDict()
            item.cleaned_data = {}
