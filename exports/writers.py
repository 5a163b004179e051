"""CSV and XLSX files from column definitions (see columns.py)."""

import csv
import io
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from plans.models import City

from .columns import DATE, DATETIME, MONTH

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32767
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(text):
    """Prefix a single quote to text a spreadsheet would run as a formula; Excel and
    LibreOffice then show it as typed."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def filename(stem, as_of, extension, *, plan=None, city=None):
    """okc-recommendations-2025-10-01.csv; okc-pilots-recommendations-2025-10-01.csv for one
    plan. The prefix is the city's (one query unless `city` is given)."""
    prefix = (city or City.current()).export_prefix
    parts = [prefix, *([plan.slug] if plan else []), stem, as_of.isoformat()]
    return f"{'-'.join(parts)}.{extension}"


def _attachment(response, name):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def csv_text(columns, objects, request):
    """The CSV document: a header row, then one row per object, every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.name for column in columns])
    for obj in objects:
        writer.writerow([neutralise(column.text(obj, request)) for column in columns])
    return out.getvalue()


def csv_response(columns, objects, request, name):
    # The byte order mark tells Excel the file is UTF-8; without it accents come out garbled.
    body = "\ufeff" + csv_text(columns, objects, request)
    response = HttpResponse(body.encode(), content_type="text/csv; charset=utf-8")
    return _attachment(response, name)


def _xlsx_value(column, obj, request):
    value = column.value(obj, request)
    if value is None:
        return None
    if column.kind in (DATE, MONTH):
        return value
    if column.kind is DATETIME:
        # Excel has no time zones: write the city's wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return column.kind.to_text(value)


def _write_cell(sheet, row, col, value, number_format=None):
    if isinstance(value, str):
        # XLSX cannot hold most control characters, nor more text than Excel's cell limit
        # (the CSV files keep the whole text).
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > EXCEL_CELL_LIMIT:
            value = value[: EXCEL_CELL_LIMIT - 1] + "…"
    cell = sheet.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        # openpyxl stores a string starting with "=" as a formula; force plain text instead.
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def add_table_sheet(workbook, title, columns, objects, request):
    """A sheet with a bold, frozen header row and typed cells."""
    sheet = workbook.create_sheet(title)
    for col, column in enumerate(columns, start=1):
        _write_cell(sheet, 1, col, column.name).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(row=1, column=col).column_letter].width = max(
            12, min(len(column.name) + 4, 40)
        )
    for row, obj in enumerate(objects, start=2):
        for col, column in enumerate(columns, start=1):
            _write_cell(sheet, row, col, _xlsx_value(column, obj, request), column.kind.xlsx_format)
    sheet.freeze_panes = "A2"
    return sheet


def add_notes_sheet(workbook, title, rows):
    """A two-column sheet of labelled notes; values may be dates, datetimes or text."""
    sheet = workbook.create_sheet(title)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
    for row, (label, value) in enumerate(rows, start=1):
        _write_cell(sheet, row, 1, label).font = Font(bold=True)
        number_format = None
        if isinstance(value, datetime):
            value, number_format = value.replace(tzinfo=None), "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            number_format = "yyyy-mm-dd"
        cell = _write_cell(sheet, row, 2, value, number_format)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return sheet


def xlsx_response(workbook, name):
    out = io.BytesIO()
    workbook.save(out)
    return _attachment(HttpResponse(out.getvalue(), content_type=XLSX_TYPE), name)


def new_workbook():
    workbook = Workbook()
    workbook.remove(workbook.active)  # sheets are added by name, in order
    return workbook
