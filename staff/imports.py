"""The spreadsheet round trip: the file of /export/recommendations.csv or .xlsx, edited in Excel
or LibreOffice, read back as new status records and edits.

    preview = preview_file(data, "okc-recommendations.csv", plan=None, user=user)  # saves nothing
    apply(preview, user=user)  # every change in one transaction, or nothing

Built on the exports' column registry (exports/columns.py) rather than django-import-export:
the file's columns are the registry's, so the import knows every column the export writes (in
every configured language) and compares each cell with the text the export would write now.
django-import-export would need a second description of the same columns, and it saves rows
through its own resources, not through the status services with their version check.

The columns:
- The latest update: `status` (a name or a slug), `progress`, `latest_update_date`,
  `latest_update_date_precision`, `latest_update_note` and its translations. A change to any of
  them becomes a new status record (record_status_updates, all at once), which must become the
  recommendation's current record: so the file then matches what is saved, and importing it
  again changes nothing. A change to a note's translation alone is an edit of the current
  record (correct_status_update, which does not mark it corrected).
- `title` and its translations: an edit of the recommendation (save_edit).
- `url`: not compared (it names the address the file was downloaded from).
- Every other column of the registry is read-only: a changed cell is listed and ignored. The
  figures computed from the status records (phase, start date...) may also show the state
  before the current record: the file an earlier import of it added that record from.

Rows are numbered as the spreadsheet numbers them (the header is row 1). Nothing here
evaluates a formula: an XLSX formula cell is a problem, and a CSV cell the export protected
with a leading apostrophe (exports.writers.neutralise) is read without it.
"""

import codecs
import copy
import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from core.dates import EARLIEST_DATE
from core.translations import other_languages, translated_value
from core.versioning import REASON_LENGTH, save_edit
from exports.columns import (
    DATE,
    INTEGER,
    MONTH,
    PARTIAL_DATE,
    PERCENT,
    PUBLISHED_COLUMN,
    RECOMMENDATION_COLUMNS,
    RECOMMENDATION_TEXT_COLUMNS,
    SPREADSHEET_RECOMMENDATION_COLUMNS,
    TEXTS,
    YES_NO,
    name_for_heading,
)
from exports.writers import EXCEL_CELL_LIMIT, FORMULA_STARTS
from plans.models import Party, Plan
from portal.caching import bump_public_version
from recommendations.models import (
    STARTED_PHASES,
    KnownDate,
    Phase,
    Recommendation,
    RecordPrecision,
    Status,
    StatusUpdate,
)
from recommendations.services import (
    StatusUpdateRefused,
    correct_status_update,
    record_status_updates,
)

# The columns the import reads as changes; every other registry column is read-only.
PLAN, CODE, TITLE = "plan", "code", "title"
STATUS, PROGRESS = "status", "progress"
DATE_COLUMN, PRECISION, NOTE = (
    "latest_update_date",
    "latest_update_date_precision",
    "latest_update_note",
)
NOT_COMPARED = {"url"}
PARTY_NAME_COLUMNS = {"leads": "name", "supports": "name", "lead_slugs": "slug"}
# Read-only columns computed from the status records (with their translations, status_es...).
RECORD_DERIVED = {
    "status",
    "status_slug",
    "phase",
    "start_date",
    "start_date_precision",
    "implemented_date",
    "implemented_date_precision",
    "overdue",
}

MAX_ROWS = 20_000
# An XLSX is a zip: refuse one that would unpack to more than this (a "zip bomb").
MAX_XLSX_UNPACKED = 200 * 1024 * 1024
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
OLD_EXCEL = b"\xd0\xcf\x11\xe0"  # .xls, Excel 97-2003
# In a CSV, a spreadsheet would run these as formulas; the export never writes them bare.
CSV_FORMULA_STARTS = ("=", "+", "@")

NOT_READABLE = (
    "This is not a CSV or XLSX file. Download the recommendations file from the portal "
    "(CSV or Excel), edit it, and save it as CSV or as an Excel workbook (.xlsx)."
)


@dataclass(frozen=True)
class Problem:
    """Something the manager must fix in the file; `row` as the spreadsheet numbers it."""

    message: str
    row: int | None = None
    column: str | None = None
    letter: str = ""  # the column's letter in the file, "M"

    @property
    def place(self):
        parts = [f"Row {self.row}"] if self.row else []
        if self.column:
            parts.append(f"{self.column} (column {self.letter})" if self.letter else self.column)
        return ", ".join(parts) or "The file"

    def __str__(self):
        return f"{self.place}: {self.message}"


class ImportRefused(Exception):
    """Nothing was saved; `problems` say why."""

    def __init__(self, problems):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = list(problems)


# Reading the file.


@dataclass
class Table:
    """The file's rows as text, each cell as the export would write it."""

    name: str
    columns: list = field(default_factory=list)  # header names, lower case, in file order
    rows: list = field(default_factory=list)  # (row number, {column: text})
    problems: list = field(default_factory=list)
    legacy_encoding: str | None = None  # "cp1252" when the CSV was not saved as Unicode
    from_xlsx: bool = False
    unread_rows: set = field(default_factory=set)  # rows with a formula: not planned further

    def letter(self, column):
        return get_column_letter(self.columns.index(column) + 1) if column in self.columns else ""

    def problem(self, message, row=None, column=None):
        self.problems.append(Problem(message, row, column, self.letter(column)))


def read_table(data, name=""):
    """A Table from the bytes of a CSV or XLSX file; refusals are its problems."""
    table = Table(name=name)
    suffix = Path(name).suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        _read_xlsx(table, data)
    elif data.startswith(OLD_EXCEL):
        table.problem(
            "This is an Excel 97-2003 workbook (.xls). Save it as an Excel workbook (.xlsx) or "
            "as CSV, then upload it again."
        )
    elif suffix and suffix not in CSV_SUFFIXES:
        table.problem(NOT_READABLE)
    else:
        text = _decode(table, data)
        if text is not None:
            _read_csv(table, text)
    if not table.problems and not table.rows:
        table.problem("The file has no rows of recommendations.")
    return table


def _decode(table, data):
    """The text of a CSV saved as UTF-8 (with or without its byte order mark), UTF-16 (Excel's
    "Unicode text") or Windows-1252 (Excel's plain "CSV" on Windows)."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        elif (encoding := _bomless_utf16(data)) is not None:
            text = data.decode(encoding)
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
                table.legacy_encoding = "cp1252"
    except UnicodeDecodeError:
        table.problem(NOT_READABLE)
        return None
    if "\x00" in text:
        table.problem(NOT_READABLE)
        return None
    return text


def _bomless_utf16(data):
    """UTF-16 without a byte order mark: ASCII text has a zero byte beside each character."""
    sample = data[:2000]
    if len(sample) < 4:
        return None
    odd, even = sample[1::2], sample[0::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _known_columns():
    return {column.name for column in SPREADSHEET_RECOMMENDATION_COLUMNS} | {PUBLISHED_COLUMN.name}


def _read_csv(table, text):
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    known = _known_columns()
    # Comma as exported; a semicolon where Excel's locale uses one; a tab from "Unicode text".
    delimiter = max(
        (",", ";", "\t"),
        key=lambda d: len(known & {cell.strip().strip('"').lower() for cell in header.split(d)}),
    )
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        records = enumerate(reader, start=1)
        first = next(records, None)
        if first is None:
            return
        _set_header(table, first[1])
        for number, cells in records:
            if not _add_row(
                table, number, [_csv_cell(table, number, i, c) for i, c in enumerate(cells)]
            ):
                return
    except csv.Error as error:
        table.problem(f"This file cannot be read as CSV ({error}). {NOT_READABLE}")


def _csv_cell(table, row, index, text):
    if text[:1] == "'" and text[1:2] and text[1] in FORMULA_STARTS:
        return text[1:]  # exports.writers.neutralise protected it
    if text.startswith(CSV_FORMULA_STARTS):
        column = table.columns[index] if index < len(table.columns) else None
        table.problem(_formula_message(text), row, column)
        table.unread_rows.add(row)
        return ""
    return text


def _formula_message(text):
    return (
        f"“{Truncator(text).chars(40)}” is a formula, and the import does not run formulas. "
        "Type the value itself (or start the text with an apostrophe)."
    )


def _read_xlsx(table, data):
    table.from_xlsx = True
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
        if "xl/workbook.xml" not in names:
            table.problem(NOT_READABLE)
            return
        if unpacked > MAX_XLSX_UNPACKED:
            table.problem(
                "This workbook is too large to read. Upload the recommendations sheet alone."
            )
            return
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # a damaged file raises anything, from zip to XML parsing
        table.problem(NOT_READABLE)
        return
    try:
        sheet = _recommendations_sheet(workbook)
        rows = sheet.iter_rows()
        header = next(rows, None)
        if header is None:
            return
        _set_header(table, [_xlsx_text(cell) for cell in header])
        for number, cells in enumerate(rows, start=2):
            texts = []
            for index, cell in enumerate(cells):
                if cell.data_type == "f":
                    column = table.columns[index] if index < len(table.columns) else None
                    table.problem(_formula_message(str(cell.value)), number, column)
                    table.unread_rows.add(number)
                    texts.append("")
                else:
                    texts.append(_xlsx_text(cell))
            if not _add_row(table, number, texts):
                return
    except Exception:  # malformed sheet XML
        table.problem(NOT_READABLE)
    finally:
        workbook.close()


def _recommendations_sheet(workbook):
    """The first sheet whose header has a `code` column, by name or by heading in any language
    (the export's second sheet, after its overview)."""
    for sheet in workbook.worksheets:
        first = next(sheet.iter_rows(max_row=1), ())
        if CODE in {name_for_heading(cell.value or "") for cell in first}:
            return sheet
    return workbook.worksheets[0]


def _xlsx_text(cell):
    """A cell's value as the CSV export would write it."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return (value.date() if value.time() == datetime.time() else value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _set_header(table, cells):
    # The CSV's column names, or the XLSX's headings in the file's language ("Título": title).
    table.columns = [name_for_heading(str(cell).strip().lstrip("\ufeff")) for cell in cells]
    known = _known_columns()
    seen = set()
    for name in table.columns:
        if not name:
            continue
        if name in seen:
            table.problem("This column appears twice: keep one of them.", 1, name)
        elif name not in known:
            table.problem(
                "Not a column of the recommendations file. Put back the export's column names "
                "(see /data/) or delete this column.",
                1,
                name,
            )
        seen.add(name)
    for required in (PLAN, CODE):
        if required not in table.columns:
            table.problem(
                f"The file has no “{required}” column: is it the recommendations file from "
                "/export/recommendations.csv or .xlsx? Its first row must be the export's "
                "column names."
            )


def _add_row(table, number, cells):
    """Add a row (skipping empty ones); False once there are too many."""
    if not any(str(cell).strip() for cell in cells):
        return True
    if len(table.rows) >= MAX_ROWS:
        table.problem(f"The file has more than {MAX_ROWS:,} rows. Import it in parts.", number)
        return False
    row = {}
    for index, text in enumerate(cells):
        name = table.columns[index] if index < len(table.columns) else ""
        if name:
            row[name] = text
        elif text.strip():
            table.problems.append(
                Problem(
                    "A value in a column without a name. Give the column its name or empty it.",
                    number,
                    None,
                    get_column_letter(index + 1),
                )
            )
    table.rows.append((number, row))
    return True


# Values.

MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (
        datetime.date(2000, number, 1).strftime("%b"),
        datetime.date(2000, number, 1).strftime("%B"),
    )
}
DATE_PATTERNS = [
    # ISO, as exported: 2025-10-15, 2025-10.
    (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"), lambda m: ("day", m[1], m[2], m[3])),
    (re.compile(r"(\d{4})[-/.](\d{1,2})"), lambda m: ("month", m[1], m[2], 1)),
    # As US Excel saves a date it recognised: 10/15/2025, Oct-25, 15-Oct-25.
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})"), lambda m: ("day", m[3], m[1], m[2])),
    (re.compile(r"(\d{1,2})/(\d{4})"), lambda m: ("month", m[2], m[1], 1)),
    (
        re.compile(r"(\d{1,2})[- ]([a-z]{3,9})[- ](\d{4}|\d{2})", re.I),
        lambda m: ("day", m[3], MONTHS.get(m[2].lower()), m[1]),
    ),
    (
        re.compile(r"([a-z]{3,9})[- ](\d{4}|\d{2})", re.I),
        lambda m: ("month", m[2], MONTHS.get(m[1].lower()), 1),
    ),
]


@dataclass(frozen=True)
class CellDate:
    day: datetime.date
    granularity: str  # "day", or "month" when the cell gives only a month

    def matches(self, shown):
        """Whether this is the date `shown` (a CellDate of a saved value) at the granularity it
        was written with: a month the spreadsheet turned into its first day still matches."""
        if shown.granularity == "month":
            return (self.day.year, self.day.month) == (shown.day.year, shown.day.month)
        return self.granularity == "day" and self.day == shown.day


def parse_date(text):
    """A CellDate from a cell, None if it is not a date."""
    text = text.strip()
    for pattern, parts in DATE_PATTERNS:
        if match := pattern.fullmatch(text):
            granularity, year, month, day = parts(match)
            if month is None:
                return None
            year = int(year)
            year += 2000 if year < 100 else 0
            try:
                return CellDate(datetime.date(year, int(month), int(day)), granularity)
            except ValueError:
                return None
    return None


def _text(value):
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


class Comparison:
    """Whether a cell says what is saved, allowing for what the file's format does to text:
    an XLSX drops control characters and cuts long text; a Windows-1252 CSV has "?" for
    characters it cannot hold."""

    def __init__(self, table):
        self.table = table

    def same_text(self, cell, saved):
        cell, saved = _text(cell), _text(saved)
        if cell == saved:
            return True
        if self.table.from_xlsx:
            as_written = ILLEGAL_CHARACTERS_RE.sub("", saved)
            if len(as_written) > EXCEL_CELL_LIMIT:
                as_written = as_written[: EXCEL_CELL_LIMIT - 1] + "…"
            return cell == _text(as_written)
        if encoding := self.table.legacy_encoding:
            return cell == saved.encode(encoding, "replace").decode(encoding)
        return False

    def same(self, kind, cell, saved):
        # Kinds by identity: comparing them as dataclasses would translate their labels.
        if any(kind is k for k in (DATE, MONTH, PARTIAL_DATE)):
            if not _text(saved) or not _text(cell):
                return _text(saved) == _text(cell)
            shown, given = parse_date(saved), parse_date(cell)
            return given is not None and shown is not None and given.matches(shown)
        if kind is INTEGER or kind is PERCENT:
            return _number(cell) == _number(saved)
        if kind is YES_NO:
            return _text(cell).lower() in ({"yes", "true"} if saved == "yes" else {"no", "false"})
        if kind is TEXTS:  # "; "-joined names; a spreadsheet may lose the space
            given = [_text(part) for part in cell.split(";") if _text(part)]
            names = [part for part in saved.split("; ") if part]
            return len(given) == len(names) and all(map(self.same_text, given, names))
        return self.same_text(cell, saved)


def _number(text):
    """An integer from "60", "60.0" or "60%", else None."""
    text = _text(text).removesuffix("%").strip()
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


# What the file would change.


@dataclass
class NewRecord:
    """A status record the import will add: the row's latest update."""

    row: int
    recommendation: Recommendation
    status: Status
    effective_date: datetime.date
    date_precision: str
    progress: int
    note: str
    translations: dict
    previous: object  # the current StatusUpdate, or None

    @property
    def known_date(self):
        return KnownDate(self.effective_date, self.date_precision)

    def describe(self):
        was = (
            f"was {self.previous.status.name}, {self.previous.known_date}"
            if self.previous
            else "no status record yet"
        )
        return (
            f"{self.status.name}, {self.progress}%, {self.known_date} ({was}). "
            f"Note: “{Truncator(self.note).chars(120)}”"
        )


@dataclass
class Edit:
    """Changed editable cells of one row: of the recommendation (its title and translations)
    or of its current status record (the translations of its note)."""

    row: int
    recommendation: Recommendation
    changes: list  # (column, saved text, new text)
    record: object = None  # the StatusUpdate whose note translations change, if any

    def describe(self):
        return "; ".join(f"{column}: “{old}” → “{new}”" for column, old, new in self.changes)


@dataclass(frozen=True)
class Ignored:
    """A read-only cell that differs from what is saved: listed, not imported."""

    row: int
    recommendation: Recommendation
    column: str
    cell: str
    saved: str


@dataclass
class Preview:
    """Everything the file would change, and every problem; saves nothing."""

    name: str
    rows: int = 0
    new_records: list = field(default_factory=list)
    edits: list = field(default_factory=list)
    ignored: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    # The version of each recommendation in the file when it was read: apply() refuses any
    # that has changed since.
    versions: dict = field(default_factory=dict)

    @property
    def has_changes(self):
        return bool(self.new_records or self.edits)

    @property
    def can_apply(self):
        return self.has_changes and not self.problems

    def lines(self):
        """The preview as text, for the command."""
        out = [
            f"{self.name}: {self.rows} row{'s' * (self.rows != 1)} read, "
            f"{len(self.new_records)} new status record{'s' * (len(self.new_records) != 1)}, "
            f"{len(self.edits)} edit{'s' * (len(self.edits) != 1)}, "
            f"{len(self.problems)} problem{'s' * (len(self.problems) != 1)}."
        ]
        if self.new_records:
            out.append("New status records:")
            out += [
                f"  Row {r.row}, {label(r.recommendation)}: {r.describe()}"
                for r in self.new_records
            ]
        if self.edits:
            out.append("Edits:")
            out += [f"  Row {e.row}, {label(e.recommendation)}: {e.describe()}" for e in self.edits]
        if self.ignored:
            out.append("Read-only columns changed in the file (ignored):")
            out += [
                f"  Row {i.row}, {label(i.recommendation)}, {i.column}: “{i.cell}” "
                f"(saved: “{i.saved}”)"
                for i in self.ignored
            ]
        if self.problems:
            out.append("Problems (nothing can be saved until they are fixed):")
            out += [f"  {problem}" for problem in self.problems]
        elif not self.has_changes:
            out.append("Nothing to change: every row matches what is saved.")
        return out


@dataclass(frozen=True)
class _Record:
    """What the derived figures need of a status record (see _Planner.before_current)."""

    status: Status
    effective_date: datetime.date
    date_precision: str

    @property
    def known_date(self):
        return KnownDate(self.effective_date, self.date_precision)


def _record_derived(name):
    return name in RECORD_DERIVED or name.rsplit("_", 1)[0] == STATUS  # status_es


def label(recommendation):
    return f"{recommendation.plan.slug} {recommendation.code} ({recommendation.title})"


def preview_file(data, name, *, plan=None, user=None, versions=None):
    """Read a file and plan its changes (see plan_changes); saves nothing."""
    return plan_changes(read_table(data, name), plan=plan, user=user, versions=versions)


def plan_changes(table, *, plan=None, user=None, versions=None):
    """The Preview of a Table: new status records, edits, ignored cells and problems.

    `plan` limits the import to one plan. `user`, if given, must hold the rights each change
    needs. `versions` ({recommendation pk: version}, from an earlier preview) makes apply()
    refuse recommendations changed since that preview. A fixed number of queries (plans,
    statuses, parties, the recommendations with their figures, current records and parties),
    whatever the number of rows.
    """
    preview = Preview(name=table.name, rows=len(table.rows), problems=list(table.problems))
    if not table.rows or not {PLAN, CODE} <= set(table.columns):
        return preview
    planner = _Planner(table, preview, plan=plan, user=user, versions=versions)
    planner.run()
    order = {name: index for index, name in enumerate(table.columns)}
    preview.problems.sort(key=lambda p: (p.row or 0, order.get(p.column, -1)))
    return preview


class _Planner:
    def __init__(self, table, preview, *, plan, user, versions):
        self.table, self.preview, self.plan, self.user = table, preview, plan, user
        self.given_versions = versions
        self.compare = Comparison(table)
        self.columns = set(table.columns)
        self.languages = [code for code, _name in other_languages()]
        self.note_columns = {f"{NOTE}_{code}": code for code in self.languages}
        self.title_columns = {TITLE: None} | {f"{TITLE}_{code}": code for code in self.languages}
        self.update_columns = {STATUS, PROGRESS, DATE_COLUMN, PRECISION, NOTE}
        self.update_columns |= set(self.note_columns)
        # The official wording, in the spreadsheet, is read-only here like the counts.
        registry = [*RECOMMENDATION_COLUMNS, *RECOMMENDATION_TEXT_COLUMNS, PUBLISHED_COLUMN]
        editable = self.update_columns | set(self.title_columns) | NOT_COMPARED | {PLAN, CODE}
        self.read_only = [c for c in registry if c.name in self.columns and c.name not in editable]
        self.today = timezone.localdate()

    def problem(self, message, row, column=None):
        self.preview.problems.append(Problem(message, row, column, self.table.letter(column)))

    def may(self, permission):
        return self.user is None or self.user.has_perm(permission)

    def run(self):
        plans = {p.slug: p for p in Plan.objects.all()}
        self.statuses = list(Status.objects.all())
        self.status_by_key = {}
        for status in self.statuses:
            self.status_by_key[status.name.casefold()] = status
            self.status_by_key[status.slug.casefold()] = status
        self.parties = {"name": set(), "slug": set()}
        if self.columns & set(PARTY_NAME_COLUMNS):
            for name, slug in Party.objects.values_list("name", "slug"):
                self.parties["name"].add(name.casefold())
                self.parties["slug"].add(slug.casefold())
        in_file = {_text(cells.get(PLAN)) for _row, cells in self.table.rows}
        scope = [plans[slug] for slug in in_file if slug in plans]
        if self.plan is not None:
            scope = [p for p in scope if p.pk == self.plan.pk]
        recommendations = {
            (rec.plan.slug, rec.code): rec
            for rec in Recommendation.objects.filter(plan__in=scope).for_public_list()
        }
        self.load_records(scope)
        seen = {}
        for row, cells in self.table.rows:
            rec = self.match(row, cells, plans, recommendations)
            if rec is None:
                continue
            if rec.pk in seen:
                self.problem(
                    f"The same recommendation as row {seen[rec.pk]}: keep one row.", row, CODE
                )
                continue
            seen[rec.pk] = row
            if row in self.table.unread_rows or not self.record_version(row, rec):
                continue
            self.read_only_cells(row, cells, rec)
            self.title_cells(row, cells, rec)
            self.latest_update(row, cells, rec)

    def match(self, row, cells, plans, recommendations):
        slug, code = _text(cells.get(PLAN)), _text(cells.get(CODE))
        if not slug:
            self.problem("Empty: give the plan's identifier, as exported.", row, PLAN)
            return None
        if slug not in plans:
            known = ", ".join(sorted(plans))
            self.problem(f"No plan “{slug}”. The plans are: {known}.", row, PLAN)
            return None
        if self.plan is not None and slug != self.plan.slug:
            self.problem(
                f"This import is for the plan “{self.plan.slug}”; this row is of “{slug}”. "
                "Import for every plan, or remove the row.",
                row,
                PLAN,
            )
            return None
        if not code:
            self.problem("Empty: give the recommendation's code, as exported.", row, CODE)
            return None
        rec = recommendations.get((slug, code))
        if rec is None:
            self.problem(f"The plan “{slug}” has no recommendation “{code}”.", row, CODE)
        return rec

    def record_version(self, row, rec):
        if self.given_versions is None:
            self.preview.versions[rec.pk] = rec.version
            return True
        version = self.given_versions.get(str(rec.pk), self.given_versions.get(rec.pk))
        if version is None:
            self.problem("This row was not in the preview. Upload the file again.", row, CODE)
            return False
        self.preview.versions[rec.pk] = version
        return True

    def read_only_cells(self, row, cells, rec):
        for column in self.read_only:
            cell = cells.get(column.name, "")
            if column.name in PARTY_NAME_COLUMNS:
                self.check_parties(row, column.name, cell)
            saved = column.text(rec, None)
            if self.compare.same(column.kind, cell, saved):
                continue
            # A file imported once already still shows the figures from before the record it
            # added: those are not edits either.
            before = self.before_current(rec) if _record_derived(column.name) else None
            if before is not None and self.compare.same(
                column.kind, cell, column.text(before, None)
            ):
                continue
            self.preview.ignored.append(Ignored(row, rec, column.name, _text(cell), saved))

    def load_records(self, scope):
        """Every status record of the recommendations in scope, oldest first (one query), when
        the file has columns computed from them."""
        self.records, self.before = {}, {}
        if not any(_record_derived(column.name) for column in self.read_only):
            return
        statuses = {status.pk: status for status in self.statuses}
        records = (
            StatusUpdate.objects.filter(recommendation__plan__in=scope)
            .order_by("recommendation_id", "effective_date", "created_at", "pk")
            .values_list("recommendation_id", "status_id", "effective_date", "date_precision")
        )
        for rec_id, status_id, day, precision in records:
            record = _Record(statuses[status_id], day, precision)
            self.records.setdefault(rec_id, []).append(record)

    def before_current(self, rec):
        """`rec` as the export showed it before its current record was added: the figures
        with_progress() derives, computed here from its other records (None without records)."""
        if rec.pk in self.before:
            return self.before[rec.pk]
        records = self.records.get(rec.pk)
        if not records:
            return None
        earlier = records[:-1]
        before = copy.copy(rec)
        latest = earlier[-1] if earlier else None
        before.current_records = [latest] if latest else []
        before.current_phase = latest.status.phase if latest else Phase.NOT_STARTED
        started = next((r for r in earlier if r.status.phase in STARTED_PHASES), None)
        run = None  # the first record of the last run of implemented records
        for record in earlier:
            run = (run or record) if record.status.phase == Phase.IMPLEMENTED else None
        before.start_date = started.effective_date if started else None
        before.start_precision = started.date_precision if started else None
        before.implemented_date = run.effective_date if run else None
        before.implemented_precision = run.date_precision if run else None
        before.is_overdue = bool(
            rec.estimated_completion
            and rec.estimated_completion < self.today
            and before.current_phase != Phase.IMPLEMENTED
        )
        self.before[rec.pk] = before
        return before

    def check_parties(self, row, column, cell):
        attribute = PARTY_NAME_COLUMNS[column]
        for name in filter(None, (_text(part) for part in cell.split(";"))):
            if name.casefold() not in self.parties[attribute]:
                self.problem(
                    f"No party {'named' if attribute == 'name' else 'with the identifier'} "
                    f"“{name}”. Parties and their roles are changed in the admin, not by "
                    "import: put the cell back as it was.",
                    row,
                    column,
                )

    def title_cells(self, row, cells, rec):
        changes = []
        for column, language in self.title_columns.items():
            if column not in cells:
                continue
            saved = rec.title if language is None else translated_value(rec, TITLE, language)
            cell = _text(cells[column])
            if self.compare.same_text(cell, saved):
                continue
            if language is None and not cell:
                self.problem("Empty: every recommendation needs a short title.", row, column)
            elif len(cell) > Recommendation._meta.get_field(TITLE).max_length:
                self.problem("Too long: a short title has at most 120 characters.", row, column)
            else:
                changes.append((column, saved, cell))
        if changes and not self.may("recommendations.change_recommendation"):
            self.problem("You may not change recommendations.", row, changes[0][0])
        elif changes:
            self.preview.edits.append(Edit(row, rec, changes))

    def latest_update(self, row, cells, rec):
        if not self.columns & self.update_columns:
            return
        current = rec.current_records[0] if rec.current_records else None
        reading = _LatestUpdate(self, row, cells, current)
        if not reading.ok:
            return
        if reading.changed:
            record = reading.new_record(rec)
            if record is not None and not self.may("recommendations.add_statusupdate"):
                self.problem("You may not add status records.", row, STATUS)
            elif record is not None:
                self.preview.new_records.append(record)
        elif reading.translation_changes:
            self.translation_edit(row, rec, current, reading.translation_changes)

    def translation_edit(self, row, rec, current, changes):
        column = changes[0][0]
        if current is None:
            self.problem(
                "There is no status record to translate yet. Give a status, a date and a note.",
                row,
                column,
            )
        elif not self.may("recommendations.change_statusupdate"):
            self.problem("You may not change status records.", row, column)
        else:
            self.preview.edits.append(Edit(row, rec, changes, record=current))


class _LatestUpdate:
    """A row's latest-update cells, read against the recommendation's current record."""

    def __init__(self, planner, row, cells, current):
        self.planner, self.row, self.cells, self.current = planner, row, cells, current
        self.ok = True
        self.status = self.read_status()
        self.progress = self.read_progress()
        self.date = self.read_date()
        self.precision = self.read_precision()
        self.note = _text(cells.get(NOTE, current.note if current else ""))
        if not self.ok:
            return
        saved_status = current.status if current else None
        shown = parse_date(current.known_date.iso) if current else None
        self.changes = {
            STATUS: self.status != saved_status,
            PROGRESS: self.progress_changed(),
            DATE_COLUMN: self.date_changed(shown),
            PRECISION: bool(
                self.precision and current and self.precision != current.date_precision
            ),
            NOTE: not planner.compare.same_text(self.note, current.note if current else ""),
        }
        self.changed = any(self.changes.values())
        self.translations, self.translation_changes = {}, []
        for column, language in planner.note_columns.items():
            if column not in cells:
                continue
            saved = translated_value(current, "note", language) if current else ""
            cell = _text(cells[column])
            if cell:
                self.translations[language] = {"note": cell}
            if not planner.compare.same_text(cell, saved):
                self.translation_changes.append((column, saved, cell))
            elif cell and self.changes[NOTE]:
                self.problem(
                    "This is the translation of the previous note. Translate the new note, or "
                    "empty the cell.",
                    column,
                )

    def problem(self, message, column):
        self.planner.problem(message, self.row, column)
        self.ok = False

    def read_status(self):
        saved = self.current.status if self.current else None
        if STATUS not in self.cells:
            return saved
        text = _text(self.cells[STATUS])
        if not text:
            if saved is not None:
                self.problem(
                    f"Empty, but the recommendation's current status is {saved.name}. Status "
                    "records are deleted in the admin, not by import: put the status back.",
                    STATUS,
                )
            return saved
        status = self.planner.status_by_key.get(text.casefold())
        if status is None:
            names = ", ".join(s.name for s in self.planner.statuses)
            self.problem(f"No status “{text}”. The statuses are: {names}.", STATUS)
            return saved
        return status

    def read_progress(self):
        if PROGRESS not in self.cells or not _text(self.cells[PROGRESS]):
            return None  # the status's usual figure
        value = _number(self.cells[PROGRESS])
        if value is None or not 0 <= value <= 100:
            self.problem(
                f"“{_text(self.cells[PROGRESS])}” is not a progress: enter a whole number from "
                "0 to 100, or leave the cell empty for the status's usual figure.",
                PROGRESS,
            )
        return value

    def progress_changed(self):
        if PROGRESS not in self.cells:
            return False
        if self.current is None:
            return self.progress not in (None, 0)  # the export writes 0 without a record
        value = self.status.default_progress if self.progress is None else self.progress
        return value != self.current.progress

    def date_changed(self, shown):
        if DATE_COLUMN not in self.cells:
            return False
        if self.date is None or shown is None:
            return (self.date is None) != (shown is None)
        return not self.date.matches(shown)

    def read_date(self):
        text = _text(self.cells.get(DATE_COLUMN, ""))
        if not text:
            if DATE_COLUMN in self.cells and self.current is not None:
                self.problem(
                    "Empty, but the recommendation has a status record. Status records are "
                    "deleted in the admin, not by import: put the date back.",
                    DATE_COLUMN,
                )
            return None
        date = parse_date(text)
        if date is None:
            self.problem(
                f"“{text}” is not a date. Write it as 2026-03-15, or as 2026-03 for a month.",
                DATE_COLUMN,
            )
        return date

    def read_precision(self):
        text = _text(self.cells.get(PRECISION, "")).lower()
        if text and text not in RecordPrecision.values:
            self.problem(
                f"“{text}” is not a precision: write day, month or by (on or before the date).",
                PRECISION,
            )
        return text or None

    def new_record(self, rec):
        """The row's NewRecord, or None after naming each problem."""
        current, status = self.current, self.status
        if status is None:
            self.problem("A new status record needs a status.", STATUS)
            return None
        if self.date is None:
            self.problem("A new status record needs the date it happened.", DATE_COLUMN)
            return None
        day, precision = self.effective_date()
        if day is None:
            return None
        progress = status.default_progress if self.progress is None else self.progress
        if not status.min_progress <= progress <= status.max_progress:
            self.problem(
                f"{status.name} means a progress of {status.progress_range}; {progress}% is "
                f"outside it. Enter a figure in that range, or leave the cell empty for the "
                f"usual {status.default_progress}%.",
                PROGRESS,
            )
        if not self.note:
            self.problem("Say what happened: every new status record needs a public note.", NOTE)
        elif current is not None and not self.changes[NOTE]:
            self.problem(
                f"This is the note of the current record ({current.status.name}, "
                f"{current.known_date}). A change of status, progress or date is a new record: "
                "say what happened.",
                NOTE,
            )
        if not self.ok:
            return None
        return NewRecord(
            row=self.row,
            recommendation=rec,
            status=status,
            effective_date=day,
            date_precision=precision,
            progress=progress,
            note=self.note,
            translations=self.translations,
            previous=current,
        )

    def effective_date(self):
        """(day, precision) of the new record, or (None, None) after naming the problem."""
        current, date = self.current, self.date
        if current is not None and not self.changes[DATE_COLUMN]:
            # The current record's date: keep its stored day, so the new record ties with it
            # (and, entered later, becomes the current one).
            day, precision = current.effective_date, self.precision or current.date_precision
            if precision == RecordPrecision.DAY and date.granularity == "day":
                day = date.day
        else:
            day = date.day
            precision = self.precision or (
                RecordPrecision.DAY if date.granularity == "day" else RecordPrecision.MONTH
            )
        if precision == RecordPrecision.DAY and date.granularity != "day":
            self.problem(
                "A date known to the day needs the day: write it as 2026-03-15.", DATE_COLUMN
            )
        elif day > self.planner.today:
            self.problem(
                f"{day.isoformat()} is in the future: a status record says what has happened.",
                DATE_COLUMN,
            )
        elif day < EARLIEST_DATE:
            self.problem(
                f"{day.isoformat()} is before {EARLIEST_DATE.year}: check the year.", DATE_COLUMN
            )
        elif current is not None and day < current.effective_date:
            self.problem(
                f"Before the current record ({current.status.name}, {current.known_date}), so "
                "a new record would not be the latest. If that record was added after the file "
                "was downloaded, download it again; an earlier step is added in the admin.",
                DATE_COLUMN,
            )
        return (day, precision) if self.ok else (None, None)


# Saving.


@dataclass(frozen=True)
class ImportResult:
    records: int
    edits: int


def apply(preview, *, user):
    """Save every change of a Preview, as `user`, in one transaction, checked against each
    recommendation's version when the preview was made: the edits (rare) one by one through
    save_edit or correct_status_update, then every new record at once through
    record_status_updates (a fixed number of queries per batch, whatever the number of rows).
    Raises ImportRefused, with nothing saved, if the preview has problems or any save is
    refused."""
    if preview.problems:
        raise ImportRefused(preview.problems)
    reason = Truncator(f"Imported from {preview.name}").chars(REASON_LENGTH)
    expected = dict(preview.versions)
    records = sorted(preview.new_records, key=lambda c: c.row)
    queued = transaction.get_connection().run_on_commit
    with transaction.atomic():
        already = len(queued)
        for change in sorted(preview.edits, key=lambda c: c.row):
            rec = change.recommendation
            try:
                _save_edit(change, rec, expected[rec.pk], user, reason)
            except ValidationError as error:
                raise _refused(rec, error, change.row) from error
            expected[rec.pk] = rec.version  # the save raised it
        try:
            record_status_updates(
                updates=[
                    {
                        "recommendation": change.recommendation,
                        "status": change.status,
                        "effective_date": change.effective_date,
                        "date_precision": change.date_precision,
                        "progress": change.progress,
                        "note": change.note,
                        "translations": change.translations,
                        "expected_recommendation_version": expected[change.recommendation.pk],
                    }
                    for change in records
                ],
                user=user,
            )
        except StatusUpdateRefused as error:
            change = records[error.index]
            raise _refused(change.recommendation, error, change.row) from error
        # Each edit queued its own renewal of the public page cache (portal/caching.py), and
        # the new records one more: the first one after the commit does the job of them all.
        tail = queued[already:]
        first = next((i for i, entry in enumerate(tail) if entry[1] is bump_public_version), 0)
        queued[already:] = [
            entry
            for i, entry in enumerate(tail)
            if i <= first or entry[1] is not bump_public_version
        ]
    return ImportResult(records=len(preview.new_records), edits=len(preview.edits))


def _refused(rec, error, row):
    message = " ".join(error.messages)
    return ImportRefused([Problem(f"{label(rec)}: {message} Nothing was saved.", row)])


def _save_edit(change, rec, expected, user, reason):
    if change.record is not None:
        record = change.record
        record.recommendation = rec
        for column, _old, new in change.changes:
            record.set_translation(column.removeprefix(f"{NOTE}_"), "note", new)
        correct_status_update(
            update=record,
            expected_version=record.version,
            expected_recommendation_version=expected,
            user=user,
        )
    else:
        for column, _old, new in change.changes:
            if column == TITLE:
                rec.title = new
            else:
                rec.set_translation(column.removeprefix(f"{TITLE}_"), TITLE, new)
        rec._change_reason = f"{reason}: {', '.join(c for c, _o, _n in change.changes)}"[
            :REASON_LENGTH
        ]
        save_edit(obj=rec, expected_version=expected, user=user)
