"""Reading what the plan page posts: one field (autosave) or the whole form (no JS)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.forms import InputRules, clean_text, parse_id, too_long
from common.personnummer import refuse_in_free_text

from .enums import SignatureMethod, SignerRole
from .models import ROW_TEXT_MAX, TEXT_FIELDS, text_limit
from .services.autosave import ACTION_FIELDS
from .services.whole_form import PlanChanges

# Ids in ASCII digits only: \d also takes other scripts' digits.
GOAL_KEY = re.compile(r"goal-([0-9]+)-text")
ACTION_KEY = re.compile(r"action-([0-9]+)-(" + "|".join(ACTION_FIELDS) + ")")
ROW_OP = re.compile(
    r"(goal_add|goal_remove|goal_up|goal_down|action_add|action_remove|action_up|action_down)"
    r"(?::([0-9]+))?"
)
DATE_FIELDS = {"due_on", "done_on"}
ACTION_TEXT_FIELDS = {"what", "responsible_name"}


def _text(value: str) -> str:
    # Browsers post textarea line breaks as CRLF but show them as LF: store LF, so a
    # resent text compares equal to the stored one. Control characters go, as in every form
    # (common/forms.py): PostgreSQL refuses NUL with a 500.
    return clean_text(value.replace("\r\n", "\n"))


def _version(data, key) -> int:
    return parse_id(data.get(f"version-{key}", "")) or 0


def _parse_date(raw: str):
    if not raw.strip():
        return None
    try:
        return forms.DateField().clean(raw)
    except ValidationError:
        raise ValidationError(_("Ange ett giltigt datum, t.ex. 2025-05-14.")) from None


def _parse_choice(raw: str, allowed: set[int]):
    if not raw:
        return None
    if (pk := parse_id(raw)) in allowed:
        return pk
    raise ValidationError(_("Välj ett av alternativen i listan."))


def parse_changes(data, *, choices):
    """Returns (PlanChanges, errors): errors maps an input name to a Swedish message,
    and nothing with an error is saved. `choices` has the allowed `organisation_ids`
    and `user_ids` (looked up only when a select was posted)."""
    changes, errors = PlanChanges(), {}
    for name in TEXT_FIELDS:
        if name in data:
            value = _text(data[name])
            if message := too_long(value, text_limit(name)):
                errors[name] = message
                continue
            changes.fields[name] = (value, _version(data, name))
            # Refused, but kept in `changes`: the page shows the text with the message.
            if refused := _refused(value):
                errors[name] = refused
    for key in data:
        if match := GOAL_KEY.fullmatch(key):
            pk, text = int(match[1]), _text(data[key])
            if message := too_long(text, ROW_TEXT_MAX):
                errors[key] = message
                continue
            changes.goals[pk] = (text, _version(data, f"goal-{pk}-text"))
            if refused := _refused(text):
                errors[key] = refused
        elif match := ACTION_KEY.fullmatch(key):
            pk, name, raw = int(match[1]), match[2], data[key]
            try:
                if name in DATE_FIELDS:
                    value = _parse_date(raw)
                elif name == "responsible_organisation":
                    value = _parse_choice(raw, choices.organisation_ids)
                elif name == "responsible_user":
                    value = _parse_choice(raw, choices.user_ids)
                elif name == "responsible_participant":
                    value = _parse_choice(raw, choices.participant_ids)
                else:
                    value = _text(raw)
                    limit = 150 if name == "responsible_name" else ROW_TEXT_MAX
                    if message := too_long(value, limit):
                        raise ValidationError(message)
            except ValidationError as error:
                errors[key] = error.messages[0]
                continue
            changes.actions.setdefault(pk, {})[name] = (value, _version(data, key))
            if name in ACTION_TEXT_FIELDS and (refused := _refused(value)):
                errors[key] = refused
    return changes, errors


def _refused(text: str) -> str:
    """The message when ``text`` has a personnummer in it (the plan goes out by e-mail and
    as a PDF), else ""."""
    try:
        refuse_in_free_text(text)
    except ValidationError as error:
        return error.messages[0]
    return ""


def parse_row_op(raw: str):
    """ "goal_up:12" -> ("goal_up", 12); "action_add" -> ("action_add", None)."""
    match = ROW_OP.fullmatch(raw or "")
    if not match:
        return None, None
    return match[1], int(match[2]) if match[2] else None


class SignForm(InputRules, forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Vem signerar"), choices=SignerRole.choices)
    method = forms.ChoiceField(
        label=gettext_lazy("Hur"), choices=SignatureMethod.choices, widget=forms.RadioSelect
    )
    # The signer's name is printed in the plan's PDF.
    name = forms.CharField(
        label=gettext_lazy("Namn"), max_length=150, validators=[refuse_in_free_text]
    )


class DoneForm(InputRules, forms.Form):
    done_on = forms.DateField(
        label=gettext_lazy("Klar den"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
