"""CSV and XLSX files from column definitions (see columns.py).

Both are written as they are read, a chunk of rows at a time: the CSV streams (the page cache
never stores a streamed response), the XLSX is built by openpyxl's write-only mode in a
temporary file. Neither holds a whole list of rows in memory.
"""

import csv
import tempfile
from datetime import date, datetime

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from plans.models import City

from .columns import DATE, DATETIME, INTEGER, MONTH, PERCENT, TEXTS, URL, YES_NO

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32767
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The CSV goes out in pieces of about this many characters.
CSV_PIECE = 64 * 1024
# Rows read at a time by the files (and prefetched together): a few megabytes at most.
CHUNK_SIZE = 2000
# Filter values longer than this are cut in file names (a search can be long).
NAME_VALUE_LIMIT = 40


def neutralise(text):
    """Prefix a single quote to text a spreadsheet would run as a formula; Excel and
    LibreOffice then show it as typed."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def filename(stem, as_of, extension, *, plan=None, city=None, filters=None):
    """okc-recommendations-2025-10-01.csv; okc-pilots-recommendations-2025-10-01.csv for one
    plan; okc-summary-topic-youth-outreach-2025-10-01.csv when other filters narrow it, so a
    filtered file never passes for the whole. The prefix is the city's (one query unless `city`
    is given)."""
    prefix = (city or City.current()).export_prefix
    narrowing = [
        f"{name}-{slugify(value)[:NAME_VALUE_LIMIT] or 'x'}"
        for name, value in (filters or {}).items()
        if name != "plan"
    ]
    parts = [prefix, *([plan.slug] if plan else []), stem, *narrowing, as_of.isoformat()]
    return f"{'-'.join(parts)}.{extension}"


def in_chunks(objects):
    """A queryset read CHUNK_SIZE rows at a time, its prefetches done per chunk, so the memory
    a long export needs does not grow with its rows; any other iterable as it is."""
    if isinstance(objects, QuerySet):
        return objects.iterator(chunk_size=CHUNK_SIZE)
    return objects


def _attachment(response, name):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class _Line:
    """A file-like object whose write() returns what it is given: csv.writer's rows as text."""

    def write(self, text):
        return text


def csv_rows(columns, objects, request):
    """The CSV document as text pieces: a header row of the column names, then one row per
    object, every cell neutralised. A queryset is read in chunks (in_chunks)."""
    columns = list(columns)
    writer = csv.writer(_Line())
    yield writer.writerow([column.name for column in columns])
    for obj in in_chunks(objects):
        yield writer.writerow([neutralise(column.text(obj, request)) for column in columns])


def csv_text(columns, objects, request):
    """The whole CSV document as one string (for small tables and tests)."""
    return "".join(csv_rows(columns, objects, request))


def _pieces(lines, language):
    # The response is iterated after the view returns: keep the request's language.
    with translation.override(language):
        # The byte order mark tells Excel the file is UTF-8; without it accents come out garbled.
        piece, size = ["\ufeff"], 1
        for line in lines:
            piece.append(line)
            size += len(line)
            if size >= CSV_PIECE:
                yield "".join(piece).encode()
                piece, size = [], 0
        if piece:
            yield "".join(piece).encode()


def csv_response(columns, objects, request, name, *, stream=True):
    """The CSV file, streamed as it is written (never cached: a list of any length); with
    `stream=False`, a short table (the summary) sent whole, which the page cache may keep."""
    body = _pieces(csv_rows(columns, objects, request), translation.get_language())
    if stream:
        response = StreamingHttpResponse(body, content_type=CSV_TYPE)
    else:
        response = HttpResponse(b"".join(body), content_type=CSV_TYPE)
    return _attachment(response, name)


# --- XLSX ---

# Widths in characters: by column name (a translation column, title_es, as its source column),
# else by kind of value; never narrower than the heading. Longer texts wrap.
COLUMN_WIDTHS = {"text": 80, "details": 60, "latest_update_note": 60, "latest_update_sources": 50}
COLUMN_WIDTHS |= {"topic": 32, "status": 20, "leads": 30, "supports": 30}
KIND_WIDTHS = [(DATE, 12), (MONTH, 14), (DATETIME, 18), (INTEGER, 10), (PERCENT, 10)]
KIND_WIDTHS += [(YES_NO, 10), (TEXTS, 30), (URL, 45)]
SHORT_TEXT = 16
MAX_WIDTH = 120


def _xlsx_value(column, obj, request):
    value = column.value(obj, request)
    if value is None:
        return None
    if column.kind in (DATE, MONTH):
        return value
    if column.kind is DATETIME:
        # Excel has no time zones: write the city's wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None)
    if column.kind is YES_NO:
        # A real TRUE/FALSE cell: the spreadsheet shows it in its reader's language.
        return bool(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return column.kind.to_text(value)


def _cell(sheet, value, *, number_format=None, font=None, alignment=None):
    """A write-only cell; text is stored as text, never run as a formula."""
    if isinstance(value, str):
        # XLSX cannot hold most control characters, nor more text than Excel's cell limit
        # (the CSV files keep the whole text).
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > EXCEL_CELL_LIMIT:
            value = value[: EXCEL_CELL_LIMIT - 1] + "…"
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl stores a string starting with "=" as a formula; force plain text instead.
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    if font:
        cell.font = font
    if alignment:
        cell.alignment = alignment
    return cell


def column_width(column, longest=None):
    """A width that shows the heading and, for `longest` characters (a title), the whole
    value; long texts get a wide, wrapped column."""
    heading = len(column.heading) + 2
    name = column.name
    base = name if name in COLUMN_WIDTHS else name.rsplit("_", 1)[0]
    if longest is not None:
        width = longest + 2
    elif base in COLUMN_WIDTHS:
        width = COLUMN_WIDTHS[base]
    else:
        width = next((w for kind, w in KIND_WIDTHS if kind is column.kind), SHORT_TEXT)
    return min(max(heading, width), MAX_WIDTH)


def _print_setup(sheet, *, title_rows=None):
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        sheet.print_title_rows = title_rows  # the header on every printed page


def add_table_sheet(workbook, title, columns, objects, request, *, longest=None):
    """A sheet with a header row of headings people read (bold, frozen, filterable, repeated on
    every printed page), typed cells that wrap, and columns wide enough for their values:
    `longest` maps a column name to the length of its longest value (queries.longest_titles).
    A queryset is read in chunks; rows go straight to the file."""
    columns, longest = list(columns), longest or {}
    sheet = workbook.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        width = column_width(column, longest.get(column.name))
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    _print_setup(sheet, title_rows="1:1")
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    sheet.append([_cell(sheet, column.heading, font=bold, alignment=wrap) for column in columns])
    count = 0
    for obj in in_chunks(objects):
        count += 1
        sheet.append(
            [
                _cell(
                    sheet,
                    _xlsx_value(column, obj, request),
                    number_format=column.kind.xlsx_format,
                    alignment=wrap,
                )
                for column in columns
            ]
        )
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    return sheet


def _notes_value(value):
    if isinstance(value, datetime):
        return value.replace(tzinfo=None), "yyyy-mm-dd hh:mm"
    if isinstance(value, date):
        return value, "yyyy-mm-dd"
    return value, None


def add_notes_sheet(workbook, title, rows):
    """A two-column sheet of labelled notes; values may be dates, datetimes or text."""
    sheet = workbook.create_sheet(title)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
    _print_setup(sheet)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for label, value in rows:
        value, number_format = _notes_value(value)
        sheet.append(
            [
                _cell(sheet, label, font=bold, alignment=wrap),
                _cell(sheet, value, number_format=number_format, alignment=wrap),
            ]
        )
    return sheet


def add_cover_sheet(workbook, title, *, heading, facts, tables):
    """The first sheet: a heading, labelled facts [(label, value)] and small tables
    [(caption, [column headings], rows)], one after the other with a blank row between."""
    sheet = workbook.create_sheet(title)
    sheet.column_dimensions["A"].width = 30
    for letter in "BCDEF":
        sheet.column_dimensions[letter].width = 16
    _print_setup(sheet)
    bold = Font(bold=True)
    sheet.append([_cell(sheet, heading, font=Font(bold=True, size=14))])
    sheet.append([])
    for label, value in facts:
        value, number_format = _notes_value(value)
        sheet.append(
            [
                _cell(sheet, label, font=bold, alignment=Alignment(vertical="top")),
                _cell(sheet, value, number_format=number_format),
            ]
        )
    for caption, headings, rows in tables:
        sheet.append([])
        sheet.append([_cell(sheet, caption, font=Font(bold=True, size=12))])
        sheet.append([_cell(sheet, text, font=bold) for text in headings])
        for row in rows:
            cells = []
            for value in row:
                value, number_format = _notes_value(value)
                cells.append(_cell(sheet, value, number_format=number_format))
            sheet.append(cells)
    return sheet


def new_workbook():
    # Write-only: each row goes to the file as it is appended; sheets come in the order made.
    return Workbook(write_only=True)


def xlsx_response(workbook, name):
    """The workbook, written row by row to a temporary file, then sent whole: compressed, it
    is a small fraction of the rows it holds, and whole, the page cache can keep this costly
    file (within its byte budget per entry)."""
    with tempfile.TemporaryFile() as out:
        workbook.save(out)
        out.seek(0)
        response = HttpResponse(out.read(), content_type=XLSX_TYPE)
    return _attachment(response, name)
