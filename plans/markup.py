"""The repeated markup of the plan page: its text fields, goals and action rows.

Every autosaving input carries a dozen attributes that repeat its key (id, name,
data-autosave, hx-params, hx-target, aria-describedby, ...), and a plan has dozens of
them. Rendered by the template engine one variable and one include at a time, they
were most of the page's time; here each row is one format string filled once per
row, with every value escaped by common.markup.esc. The sections around the rows stay in
templates/plans/ (edit.html, _goals.html, _actions.html).

Nothing is cached between requests: `RowMarkup` translates its labels once per
request and is then used for every row of that request.
"""

from datetime import datetime
from functools import cached_property

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from common.markup import esc, select_options

from .models import ROW_TEXT_MAX, text_limit


def iso(value) -> str:
    """A date input's value (the template's |date:'Y-m-d'); '' when empty or not a date."""
    return value.isoformat() if hasattr(value, "isoformat") else ""


def saved_status(stamp) -> str:
    """A field's status after a save: "Sparat 14:02 av Maria Björk, FK" (escaped)."""
    if not stamp:
        return ""
    try:
        at = timezone.localtime(datetime.fromisoformat(stamp["at"]))
    except (KeyError, TypeError, ValueError):
        return ""
    text = _("Sparat %(time)s av %(name)s") % {
        "time": at.strftime("%H:%M"),
        "name": stamp.get("by", ""),
    }
    return f'<span class="text-body-secondary" data-saved-by>{esc(text)}</span>'


def conflict_box(conflict) -> str:
    """The "someone else saved here" box (rare: only after a refused save)."""
    return render_to_string("plans/_conflict.html", {"conflict": conflict}) if conflict else ""


class RowMarkup:
    """Builds the rows of one page (or one re-rendered section) of one plan."""

    def __init__(self, *, autosave_url: str, rows_url: str):
        self.autosave_url = esc(autosave_url)
        self.rows_url = esc(rows_url)

    @cached_property
    def text(self) -> dict:
        """The fixed labels, translated once per request and escaped."""
        return {
            key: esc(value)
            for key, value in {
                "from_previous": _("Från förra planen"),
                "done": _("Klar"),
                "overdue": _("Försenad"),
                "what": _("Vad"),
                "when": _("När"),
                "organisation": _("Ansvarig part"),
                "person": _("Ansvarig person"),
                "no_user": _("– ingen användare –"),
                "or_name": _("eller namn"),
                "participant": _("eller deltagare"),
                "no_participant": _("– ingen deltagare –"),
                "done_on": _("Klart datum"),
                "remove": _("Ta bort"),
                "add_subgoal": _("Lägg till delmål"),
            }.items()
        }

    @cached_property
    def formats(self) -> dict:
        """The labels that name a row, translated once per request (not escaped)."""
        return {
            "goal": _("mål %(n)s"),
            "subgoal": _("delmål %(n)s.%(m)s"),
            "action": _("beslut %(n)s"),
            "group": _("Flytta eller ta bort %(label)s"),
            "up": _("Flytta %(label)s upp"),
            "down": _("Flytta %(label)s ned"),
            "confirm": _("Ta bort %(label)s?"),
            "add_subgoal_to": _("till mål %(n)s"),
        }

    # --- shared pieces ---------------------------------------------------------

    def autosave_attrs(self, key, version_key, *, typing, sync, described_by="", limit=None):
        """id, name and the htmx autosave of one input: `typing` saves 800 ms after
        typing stops, else on change; `sync` queues the saves of one row. `limit`: the most
        characters the server takes, counted down near it (static/js/counter.js). Not a
        maxlength: the browser would cut a long paste off unseen, and nothing typed in a
        meeting is lost: the server refuses, the page says so, the text stays."""
        trigger = "input changed delay:800ms" if typing else "change"
        return mark_safe(  # noqa: S308 - keys are ours, the URL escaped in __init__
            f'id="f-{key}" name="{key}" data-autosave="{key}" data-version-key="{version_key}"'
            + (f' data-maxlength="{limit}"' if limit else "")
            + f' hx-post="{self.autosave_url}" hx-trigger="{trigger}, plan:retry"'
            f' hx-params="{key},version-{version_key}" hx-target="#status-{key}"'
            f' hx-swap="innerHTML"'
            + (' hx-sync="closest .plan-row:queue all"' if sync else "")
            + f' aria-describedby="status-{key}{described_by}"'
        )

    def row_buttons(self, *, kind, pk, label, target, first, last) -> str:
        """Up, down and remove for one row; `label` (not escaped) names the row."""

        def button(op, css, extra, content):
            value = f"{kind}_{op}:{pk}"
            return (
                f'<button type="submit" class="btn {css}" name="op" value="{value}" formnovalidate'
                f' hx-post="{self.rows_url}" hx-vals=\'{{"op": "{value}"}}\' hx-params="op"'
                f' hx-target="{target}" hx-swap="outerHTML"{extra}>{content}</button>'
            )

        names = {"label": label}
        group, up, down, confirm = (
            esc(self.formats[f] % names) for f in ("group", "up", "down", "confirm")
        )
        return (
            f'<div class="btn-group btn-group-sm" role="group" aria-label="{group}">'
            + button(
                "up",
                "btn-outline-secondary",
                " disabled" if first else "",
                f'<span aria-hidden="true">↑</span><span class="visually-hidden">{up}</span>',
            )
            + button(
                "down",
                "btn-outline-secondary",
                " disabled" if last else "",
                f'<span aria-hidden="true">↓</span><span class="visually-hidden">{down}</span>',
            )
            + button(
                "remove",
                "btn-outline-danger",
                f' hx-confirm="{confirm}"',
                f'{self.text["remove"]}<span class="visually-hidden"> {esc(label)}</span>',
            )
            + "</div>"
        )

    # --- the plan's own text fields ----------------------------------------------

    def field(self, f) -> SafeString:
        """One of the plan's text fields (a FieldView): label, input, version, status."""
        key = f.key
        invalid = " is-invalid" if f.error else ""
        attrs = self.autosave_attrs(
            key,
            key,
            typing=True,
            sync=False,
            described_by=f" error-{key}" if f.error else "",
            limit=text_limit(key),
        )
        if f.multiline:
            control = (
                f'<textarea class="form-control{invalid}" rows="4" {attrs}>'
                f"{esc(f.value)}</textarea>"
            )
        else:
            control = (
                f'<input type="text" class="form-control{invalid}" value="{esc(f.value)}" {attrs}>'
            )
        error = (
            f'<div class="invalid-feedback d-block" id="error-{key}">{esc(f.error)}</div>'
            if f.error
            else ""
        )
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<div class="mb-3 plan-field">'
            f'<label class="form-label fw-semibold" for="f-{key}">{esc(f.label)}</label>'
            f"{control}"
            f'<input type="hidden" id="version-{key}" name="version-{key}" value="{f.version}">'
            f"{error}"
            f'<div id="status-{key}" class="plan-status small" aria-live="polite">'
            f"{conflict_box(f.conflict) or saved_status(f.saved)}</div></div>"
        )

    # --- goals ---------------------------------------------------------------------

    def goal(self, goal, *, number, first, last, parent_number=None) -> SafeString:
        """One mål (number n) or delmål (n.m, under its mål's `parent_number`): its text
        with label, row buttons, version and status."""
        key = f"goal-{goal.pk}"
        if parent_number is None:
            label = capfirst(self.formats["goal"] % {"n": number})
        else:
            label = capfirst(self.formats["subgoal"] % {"n": parent_number, "m": number})
        origin = (
            f' <span class="badge text-bg-light border">{self.text["from_previous"]}</span>'
            if goal.origin_id
            else ""
        )
        buttons = self.row_buttons(
            kind="goal", pk=goal.pk, label=label, target="#goals-section", first=first, last=last
        )
        attrs = self.autosave_attrs(
            f"{key}-text", f"{key}-text", typing=True, sync=True, limit=ROW_TEXT_MAX
        )
        # A refused no-JS save (a personnummer in the text): the message by the field.
        error = getattr(goal, "error", "")
        invalid = " is-invalid" if error else ""
        message = f'<span class="text-danger">{esc(error)}</span>' if error else ""
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<div class="plan-row mb-2" data-row="{key}">'
            f'<div class="d-flex flex-wrap justify-content-between align-items-end gap-2">'
            f'<label class="form-label fw-semibold mb-1" for="f-{key}-text">'
            f"{esc(label)}{origin}</label>"
            f"{buttons}</div>"
            f'<textarea class="form-control{invalid}" rows="2" {attrs}>{esc(goal.text)}</textarea>'
            f'<input type="hidden" id="version-{key}-text" name="version-{key}-text"'
            f' value="{goal.text_version}">'
            f'<div id="status-{key}-text" class="plan-status small" aria-live="polite">'
            f"{message}{conflict_box(goal.conflict) or saved_status(goal.field_saved.get('text'))}"
            f"</div></div>"
        )

    def add_subgoal(self, goal, *, number) -> SafeString:
        """The "Lägg till delmål" button under mål `number`."""
        value = f"goal_add:{goal.pk}"
        to = esc(self.formats["add_subgoal_to"] % {"n": number})
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<button type="submit" class="btn btn-sm btn-outline-primary ms-4" name="op"'
            f' value="{value}" formnovalidate hx-post="{self.rows_url}"'
            f' hx-vals=\'{{"op": "{value}"}}\' hx-params="op" hx-target="#goals-section"'
            f' hx-swap="outerHTML">{self.text["add_subgoal"]}'
            f'<span class="visually-hidden"> {to}</span></button>'
        )

    # --- actions (Vad / När / Ansvar) ----------------------------------------------

    def action(
        self, a, *, number, first, last, today, organisations, people, participants=()
    ) -> SafeString:
        """One beslut: Vad, När, Ansvarig part/person (or a name), Klart datum.
        `organisations`, `people` and `participants`: the selects' (pk, name) rows of plain
        text or common.markup.Options (select_options escapes them)."""
        t = self.text
        key = f"action-{a.pk}"
        label = self.formats["action"] % {"n": number}

        def attrs(name, typing=False, limit=None):
            return self.autosave_attrs(
                f"{key}-{name}", f"{key}-{name}", typing=typing, sync=True, limit=limit
            )

        def status(name, message=""):
            if message:
                inner = f'<span class="text-danger">{esc(message)}</span>'
            else:
                inner = saved_status(a.field_saved.get(name))
            return (
                f'<input type="hidden" id="version-{key}-{name}" name="version-{key}-{name}"'
                f' value="{a.versions.get(name, 0)}">'
                f'<div id="status-{key}-{name}" class="plan-status small"'
                f' aria-live="polite">{inner}</div>'
            )

        def label_for(name, text, css="form-label small"):
            return f'<label class="{css}" for="f-{key}-{name}">{text}</label>'

        errors = a.errors
        badges = ""
        if a.origin_id:
            badges += f' <span class="badge text-bg-light border">{t["from_previous"]}</span>'
        if a.done_on:
            badges += f' <span class="badge text-bg-success">{t["done"]}</span>'
        elif a.is_overdue(today):
            badges += f' <span class="badge text-bg-danger">{t["overdue"]}</span>'
        due_invalid = " is-invalid" if errors.get("due_on") else ""
        done_invalid = " is-invalid" if errors.get("done_on") else ""
        what_invalid = " is-invalid" if errors.get("what") else ""
        name_invalid = " is-invalid" if errors.get("responsible_name") else ""
        buttons = self.row_buttons(
            kind="action", pk=a.pk, label=label, target="#actions-section", first=first, last=last
        )
        border = " border-danger" if a.is_overdue(today) else ""
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<div class="plan-row border rounded p-2 mb-3{border}" data-row="{key}">'
            f'<div class="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-1">'
            f'<h3 class="h6 mb-0">{esc(capfirst(label))}{badges}</h3>{buttons}</div>'
            f'<div class="row g-2">'
            f'<div class="col-lg-5">{label_for("what", t["what"])}'
            f'<textarea class="form-control{what_invalid}" rows="2"'
            f" {attrs('what', typing=True, limit=ROW_TEXT_MAX)}>"
            f"{esc(a.what)}</textarea>{status('what', errors.get('what'))}</div>"
            f'<div class="col-sm-6 col-lg-2">{label_for("due_on", t["when"])}'
            f'<input type="date" class="form-control{due_invalid}" value="{iso(a.due_on)}"'
            f" {attrs('due_on')}>{status('due_on', errors.get('due_on'))}</div>"
            f'<div class="col-sm-6 col-lg-2">'
            f"{label_for('responsible_organisation', t['organisation'])}"
            f'<select class="form-select" {attrs("responsible_organisation")}>'
            f'<option value="">–</option>'
            f"{select_options(organisations, a.responsible_organisation_id)}</select>"
            f"{status('responsible_organisation')}</div>"
            f'<div class="col-sm-6 col-lg-3">{label_for("responsible_user", t["person"])}'
            f'<select class="form-select" {attrs("responsible_user")}>'
            f'<option value="">{t["no_user"]}</option>'
            f"{select_options(people, a.responsible_user_id)}</select>"
            f"{status('responsible_user')}"
            f"{label_for('responsible_participant', t['participant'], 'form-label small mt-1')}"
            f'<select class="form-select form-select-sm" {attrs("responsible_participant")}>'
            f'<option value="">{t["no_participant"]}</option>'
            f"{select_options(participants, a.responsible_participant_id)}</select>"
            f"{status('responsible_participant')}"
            f"{label_for('responsible_name', t['or_name'], 'form-label small mt-1')}"
            f'<input type="text" class="form-control form-control-sm{name_invalid}"'
            f' value="{esc(a.responsible_name)}" maxlength="150"'
            f" {attrs('responsible_name', typing=True)}>"
            f"{status('responsible_name', errors.get('responsible_name'))}</div>"
            f'<div class="col-sm-6 col-lg-2 offset-lg-5">{label_for("done_on", t["done_on"])}'
            f'<input type="date" class="form-control{done_invalid}" value="{iso(a.done_on)}"'
            f" {attrs('done_on')}>{status('done_on', errors.get('done_on'))}</div>"
            f"</div>{conflict_box(a.conflict)}"
            f"</div>"
        )
