"""CSV and XLSX of the statistics tables, with the small-count rule applied (the numbers
as the page shows them)."""

import csv
import io
import re

from .statistics import Table


def _cell(value):
    from parties.services.transfer import _csv_cell

    return _csv_cell(str(value))


def table_csv(table: Table) -> bytes:
    """UTF-8 with BOM and ``;`` (Excel in Swedish opens it as it is)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_cell(str(c)) for c in table.columns])
    for row in table.shown():
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def tables_xlsx(tables: list[Table], *, heading: str) -> bytes:
    """A sheet per table (its title, its columns, its rows)."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for number, table in enumerate(tables, start=1):
        sheet = workbook.create_sheet(re.sub(r"[\\/?*\[\]:]", "-", f"{number} {table.title}")[:31])
        sheet.append([heading])
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append([str(c) for c in table.columns])
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for row in table.shown():
            sheet.append([v if isinstance(v, int) else str(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if cell.data_type == "f":
                    cell.data_type = "s"
        sheet.column_dimensions["A"].width = 48
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
