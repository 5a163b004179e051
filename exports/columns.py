"""Every column of every export and every field of the API, defined once.

The CSV and XLSX writers, the JSON API, its OpenAPI document and the /data/ field dictionary all
read these definitions, so the documentation cannot drift from the files.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone


def _iso(value):
    return value.isoformat()


def _month(value):
    # f-string, not strftime: strftime drops the leading zeros of years before 1000.
    return f"{value.year:04d}-{value.month:02d}"


def _local_iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds")


def _yes_no(value):
    return "yes" if value else "no"


def _same(value):
    return value


@dataclass(frozen=True)
class Kind:
    """A type of value: how /data/ names it, and how each format writes it."""

    label: str
    schema: dict
    to_text: Callable[[Any], str] = str  # CSV cells
    to_json: Callable[[Any], Any] = _same
    xlsx_format: str | None = None  # number format of a real date cell


INTEGER = Kind("whole number", {"type": "integer"})
PERCENT = Kind("whole number, 0-100", {"type": "integer", "minimum": 0, "maximum": 100})
TEXT = Kind("text", {"type": "string"}, to_text=_same)
URL = Kind("web address", {"type": "string", "format": "uri"}, to_text=_same)
DATE = Kind(
    "date, YYYY-MM-DD",
    {"type": "string", "format": "date"},
    to_text=_iso,
    to_json=_iso,
    xlsx_format="yyyy-mm-dd",
)
MONTH = Kind(
    "month, YYYY-MM",
    {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
    to_text=_month,
    to_json=_month,
    xlsx_format="mmmm yyyy",
)
DATETIME = Kind(
    "date and time in the city's time zone, ISO 8601 with its UTC offset",
    {"type": "string", "format": "date-time"},
    to_text=_local_iso,
    to_json=_local_iso,
    xlsx_format="yyyy-mm-dd hh:mm",
)
YES_NO = Kind("yes or no (true or false in the API)", {"type": "boolean"}, to_text=_yes_no)
PARTIAL_DATE = Kind(
    "date at its precision: YYYY-MM-DD, YYYY-MM or YYYY",
    {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
    to_text=_same,
)
NUMBERS = Kind(
    "list of recommendation numbers",
    {"type": "array", "items": {"type": "integer"}},
    to_text=lambda numbers: " ".join(map(str, numbers)),
)


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str
    value: Callable[[Any, Any], Any]  # (object, request) -> a Python value or None
    nullable: bool = False

    def json_schema(self):
        schema = dict(self.kind.schema, description=self.description)
        if self.nullable:
            schema["type"] = [schema["type"], "null"]
        return schema

    def text(self, obj, request):
        value = self.value(obj, request)
        return "" if value is None else self.kind.to_text(value)

    def json(self, obj, request):
        value = self.value(obj, request)
        return None if value is None else self.kind.to_json(value)


def _status(attr):
    def value(rec, request):
        return getattr(rec.current_status, attr) if rec.current_status else None

    return value


# One row per recommendation. The objects come from
# published().with_progress(as_of).with_latest_note(as_of).select_related("topic").
RECOMMENDATION_COLUMNS = [
    Column("number", INTEGER, "The recommendation's number.", lambda r, q: r.number),
    Column("title", TEXT, "A short title (ours, not the city's).", lambda r, q: r.title),
    Column("topic", TEXT, "The topic it belongs to.", lambda r, q: r.topic.name),
    Column("topic_slug", TEXT, "The topic's identifier in URLs.", lambda r, q: r.topic.slug),
    Column("lead", TEXT, "The responsible party, as the city names it.", lambda r, q: r.lead),
    Column(
        "status",
        TEXT,
        "Its current status on the city's scale (the latest status record on or before the "
        "as-of date). Empty when no status has been recorded: counted as not started.",
        _status("name"),
        nullable=True,
    ),
    Column(
        "status_slug",
        TEXT,
        "The current status's identifier, as the status filter takes it.",
        _status("slug"),
        nullable=True,
    ),
    Column(
        "phase",
        TEXT,
        "not-started, in-progress or implemented: the phase of the current status. The counts "
        "use it: started = in-progress or implemented.",
        lambda r, q: r.current_phase,
    ),
    Column(
        "progress",
        PERCENT,
        "Percent complete, from the latest record.",
        lambda r, q: r.current_progress,
    ),
    Column(
        "start_date",
        DATE,
        "The first status record in progress or implemented. Empty if it has not started.",
        lambda r, q: r.start_date,
        nullable=True,
    ),
    Column(
        "implemented_date",
        DATE,
        "When it last became implemented. Empty if it is not implemented, also after a regression.",
        lambda r, q: r.implemented_date,
        nullable=True,
    ),
    Column(
        "estimated_completion",
        MONTH,
        "The target month for completion, if one is set.",
        lambda r, q: r.estimated_completion,
        nullable=True,
    ),
    Column(
        "overdue",
        YES_NO,
        "The target month has passed (as of the as-of date) and it is not implemented.",
        lambda r, q: r.is_overdue,
    ),
    Column(
        "latest_update_date",
        DATE,
        "The effective date of the latest status record. Empty if there is none.",
        lambda r, q: r.last_update_date,
        nullable=True,
    ),
    Column(
        "latest_update_note",
        TEXT,
        "The public note of the latest status record: what happened.",
        lambda r, q: r.latest_note,
    ),
    Column(
        "url",
        URL,
        "The recommendation's public page.",
        lambda r, q: q.build_absolute_uri(r.get_absolute_url()),
    ),
]

# The API adds the full wording to each recommendation.
RECOMMENDATION_TEXT_COLUMNS = [
    Column(
        "text", TEXT, "The full recommendation, as the council received it.", lambda r, q: r.text
    ),
    Column("details", TEXT, "Background and context; may be empty.", lambda r, q: r.details),
]

# The staff-only admin export also says whether each selected recommendation is public.
PUBLISHED_COLUMN = Column(
    "published", YES_NO, "Shown on the public site.", lambda r, q: r.is_published
)

# One row per status record, of StatusUpdate.objects.select_related("recommendation", "status").
HISTORY_COLUMNS = [
    Column(
        "effective_date",
        DATE,
        "The day the recommendation reached this status.",
        lambda u, q: u.effective_date,
    ),
    Column("status", TEXT, "The status reached.", lambda u, q: u.status.name),
    Column("status_slug", TEXT, "The status's identifier.", lambda u, q: u.status.slug),
    Column("phase", TEXT, "The status's phase.", lambda u, q: u.status.phase),
    Column("progress", PERCENT, "Percent complete at that point.", lambda u, q: u.progress),
    Column("note", TEXT, "Public text: what happened.", lambda u, q: u.note),
    Column(
        "recorded_at",
        DATETIME,
        "When the record was entered in the portal (it may be later than the effective date).",
        lambda u, q: u.created_at,
    ),
    Column(
        "corrected_at",
        DATETIME,
        "When a saved record was last edited; empty if it never was.",
        lambda u, q: u.corrected_at,
        nullable=True,
    ),
]

UPDATE_COLUMNS = [
    Column(
        "recommendation_number",
        INTEGER,
        "The recommendation's number.",
        lambda u, q: u.recommendation.number,
    ),
    Column(
        "recommendation_title",
        TEXT,
        "The recommendation's short title.",
        lambda u, q: u.recommendation.title,
    ),
    *HISTORY_COLUMNS,
]

# One row for all recommendations in scope, then one per topic; objects are SummaryRow.
SUMMARY_COLUMNS = [
    Column("as_of", DATE, "The counts stand as at the end of this day.", lambda s, q: s.as_of),
    Column(
        "topic_number",
        INTEGER,
        "The topic's number; empty on the row for all topics.",
        lambda s, q: s.topic.number if s.topic else None,
        nullable=True,
    ),
    Column(
        "topic_slug",
        TEXT,
        "The topic's identifier; empty on the row for all topics.",
        lambda s, q: s.topic.slug if s.topic else None,
        nullable=True,
    ),
    Column(
        "topic",
        TEXT,
        'The topic\'s name, or "All topics".',
        lambda s, q: s.topic.name if s.topic else "All topics",
    ),
    Column("total", INTEGER, "Published recommendations.", lambda s, q: s.progress.total),
    Column(
        "started",
        INTEGER,
        "Of those, how many are in progress or implemented.",
        lambda s, q: s.progress.started,
    ),
    Column(
        "started_percent",
        PERCENT,
        "started / total, rounded to a whole percent.",
        lambda s, q: s.progress.started_percent,
    ),
    Column(
        "implemented",
        INTEGER,
        "Of those, how many are implemented.",
        lambda s, q: s.progress.implemented,
    ),
    Column(
        "implemented_percent",
        PERCENT,
        "implemented / total, rounded to a whole percent.",
        lambda s, q: s.progress.implemented_percent,
    ),
]

TOPIC_COLUMNS = [
    Column(
        "number",
        INTEGER,
        "The topic's number; topics are listed in this order.",
        lambda t, q: t.number,
    ),
    Column(
        "slug", TEXT, "The topic's identifier, as the topic filter takes it.", lambda t, q: t.slug
    ),
    Column("name", TEXT, "The topic's name.", lambda t, q: t.name),
    Column("description", TEXT, "What the topic covers; may be empty.", lambda t, q: t.description),
]

STATUS_COLUMNS = [
    Column(
        "slug", TEXT, "The status's identifier, as the status filter takes it.", lambda s, q: s.slug
    ),
    Column("name", TEXT, "The status's name.", lambda s, q: s.name),
    Column("order", INTEGER, "Its position on the scale, first to last.", lambda s, q: s.order),
    Column(
        "phase",
        TEXT,
        "not-started, in-progress or implemented: how the counts treat it.",
        lambda s, q: s.phase,
    ),
    Column("definition", TEXT, "What the status means.", lambda s, q: s.definition),
    Column(
        "default_progress",
        PERCENT,
        "The progress a new record at this status gets unless the editor sets one.",
        lambda s, q: s.default_progress,
    ),
]

MILESTONE_COLUMNS = [
    Column(
        "date",
        PARTIAL_DATE,
        "When it happened, only as precisely as it is known.",
        lambda m, q: m.date.isoformat()[: {"day": 10, "month": 7, "year": 4}[m.date_precision]],
    ),
    Column("date_precision", TEXT, "day, month or year.", lambda m, q: m.date_precision),
    Column(
        "display_date",
        TEXT,
        'The date as the site prints it, e.g. "September 2025".',
        lambda m, q: m.display_date,
    ),
    Column("title", TEXT, "What happened.", lambda m, q: m.title),
    Column("description", TEXT, "More detail; may be empty.", lambda m, q: m.description),
    Column(
        "source_url",
        URL,
        "Where it is reported; empty if no source is linked.",
        lambda m, q: m.source_url or None,
        nullable=True,
    ),
    Column(
        "recommendations",
        NUMBERS,
        "The published recommendations it relates to.",
        lambda m, q: [r.number for r in m.recommendations.all()],
    ),
]


@dataclass(frozen=True)
class SummaryRow:
    as_of: Any
    topic: Any  # a Topic, or None for all topics
    progress: Any  # a recommendations.models.Progress


# How every figure is computed; printed on the XLSX notes sheet, the report and /data/.
COUNTING_RULES = [
    "Total: the published recommendations (within the filters, if any).",
    "Each recommendation's current status is its latest status record effective on or before "
    "the as-of date (records on the same day: the one entered last). No record: not started.",
    "Started: the current status is in the in-progress or implemented phase. Implemented: it is "
    "in the implemented phase. A recommendation that went back from implemented counts as in "
    "progress again.",
    "Percentages are rounded to whole numbers.",
    "As of a past date, the figures use the records as they stand today: a record entered "
    "later with an earlier effective date, or corrected later, changes that date's figures; "
    "each record's recorded_at and corrected_at say when. Publication is not dated: today's "
    "published recommendations are counted.",
]
