"""Import and export of an area's contact list as CSV or XLSX.

No HTTP here: the views hand over an uploaded file and get back plain rows
(``read_table``), a checked plan (``validate_rows``) and, once the coordinator
confirms, the counts of what was saved (``apply_plan``).

The file format is a contract with the users' spreadsheets, so the column
headers below are fixed Swedish strings and deliberately not translated.
"""

import codecs
import csv
import hashlib
import io
import json
import logging
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..models import ContactPerson, Organisation, SamverkArea, Unit
from .pdf_queue import request_contact_list_pdf

logger = logging.getLogger(__name__)

COLUMNS = (
    "Part",
    "Enhet",
    "Namn",
    "Titel",
    "E-post",
    "Telefon",
    "Samverk-kontakt",
    "Aktiv",
    "Senast bekräftad",
)
FIELDS = (
    "organisation",
    "unit",
    "name",
    "title",
    "email",
    "phone",
    "is_samverk_contact",
    "is_active",
    "last_confirmed_on",
)
HEADER_BY_FIELD = dict(zip(FIELDS, COLUMNS, strict=True))
# Without these three a row cannot be matched or created. A missing optional
# column leaves existing values alone (and model defaults for new people).
REQUIRED_FIELDS = ("organisation", "name", "email")
BOOLEAN_FIELDS = ("is_samverk_contact", "is_active")
TEXT_FIELDS = ("name", "title", "email", "phone")

MAX_ROWS = 20_000
MAX_COLUMNS = 50
# A small .xlsx can unpack to a huge sheet ("zip bomb"); refuse before parsing.
MAX_XLSX_UNPACKED = 50 * 1024 * 1024
ROW_KEY = "_row"

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

YES, NO = "ja", "nej"
TRUE_WORDS = {"ja", "j", "yes", "y", "1", "x", "true", "sant"}
FALSE_WORDS = {"nej", "n", "no", "0", "false", "falskt", ""}
# Cells starting with these are run as formulas by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@")
DATE_PATTERN = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f]")

ACTION_CREATE, ACTION_UPDATE, ACTION_UNCHANGED = "create", "update", "unchanged"


def _header_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


FIELD_BY_HEADER_KEY = {_header_key(header): name for name, header in HEADER_BY_FIELD.items()}
FIELD_BY_HEADER_KEY.update(
    {"epostadress": "email", "email": "email", "organisation": "organisation"}
)


# --- Export ------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return YES if value else NO


def export_rows(area: SamverkArea) -> list[list]:
    """Every contact person of the area (active and inactive) in COLUMNS order.

    Dates stay ``date`` objects (or None) so XLSX gets real date cells.
    """
    contacts = (
        ContactPerson.objects.filter(area=area)
        .select_related("organisation", "unit")
        .order_by("organisation__name", F("unit__name").asc(nulls_first=True), "name", "pk")
    )
    return [
        [
            contact.organisation.name,
            contact.unit.name if contact.unit else "",
            contact.name,
            contact.title,
            contact.email,
            contact.phone,
            _yes_no(contact.is_samverk_contact),
            _yes_no(contact.is_active),
            contact.last_confirmed_on,
        ]
        for contact in contacts
    ]


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    # Guard against formula injection; read_table removes the apostrophe again.
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_csv(area: SamverkArea) -> bytes:
    """UTF-8 with BOM and ``;`` between cells, as Swedish Excel expects."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in export_rows(area):
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(area: SamverkArea) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Kontaktlista"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(header) for header in COLUMNS]
    for row_number, row in enumerate(export_rows(area), start=2):
        sheet.append(row)
        # sheet.cell, not sheet[row_number]: that recounts the whole sheet on every call.
        cells = [sheet.cell(row=row_number, column=column) for column in range(1, len(row) + 1)]
        for index, cell in enumerate(cells):
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
                widths[index] = max(widths[index], 10)
            elif cell.value is not None:
                if cell.data_type == "f":
                    cell.data_type = "s"  # text that looks like a formula stays text
                widths[index] = max(widths[index], len(str(cell.value)))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width, 60) + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading a file ----------------------------------------------------------


def _unreadable() -> ValidationError:
    return ValidationError(
        _(
            "Filen går inte att läsa. Spara den som CSV (UTF-8 eller semikolonavgränsad) "
            "eller som Excel-arbetsbok (.xlsx) och försök igen."
        ),
        code="unreadable",
    )


def _read_bytes(uploaded_file) -> bytes:
    if isinstance(uploaded_file, bytes):
        data = uploaded_file
    else:
        if hasattr(uploaded_file, "seek"):
            uploaded_file.seek(0)
        data = uploaded_file.read(settings.MAX_UPLOAD_SIZE + 1)
    if len(data) > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("Filen är för stor (högst %(size)s MB)."),
            code="too_large",
            params={"size": settings.MAX_UPLOAD_SIZE // (1024 * 1024)},
        )
    return data


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif b"\x00" in data:
        raise _unreadable()
    else:
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if CONTROL_CHARS.search(text):
            raise _unreadable()
        return text
    raise _unreadable()


def _sniff_delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def _unescape_formula(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _csv_table(data: bytes):
    """(spreadsheet row number, cells) for each record of a CSV file."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [_unescape_formula(cell.strip()) for cell in cells[:MAX_COLUMNS]]
    except csv.Error as error:
        raise _unreadable() from error


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime):
        if value.time() == time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def _open_workbook(data: bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _unreadable() from error
    if unpacked > MAX_XLSX_UNPACKED:
        raise ValidationError(
            _("Excel-filen är för stor uppackad. Dela upp den eller spara den som CSV."),
            code="too_large",
        )
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken or foreign zip
        raise _unreadable() from error


def _xlsx_table(workbook):
    """(row number, cells) for each row of the workbook's first sheet."""
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for number, values in enumerate(rows, start=1):
            yield number, [_cell_text(value) for value in values]
    except ValidationError:
        raise
    except Exception as error:  # a malformed sheet inside a valid zip
        raise _unreadable() from error


def _parse_header(cells: list[str]) -> list[str | None]:
    fields: list[str | None] = []
    for cell in cells:
        name = FIELD_BY_HEADER_KEY.get(_header_key(cell)) if cell else None
        if name and name in fields:
            raise ValidationError(
                _("Kolumnen ”%(column)s” finns två gånger i första raden."),
                code="duplicate_header",
                params={"column": HEADER_BY_FIELD[name]},
            )
        fields.append(name)
    missing = [HEADER_BY_FIELD[name] for name in REQUIRED_FIELDS if name not in fields]
    if missing:
        listed = ", ".join(f"”{header}”" for header in missing)
        message = ngettext(
            "Kolumnen %(columns)s saknas i första raden.",
            "Kolumnerna %(columns)s saknas i första raden.",
            len(missing),
        ) % {"columns": listed}
        expected = _("Första raden ska innehålla rubrikerna %(headers)s.") % {
            "headers": ", ".join(COLUMNS)
        }
        raise ValidationError(f"{message} {expected}", code="missing_headers")
    return fields


def _rows_from_table(table) -> list[dict]:
    header: list[str | None] | None = None
    rows: list[dict] = []
    for number, cells in table:
        if not any(cells):
            continue
        if header is None:
            header = _parse_header(cells)
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(
                _("Filen har för många rader (högst %(max)s)."),
                code="too_many_rows",
                params={"max": f"{MAX_ROWS:,}".replace(",", "\u00a0")},
            )
        row = {ROW_KEY: number}
        for index, name in enumerate(header):
            if name:
                row[name] = cells[index] if index < len(cells) else ""
        rows.append(row)
    if header is None:
        raise ValidationError(_("Filen är tom."), code="empty")
    if not rows:
        raise ValidationError(
            _("Filen innehåller inga kontaktpersoner, bara rubrikraden."), code="no_rows"
        )
    return rows


def read_table(uploaded_file) -> list[dict]:
    """Rows of a CSV or XLSX file as dicts keyed by field name (see FIELDS).

    Only the columns present in the file appear in a row; each row also holds
    its spreadsheet row number under ROW_KEY. Cells are stripped strings, so
    the result can be stored as JSON. Raises ValidationError with a Swedish
    message when the file cannot be used at all.
    """
    data = _read_bytes(uploaded_file)
    if not data.strip():
        raise ValidationError(_("Filen är tom."), code="empty")
    if data.startswith(b"PK\x03\x04"):
        workbook = _open_workbook(data)
        try:
            return _rows_from_table(_xlsx_table(workbook))
        finally:
            workbook.close()
    return _rows_from_table(_csv_table(data))


# --- Checking rows against the database ---------------------------------------


@dataclass
class RowResult:
    row: int
    raw: dict
    values: dict = field(default_factory=dict)
    action: str = ACTION_CREATE
    errors: list[str] = field(default_factory=list)
    changed_fields: list[str] = field(default_factory=list)
    contact: ContactPerson | None = None

    @property
    def action_label(self) -> str:
        return {
            ACTION_CREATE: _("Ny"),
            ACTION_UPDATE: _("Ändras"),
            ACTION_UNCHANGED: _("Oförändrad"),
        }[self.action]

    @property
    def changed_columns(self) -> list[str]:
        return [HEADER_BY_FIELD[name] for name in self.changed_fields]

    def signature(self) -> list:
        contact = self.contact
        return [
            self.row,
            self.action,
            contact.pk if contact else None,
            contact.updated_at.isoformat() if contact else None,
            self.changed_fields,
            self.errors,
        ]


@dataclass
class ImportPlan:
    rows: list[RowResult]

    @property
    def has_errors(self) -> bool:
        return any(result.errors for result in self.rows)

    @property
    def error_rows(self) -> list[RowResult]:
        return [result for result in self.rows if result.errors]

    @property
    def counts(self) -> dict[str, int]:
        counts = {ACTION_CREATE: 0, ACTION_UPDATE: 0, ACTION_UNCHANGED: 0}
        for result in self.rows:
            counts[result.action] += 1
        return counts

    @property
    def change_count(self) -> int:
        counts = self.counts
        return counts[ACTION_CREATE] + counts[ACTION_UPDATE]

    @property
    def fingerprint(self) -> str:
        """Changes when the plan or the database state it was made against changes."""
        payload = json.dumps([result.signature() for result in self.rows], default=str)
        return hashlib.sha256(payload.encode()).hexdigest()


def _parse_bool(value: str) -> bool | None:
    word = value.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _parse_date(value: str) -> date | None:
    match = DATE_PATTERN.match(value)
    if not match:
        raise ValueError(value)
    return date.fromisoformat(match.group(1))


class _Lookups:
    """Everything validate_rows needs from the database, in three queries."""

    def __init__(self, area):
        organisations = list(Organisation.objects.only("pk", "name"))
        self.organisation_by_name = {}
        for organisation in organisations:
            self.organisation_by_name.setdefault(organisation.name.casefold(), organisation)
        # An exact spelling wins over a case-insensitive one.
        self.organisation_exact = {org.name: org for org in organisations}
        self.unit_by_key = {
            (unit.organisation_id, unit.name.casefold()): unit
            for unit in Unit.objects.only("pk", "name", "organisation_id")
        }
        self.contact_by_email = {
            contact.email.lower(): contact for contact in ContactPerson.objects.filter(area=area)
        }

    def organisation(self, name):
        return self.organisation_exact.get(name) or self.organisation_by_name.get(name.casefold())

    def unit(self, organisation, name):
        return self.unit_by_key.get((organisation.pk, name.casefold()))


def _check_row(raw: dict, lookups: _Lookups, result: RowResult) -> None:
    errors, values = result.errors, result.values

    for name in TEXT_FIELDS:
        if name not in raw:
            continue
        value = raw[name]
        max_length = ContactPerson._meta.get_field(name).max_length
        if len(value) > max_length:
            errors.append(
                _("%(column)s är för lång (högst %(max)s tecken).")
                % {"column": HEADER_BY_FIELD[name], "max": max_length}
            )
        else:
            values[name] = value

    if not raw.get("name"):
        errors.append(_("Namn saknas."))
        values.pop("name", None)

    email = raw.get("email", "")
    if not email:
        errors.append(_("E-post saknas."))
        values.pop("email", None)
    elif "email" in values:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("Ogiltig e-postadress: ”%(value)s”.") % {"value": email})
            values.pop("email")

    party = raw.get("organisation", "")
    organisation = lookups.organisation(party) if party else None
    if not party:
        errors.append(_("Part saknas."))
    elif organisation is None:
        errors.append(_("Okänd part: ”%(value)s”.") % {"value": party})
    else:
        values["organisation"] = organisation

    if "unit" in raw:
        unit_name = raw["unit"]
        if not unit_name:
            values["unit"] = None
        elif organisation is not None:
            unit = lookups.unit(organisation, unit_name)
            if unit is None:
                errors.append(
                    _("Okänd enhet för %(party)s: ”%(value)s”.")
                    % {"party": organisation.name, "value": unit_name}
                )
            else:
                values["unit"] = unit

    for name in BOOLEAN_FIELDS:
        if name not in raw:
            continue
        # A blank "Aktiv" cell means active: people are listed because they are current.
        parsed = True if name == "is_active" and not raw[name].strip() else _parse_bool(raw[name])
        if parsed is None:
            errors.append(
                _("Ogiltigt värde i ”%(column)s”: ”%(value)s”. Skriv ja eller nej.")
                % {"column": HEADER_BY_FIELD[name], "value": raw[name]}
            )
        else:
            values[name] = parsed

    if "last_confirmed_on" in raw:
        value = raw["last_confirmed_on"]
        try:
            values["last_confirmed_on"] = _parse_date(value) if value else None
        except ValueError:
            errors.append(
                _("Ogiltigt datum i ”%(column)s”: ”%(value)s”. Skriv datumet som ÅÅÅÅ-MM-DD.")
                % {"column": HEADER_BY_FIELD["last_confirmed_on"], "value": value}
            )


def _current_value(contact: ContactPerson, name: str):
    if name in ("organisation", "unit"):
        return getattr(contact, f"{name}_id")
    return getattr(contact, name)


def _new_value(values: dict, name: str):
    value = values[name]
    if name in ("organisation", "unit"):
        return value.pk if value is not None else None
    return value


def validate_rows(area: SamverkArea, rows: list[dict]) -> ImportPlan:
    """Check each row and decide whether it creates, updates or leaves a person.

    A row matches an existing contact of the area by e-mail (case-insensitive).
    Runs a fixed number of queries whatever the number of rows.
    """
    lookups = _Lookups(area)
    first_row_by_email: dict[str, int] = {}
    results = []
    for index, raw in enumerate(rows):
        result = RowResult(row=raw.get(ROW_KEY, index + 2), raw=raw)
        _check_row(raw, lookups, result)

        email = raw.get("email", "").lower()
        if email:
            if email in first_row_by_email:
                result.errors.append(
                    _("Samma e-post som rad %(row)s.") % {"row": first_row_by_email[email]}
                )
            else:
                first_row_by_email[email] = result.row

        contact = lookups.contact_by_email.get(email) if email else None
        if contact is not None:
            result.contact = contact
            result.changed_fields = [
                name
                for name in FIELDS
                if name in result.values
                and _new_value(result.values, name) != _current_value(contact, name)
            ]
            result.action = ACTION_UPDATE if result.changed_fields else ACTION_UNCHANGED
        results.append(result)
    return ImportPlan(rows=results)


# --- Saving --------------------------------------------------------------------


def _changed_since_preview() -> ValidationError:
    return ValidationError(
        _(
            "Kontaktlistan har ändrats sedan du granskade filen. Inget har sparats. "
            "Granska ändringarna igen innan du sparar."
        ),
        code="changed",
    )


def apply_plan(area: SamverkArea, plan: ImportPlan, user) -> dict[str, int]:
    """Save a previewed plan, all or nothing.

    The rows are checked again against the database as it is now; if they
    have errors, or the outcome differs from the plan the user saw, nothing is
    saved and ValidationError is raised (code "invalid" or "changed").
    Returns counts keyed "created", "updated" and "unchanged".
    """
    try:
        with transaction.atomic():
            # Serialise imports into the same area (a no-op on SQLite).
            list(SamverkArea.objects.select_for_update().filter(pk=area.pk).values_list("pk"))
            fresh = validate_rows(area, [result.raw for result in plan.rows])
            if fresh.has_errors:
                raise ValidationError(
                    _(
                        "Filen innehåller fel. Inget har sparats. "
                        "Rätta raderna och ladda upp filen igen."
                    ),
                    code="invalid",
                )
            if fresh.fingerprint != plan.fingerprint:
                raise _changed_since_preview()
            counts = _save(area, fresh)
    except IntegrityError as error:
        raise _changed_since_preview() from error
    logger.info("Contact import into area %s by user %s: %s", area.slug, user.pk, counts)
    return counts


def _save(area: SamverkArea, plan: ImportPlan) -> dict[str, int]:
    now = timezone.now()
    created, updated, update_fields = [], [], set()
    for result in plan.rows:
        values = result.values
        if result.action == ACTION_CREATE:
            created.append(
                ContactPerson(
                    area=area,
                    organisation=values["organisation"],
                    unit=values.get("unit"),
                    name=values["name"],
                    title=values.get("title", ""),
                    email=values["email"],
                    phone=values.get("phone", ""),
                    is_samverk_contact=values.get("is_samverk_contact", False),
                    is_active=values.get("is_active", True),
                    last_confirmed_on=values.get("last_confirmed_on"),
                )
            )
        elif result.action == ACTION_UPDATE:
            contact = result.contact
            for name in result.changed_fields:
                setattr(contact, name, values[name])
            contact.updated_at = now
            update_fields.update(result.changed_fields)
            updated.append(contact)
    ContactPerson.objects.bulk_create(created, batch_size=500)
    if updated:
        ContactPerson.objects.bulk_update(
            updated, sorted(update_fields) + ["updated_at"], batch_size=500
        )
    if created or updated:  # bulk writes send no signals (parties.receivers)
        request_contact_list_pdf(area.pk)
    return {
        "created": len(created),
        "updated": len(updated),
        "unchanged": plan.counts[ACTION_UNCHANGED],
    }
