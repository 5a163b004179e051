"""Every column of every export and every field of the API, defined once.

The CSV and XLSX writers, the JSON API, its OpenAPI document and the /data/ field dictionary all
read these definitions, so the documentation cannot drift from the files.

Each text the city writes comes in two columns: the English one (`title`) and the Spanish one
(`title_es`), empty until translated, whatever the language of the address.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


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


def _all_topics(language):
    with translation.override(language):
        return gettext("All topics")


def _display_date(milestone, language):
    with translation.override(language):
        return milestone.display_date


def _spanish(field, description):
    """The Spanish twin of an English text column."""
    return Column(
        f"{field}_es",
        TEXT,
        description,
        lambda obj, request: getattr(obj, f"{field}_es"),
    )


@dataclass(frozen=True)
class Kind:
    """A type of value: how /data/ names it, and how each format writes it."""

    label: str
    schema: dict
    to_text: Callable[[Any], str] = str  # CSV cells
    to_json: Callable[[Any], Any] = _same
    xlsx_format: str | None = None  # number format of a real date cell


INTEGER = Kind(_("whole number"), {"type": "integer"})
PERCENT = Kind(_("whole number, 0-100"), {"type": "integer", "minimum": 0, "maximum": 100})
TEXT = Kind(_("text"), {"type": "string"}, to_text=_same)
URL = Kind(_("web address"), {"type": "string", "format": "uri"}, to_text=_same)
DATE = Kind(
    _("date, YYYY-MM-DD"),
    {"type": "string", "format": "date"},
    to_text=_iso,
    to_json=_iso,
    xlsx_format="yyyy-mm-dd",
)
MONTH = Kind(
    _("month, YYYY-MM"),
    {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
    to_text=_month,
    to_json=_month,
    xlsx_format="mmmm yyyy",
)
DATETIME = Kind(
    _("date and time in the city's time zone, ISO 8601 with its UTC offset"),
    {"type": "string", "format": "date-time"},
    to_text=_local_iso,
    to_json=_local_iso,
    xlsx_format="yyyy-mm-dd hh:mm",
)
YES_NO = Kind(_("yes or no (true or false in the API)"), {"type": "boolean"}, to_text=_yes_no)
PARTIAL_DATE = Kind(
    _("date at its precision: YYYY-MM-DD, YYYY-MM or YYYY"),
    {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
    to_text=_same,
)
NUMBERS = Kind(
    _("list of recommendation numbers"),
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
    Column("number", INTEGER, _("The recommendation's number."), lambda r, q: r.number),
    Column("title", TEXT, _("A short title (ours, not the city's)."), lambda r, q: r.title),
    _spanish("title", _("The short title in Spanish; empty until it is translated.")),
    Column("topic", TEXT, _("The topic it belongs to."), lambda r, q: r.topic.name),
    Column(
        "topic_es",
        TEXT,
        _("The topic's name in Spanish; empty until it is translated."),
        lambda r, q: r.topic.name_es,
    ),
    Column("topic_slug", TEXT, _("The topic's identifier in URLs."), lambda r, q: r.topic.slug),
    Column("lead", TEXT, _("The responsible party, as the city names it."), lambda r, q: r.lead),
    _spanish("lead", _("The responsible party in Spanish; empty until it is translated.")),
    Column(
        "status",
        TEXT,
        _(
            "Its current status on the city's scale (the latest status record on or before the "
            "as-of date). Empty when no status has been recorded: counted as not started."
        ),
        _status("name"),
        nullable=True,
    ),
    Column(
        "status_es",
        TEXT,
        _("The current status's name in Spanish. Empty without a status or a translation."),
        lambda r, q: r.current_status.name_es if r.current_status else None,
        nullable=True,
    ),
    Column(
        "status_slug",
        TEXT,
        _("The current status's identifier, as the status filter takes it."),
        _status("slug"),
        nullable=True,
    ),
    Column(
        "phase",
        TEXT,
        _(
            "not-started, in-progress or implemented: the phase of the current status. The counts "
            "use it: started = in-progress or implemented."
        ),
        lambda r, q: r.current_phase,
    ),
    Column(
        "progress",
        PERCENT,
        _("Percent complete, from the latest record."),
        lambda r, q: r.current_progress,
    ),
    Column(
        "start_date",
        DATE,
        _("The first status record in progress or implemented. Empty if it has not started."),
        lambda r, q: r.start_date,
        nullable=True,
    ),
    Column(
        "implemented_date",
        DATE,
        _(
            "When it last became implemented. Empty if it is not implemented, also after a "
            "regression."
        ),
        lambda r, q: r.implemented_date,
        nullable=True,
    ),
    Column(
        "estimated_completion",
        MONTH,
        _("The target month for completion, if one is set."),
        lambda r, q: r.estimated_completion,
        nullable=True,
    ),
    Column(
        "overdue",
        YES_NO,
        _("The target month has passed (as of the as-of date) and it is not implemented."),
        lambda r, q: r.is_overdue,
    ),
    Column(
        "latest_update_date",
        DATE,
        _("The effective date of the latest status record. Empty if there is none."),
        lambda r, q: r.last_update_date,
        nullable=True,
    ),
    Column(
        "latest_update_note",
        TEXT,
        _("The public note of the latest status record: what happened."),
        lambda r, q: r.latest_note,
    ),
    Column(
        "latest_update_note_es",
        TEXT,
        _("That note in Spanish; empty until it is translated."),
        lambda r, q: r.latest_note_es,
    ),
    Column(
        "url",
        URL,
        _("The recommendation's public page."),
        lambda r, q: q.build_absolute_uri(r.get_absolute_url()),
    ),
]

# The API adds the full wording to each recommendation.
RECOMMENDATION_TEXT_COLUMNS = [
    Column(
        "text", TEXT, _("The full recommendation, as the council received it."), lambda r, q: r.text
    ),
    _spanish("text", _("The full recommendation in Spanish; empty until it is translated.")),
    Column("details", TEXT, _("Background and context; may be empty."), lambda r, q: r.details),
    _spanish("details", _("The background in Spanish; empty until it is translated.")),
]

# The staff-only admin export also says whether each selected recommendation is public.
PUBLISHED_COLUMN = Column(
    "published", YES_NO, _("Shown on the public site."), lambda r, q: r.is_published
)

# One row per status record, of StatusUpdate.objects.select_related("recommendation", "status").
HISTORY_COLUMNS = [
    Column(
        "effective_date",
        DATE,
        _("The day the recommendation reached this status."),
        lambda u, q: u.effective_date,
    ),
    Column("status", TEXT, _("The status reached."), lambda u, q: u.status.name),
    Column(
        "status_es",
        TEXT,
        _("Its name in Spanish; empty until it is translated."),
        lambda u, q: u.status.name_es,
    ),
    Column("status_slug", TEXT, _("The status's identifier."), lambda u, q: u.status.slug),
    Column("phase", TEXT, _("The status's phase."), lambda u, q: u.status.phase),
    Column("progress", PERCENT, _("Percent complete at that point."), lambda u, q: u.progress),
    Column("note", TEXT, _("Public text: what happened."), lambda u, q: u.note),
    _spanish("note", _("The note in Spanish; empty until it is translated.")),
    Column(
        "recorded_at",
        DATETIME,
        _("When the record was entered in the portal (it may be later than the effective date)."),
        lambda u, q: u.created_at,
    ),
    Column(
        "corrected_at",
        DATETIME,
        _("When a saved record was last edited; empty if it never was."),
        lambda u, q: u.corrected_at,
        nullable=True,
    ),
]

UPDATE_COLUMNS = [
    Column(
        "recommendation_number",
        INTEGER,
        _("The recommendation's number."),
        lambda u, q: u.recommendation.number,
    ),
    Column(
        "recommendation_title",
        TEXT,
        _("The recommendation's short title."),
        lambda u, q: u.recommendation.title,
    ),
    Column(
        "recommendation_title_es",
        TEXT,
        _("The short title in Spanish; empty until it is translated."),
        lambda u, q: u.recommendation.title_es,
    ),
    *HISTORY_COLUMNS,
]

# One row for all recommendations in scope, then one per topic; objects are SummaryRow.
SUMMARY_COLUMNS = [
    Column("as_of", DATE, _("The counts stand as at the end of this day."), lambda s, q: s.as_of),
    Column(
        "topic_number",
        INTEGER,
        _("The topic's number; empty on the row for all topics."),
        lambda s, q: s.topic.number if s.topic else None,
        nullable=True,
    ),
    Column(
        "topic_slug",
        TEXT,
        _("The topic's identifier; empty on the row for all topics."),
        lambda s, q: s.topic.slug if s.topic else None,
        nullable=True,
    ),
    Column(
        "topic",
        TEXT,
        _('The topic\'s name, or "All topics".'),
        lambda s, q: s.topic.name if s.topic else _all_topics("en"),
    ),
    Column(
        "topic_es",
        TEXT,
        _('The topic\'s name in Spanish (empty until it is translated), or "Todos los temas".'),
        lambda s, q: s.topic.name_es if s.topic else _all_topics("es"),
    ),
    Column("total", INTEGER, _("Published recommendations."), lambda s, q: s.progress.total),
    Column(
        "started",
        INTEGER,
        _("Of those, how many are in progress or implemented."),
        lambda s, q: s.progress.started,
    ),
    Column(
        "started_percent",
        PERCENT,
        _("started / total, rounded to a whole percent."),
        lambda s, q: s.progress.started_percent,
    ),
    Column(
        "implemented",
        INTEGER,
        _("Of those, how many are implemented."),
        lambda s, q: s.progress.implemented,
    ),
    Column(
        "implemented_percent",
        PERCENT,
        _("implemented / total, rounded to a whole percent."),
        lambda s, q: s.progress.implemented_percent,
    ),
]

TOPIC_COLUMNS = [
    Column(
        "number",
        INTEGER,
        _("The topic's number; topics are listed in this order."),
        lambda t, q: t.number,
    ),
    Column(
        "slug",
        TEXT,
        _("The topic's identifier, as the topic filter takes it."),
        lambda t, q: t.slug,
    ),
    Column("name", TEXT, _("The topic's name."), lambda t, q: t.name),
    _spanish("name", _("The name in Spanish; empty until it is translated.")),
    Column(
        "description", TEXT, _("What the topic covers; may be empty."), lambda t, q: t.description
    ),
    _spanish("description", _("The description in Spanish; empty until it is translated.")),
]

STATUS_COLUMNS = [
    Column(
        "slug",
        TEXT,
        _("The status's identifier, as the status filter takes it."),
        lambda s, q: s.slug,
    ),
    Column("name", TEXT, _("The status's name."), lambda s, q: s.name),
    _spanish("name", _("The name in Spanish; empty until it is translated.")),
    Column("order", INTEGER, _("Its position on the scale, first to last."), lambda s, q: s.order),
    Column(
        "phase",
        TEXT,
        _("not-started, in-progress or implemented: how the counts treat it."),
        lambda s, q: s.phase,
    ),
    Column("definition", TEXT, _("What the status means."), lambda s, q: s.definition),
    _spanish("definition", _("The definition in Spanish; empty until it is translated.")),
    Column(
        "default_progress",
        PERCENT,
        _("The progress a new record at this status gets unless the editor sets one."),
        lambda s, q: s.default_progress,
    ),
]

MILESTONE_COLUMNS = [
    Column(
        "date",
        PARTIAL_DATE,
        _("When it happened, only as precisely as it is known."),
        lambda m, q: m.date.isoformat()[: {"day": 10, "month": 7, "year": 4}[m.date_precision]],
    ),
    Column("date_precision", TEXT, _("day, month or year."), lambda m, q: m.date_precision),
    Column(
        "display_date",
        TEXT,
        _('The date as the English pages print it, e.g. "September 2025".'),
        lambda m, q: _display_date(m, "en"),
    ),
    Column(
        "display_date_es",
        TEXT,
        _('The date as the Spanish pages print it, e.g. "septiembre de 2025".'),
        lambda m, q: _display_date(m, "es"),
    ),
    Column("title", TEXT, _("What happened."), lambda m, q: m.title),
    _spanish("title", _("The title in Spanish; empty until it is translated.")),
    Column("description", TEXT, _("More detail; may be empty."), lambda m, q: m.description),
    _spanish("description", _("The description in Spanish; empty until it is translated.")),
    Column(
        "source_url",
        URL,
        _("Where it is reported; empty if no source is linked."),
        lambda m, q: m.source_url or None,
        nullable=True,
    ),
    Column(
        "recommendations",
        NUMBERS,
        _("The published recommendations it relates to."),
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
    _("Total: the published recommendations (within the filters, if any)."),
    _(
        "Each recommendation's current status is its latest status record effective on or before "
        "the as-of date (records on the same day: the one entered last). No record: not started."
    ),
    _(
        "Started: the current status is in the in-progress or implemented phase. Implemented: it "
        "is in the implemented phase. A recommendation that went back from implemented counts as "
        "in progress again."
    ),
    _("Percentages are rounded to whole numbers."),
    _(
        "As of a past date, the figures use the records as they stand today: a record entered "
        "later with an earlier effective date, or corrected later, changes that date's figures; "
        "each record's recorded_at and corrected_at say when. Publication is not dated: today's "
        "published recommendations are counted."
    ),
]
