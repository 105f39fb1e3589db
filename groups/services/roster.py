"""The roster: who is in a group now, its rotation, its exports, "senast bekräftad"."""

import csv
import io
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import current_members_q
from ..models import Group, GroupMember


def current_members(group: Group, *, today=None):
    return (
        GroupMember.objects.filter(group=group)
        .filter(current_members_q(today=today))
        .select_related("organisation", "unit", "user")
        .order_by("organisation__name", "name")
    )


def check_member(member: GroupMember) -> None:
    """A member's own rules: a left date not before the joined date; a unit of the party."""
    errors = {}
    if member.joined_on and member.left_on and member.left_on < member.joined_on:
        errors["left_on"] = _("Slutdatum kan inte vara före startdatum.")
    if (
        member.unit_id
        and member.organisation_id
        and (member.unit.organisation_id != member.organisation_id)
    ):
        errors["unit"] = _("Enheten hör inte till den valda parten.")
    if errors:
        raise ValidationError(errors)


def fill_from_person(member: GroupMember) -> GroupMember:
    """A member chosen as a user or contact person takes their name, party and contact
    details where the form left them empty."""
    person = member.user or member.contact
    if person is None:
        return member
    if not member.name:
        member.name = person.get_full_name() or person.username if member.user_id else person.name
    member.email = member.email or person.email
    member.phone = member.phone or person.phone
    if not member.organisation_id and getattr(person, "organisation_id", None):
        member.organisation_id = person.organisation_id
    if not member.unit_id and getattr(person, "unit_id", None):
        member.unit_id = person.unit_id
    return member


def confirm_roster(group: Group, *, today=None) -> date:
    """ "Senast bekräftad": the coordinator has checked the roster today."""
    group.members_confirmed_on = today or timezone.localdate()
    group.save(update_fields=["members_confirmed_on"])
    return group.members_confirmed_on


COLUMNS = ["Namn", "Part", "Enhet", "Roll", "E-post", "Telefon", "Med sedan", "Turordning"]


def roster_rows(group: Group):
    for m in current_members(group):
        yield [
            m.name,
            m.organisation.name,
            m.unit.name if m.unit_id else "",
            m.get_role_display(),
            m.email,
            m.phone,
            m.joined_on,
            m.rotation_order,
        ]


def export_csv(group: Group) -> bytes:
    """As the contact lists: UTF-8 with BOM, ``;``, formula-looking cells kept as text."""
    from parties.services.transfer import _csv_cell

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in roster_rows(group):
        writer.writerow([_csv_cell(v if not isinstance(v, int) else str(v)) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(group: Group) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Medlemmar"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(roster_rows(group), start=2):
        sheet.append(row)
        for column in range(1, len(row) + 1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif cell.data_type == "f":
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
