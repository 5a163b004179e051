"""Every column of every export and every field of the API, defined once.

The CSV and XLSX writers, the JSON API, its OpenAPI document and the /data/ field dictionary all
read these definitions, so the documentation cannot drift from the files.

Each text the city writes has a column in the site's first language (`title`) and one for each
other configured language (`title_es`, `title_vi`, ...): the stored translation, empty until
translated, whatever the language of the address. Those columns are declared once, as an
`InEachLanguage` entry, and expanded when a list is iterated, so switching a language on or off
in settings.LANGUAGES changes every file, API object, schema and /data/ table together.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from core.dates import iso_date
from core.translations import default_language, other_languages, translated_value


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


def _overall_label(row, language):
    """What the summary's first row covers: "All topics", or the filters that narrow it (the
    plan filter aside: the plan column names it)."""
    narrowing = {name: value for name, value in (row.filters or {}).items() if name != "plan"}
    with translation.override(language):
        if not narrowing:
            return gettext("All topics")
        return gettext("Filtered: %(filters)s") % {"filters": describe_filters(narrowing)}


def overall_label(row):
    """The label of a summary row for all topics, in the active language."""
    return _overall_label(row, translation.get_language())


def describe_filters(filters):
    """The filters as the address gives them: "topic=youth-outreach phase=started"."""
    return " ".join(f"{name}={value}" for name, value in filters.items())


def _display_date(milestone, language):
    with translation.override(language):
        return milestone.display_date


def _stored(translations, field, language):
    """A stored translation from a `translations` mapping (e.g. an annotation), "" if none."""
    return ((translations or {}).get(language) or {}).get(field) or ""


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


def _known_date_columns(name, attr, description, *, precision_name=None):
    """A date known to the day, the month or only as "on or before" (a KnownDate): the date
    at its precision (2022-09-15 or 2022-09), and a column saying which precision."""

    def known(obj):
        return getattr(obj, attr)

    return [
        Column(
            name,
            PARTIAL_DATE,
            description,
            lambda obj, q: known(obj).iso if known(obj) else None,
            nullable=True,
        ),
        Column(
            precision_name or f"{name}_precision",
            TEXT,
            _("How well that date is known: day, month, or by (on or before it)."),
            lambda obj, q: known(obj).precision if known(obj) else None,
            nullable=True,
        ),
    ]


# Several texts in one field: a list in the API, one cell separated by "; " in the files.
TEXTS = Kind(
    _("texts, separated by “; ” in the files (a list in the API)"),
    {"type": "array", "items": {"type": "string"}},
    to_text="; ".join,
)
SOURCES = Kind(
    _("labelled links, “label <address>” separated by “; ” in the files (a list in the API)"),
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"label": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
            "required": ["label", "url"],
            "additionalProperties": False,
        },
    },
    to_text=lambda sources: "; ".join(f"{s['label']} <{s['url']}>" for s in sources),
)
RECOMMENDATION_REFS = Kind(
    _("list of recommendations, each its plan and code"),
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"plan": {"type": "string"}, "code": {"type": "string"}},
            "required": ["plan", "code"],
            "additionalProperties": False,
        },
    },
    to_text=lambda refs: " ".join(f"{ref['plan']}/{ref['code']}" for ref in refs),
)


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str
    value: Callable[[Any, Any], Any]  # (object, request) -> a Python value or None
    nullable: bool = False
    label: Any = None  # the heading people read (XLSX); None: HEADINGS[name]

    def columns(self):
        yield self

    @property
    def heading(self):
        """The heading people read, in the active language; the name in words if none."""
        label = self.label or HEADINGS.get(self.name)
        return str(label) if label else self.name.replace("_", " ").capitalize()

    def json_schema(self):
        schema = dict(self.kind.schema, description=str(self.description))
        if self.nullable:
            schema["type"] = [schema["type"], "null"]
        return schema

    def text(self, obj, request):
        value = self.value(obj, request)
        return "" if value is None else self.kind.to_text(value)

    def json(self, obj, request):
        value = self.value(obj, request)
        return None if value is None else self.kind.to_json(value)


def language_name(code):
    """A language's name in the active language: "Spanish", or "español" on a Spanish page."""
    return str(get_language_info(code)["name_translated"])


@dataclass(frozen=True)
class InEachLanguage:
    """One column per configured language other than the first, named `{name}_{code}`, read
    from settings.LANGUAGES each time a list is iterated (so at request time, not at import).

    `value(obj, request, language)` gives the stored text in that language: a translation is
    never filled in from the source text. `description` may name the language as
    %(language)s.
    """

    name: str
    description: str
    value: Callable[[Any, Any, str], Any]
    kind: Kind = TEXT
    nullable: bool = False

    def columns(self):
        label = HEADINGS.get(self.name)
        for code, _name in other_languages():
            yield Column(
                f"{self.name}_{code}",
                self.kind,
                str(self.description) % {"language": language_name(code)},
                lambda obj, request, code=code: self.value(obj, request, code),
                self.nullable,
                _InLanguage(label, code) if label else None,
            )


@dataclass(frozen=True)
class _InLanguage:
    """A label with a language's name, in the active language when printed."""

    label: Any
    code: str

    def __str__(self):
        return gettext("%(label)s (%(language)s)") % {
            "label": self.label,
            "language": language_name(self.code),
        }


def _translations(field, description):
    """The translations of the object's own `field`, beside its source column."""
    return InEachLanguage(
        field, description, lambda obj, q, lang: translated_value(obj, field, lang)
    )


class Columns:
    """A declarative list of columns (Column, InEachLanguage or Columns entries), expanded into
    Column objects each time it is iterated."""

    name = None

    def __init__(self, *entries):
        self.entries = entries

    def __iter__(self):
        for entry in self.entries:
            yield from entry.columns()

    def columns(self):
        return iter(self)

    def without(self, *names):
        """The same list without the entries of these names (a language entry by its base
        name: "title" drops title_es, title_vi, ...)."""
        return Columns(*(entry for entry in self.entries if entry.name not in names))


# The headings people read in the spreadsheets, by column name (a translation column gets its
# source column's heading and the language: "Title (Spanish)"). The CSV files and the API keep
# the names, which /data/ lists beside these.
HEADINGS = {
    "plan": _("Plan"),
    "code": _("Code"),
    "title": _("Title"),
    "topic": _("Topic"),
    "topic_slug": _("Topic identifier"),
    "topic_number": _("Topic number"),
    "leads": _("Lead parties"),
    "lead_slugs": _("Lead party identifiers"),
    "supports": _("Supporting parties"),
    "status": _("Status"),
    "status_slug": _("Status identifier"),
    "phase": _("Phase"),
    "progress": _("Progress (%)"),
    "start_date": _("Start date"),
    "start_date_precision": _("Start date precision"),
    "implemented_date": _("Implementation date"),
    "implemented_date_precision": _("Implementation date precision"),
    "estimated_completion": _("Target month"),
    "overdue": _("Overdue"),
    "latest_update_date": _("Latest update"),
    "latest_update_date_precision": _("Latest update precision"),
    "latest_update_note": _("Latest update note"),
    "latest_update_sources": _("Sources of the latest update"),
    "url": _("Web page"),
    "text": _("Official wording"),
    "details": _("Background"),
    "published": _("Published"),
    "as_of": _("As of"),
    "filters": _("Filters"),
    "total": _("Total"),
    "started": _("Started"),
    "started_percent": _("Started (%)"),
    "implemented": _("Implemented"),
    "implemented_percent": _("Implemented (%)"),
    "uncertain": _("Uncertain dates"),
}


def _status(attr):
    def value(rec, request):
        return getattr(rec.current_status, attr) if rec.current_status else None

    return value


def _party_names(role):
    def value(rec, request, language=None):
        parties = getattr(rec, role)
        if language is None:
            return [party.name for party in parties]
        return [translated_value(party, "name", language) for party in parties]

    return value


# One row per recommendation, in plan order then the plan's own order. The objects come from
# queries.recommendations(): with_progress, with_latest_note, the plan, the topic and the parties.
RECOMMENDATION_COLUMNS = Columns(
    Column(
        "plan",
        TEXT,
        _("The plan's identifier, as the plan filter takes it; codes are unique within a plan."),
        lambda r, q: r.plan.slug,
    ),
    Column(
        "code",
        TEXT,
        _("The recommendation's code in its plan, as the source numbers it (e.g. 12 or MH1)."),
        lambda r, q: r.code,
    ),
    Column("title", TEXT, _("A short title (ours, not the city's)."), lambda r, q: r.title),
    _translations("title", _("The short title in %(language)s; empty until it is translated.")),
    Column("topic", TEXT, _("The topic it belongs to."), lambda r, q: r.topic.name),
    InEachLanguage(
        "topic",
        _("The topic's name in %(language)s; empty until it is translated."),
        lambda r, q, lang: translated_value(r.topic, "name", lang),
    ),
    Column("topic_slug", TEXT, _("The topic's identifier in URLs."), lambda r, q: r.topic.slug),
    Column(
        "leads",
        TEXTS,
        _("The parties that lead it (departments, offices, partners), by name."),
        _party_names("leads"),
    ),
    InEachLanguage(
        "leads",
        _(
            "The lead parties' names in %(language)s, in the same order; a name is empty until "
            "it is translated."
        ),
        _party_names("leads"),
        kind=TEXTS,
    ),
    Column(
        "lead_slugs",
        TEXTS,
        _("The lead parties' identifiers, in the same order, as the lead filter takes them."),
        lambda r, q: [party.slug for party in r.leads],
    ),
    Column(
        "supports",
        TEXTS,
        _("The parties that support the leads, by name; empty if none."),
        _party_names("supports"),
    ),
    InEachLanguage(
        "supports",
        _(
            "The supporting parties' names in %(language)s, in the same order; a name is empty "
            "until it is translated."
        ),
        _party_names("supports"),
        kind=TEXTS,
    ),
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
    InEachLanguage(
        "status",
        _("The current status's name in %(language)s. Empty without a status or a translation."),
        lambda r, q, lang: (
            translated_value(r.current_status, "name", lang) if r.current_status else None
        ),
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
    *_known_date_columns(
        "start_date",
        "known_start",
        _("The first status record in progress or implemented. Empty if it has not started."),
    ),
    *_known_date_columns(
        "implemented_date",
        "known_implemented",
        _(
            "When it last became implemented. Empty if it is not implemented, also after a "
            "regression."
        ),
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
    *_known_date_columns(
        "latest_update_date",
        "known_last_update",
        _("The date of the latest status record. Empty if there is none."),
    ),
    Column(
        "latest_update_note",
        TEXT,
        _("The public note of the latest status record: what happened."),
        lambda r, q: r.latest_note,
    ),
    InEachLanguage(
        "latest_update_note",
        _("That note in %(language)s; empty until it is translated."),
        lambda r, q, lang: _stored(r.latest_note_translations, "note", lang),
    ),
    Column(
        "url",
        URL,
        _("The recommendation's public page."),
        lambda r, q: q.build_absolute_uri(r.get_absolute_url()),
    ),
)

# The API adds the full wording to each recommendation.
RECOMMENDATION_TEXT_COLUMNS = Columns(
    Column(
        "text", TEXT, _("The full recommendation, as the source words it."), lambda r, q: r.text
    ),
    _translations(
        "text", _("The full recommendation in %(language)s; empty until it is translated.")
    ),
    Column("details", TEXT, _("Background and context; may be empty."), lambda r, q: r.details),
    _translations("details", _("The background in %(language)s; empty until it is translated.")),
)

# The spreadsheet adds them too, and where the latest record is documented (the objects come
# from queries.recommendations(sources=True)).
SPREADSHEET_RECOMMENDATION_COLUMNS = Columns(
    RECOMMENDATION_COLUMNS,
    RECOMMENDATION_TEXT_COLUMNS,
    Column(
        "latest_update_sources",
        SOURCES,
        _("Where the latest status record is documented; empty if it names no source."),
        lambda r, q: r.latest_sources or [],
    ),
)


def name_for_heading(text):
    """The column name a spreadsheet's header cell stands for: the name itself, or a heading of
    the recommendations sheet in any configured language ("Título" gives "title"), case and
    spacing aside; other text comes back lower-cased, to be refused by the caller."""
    wanted = " ".join(str(text).split()).casefold()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for column in SPREADSHEET_RECOMMENDATION_COLUMNS:
                if wanted in (column.name, " ".join(column.heading.split()).casefold()):
                    return column.name
    return wanted


# The staff-only admin export also says whether each selected recommendation is public.
PUBLISHED_COLUMN = Column(
    "published", YES_NO, _("Shown on the public site."), lambda r, q: r.is_published
)

# One row per status record, of StatusUpdate.objects.select_related("status") (and, for the
# updates file, "recommendation__plan").
HISTORY_COLUMNS = Columns(
    *_known_date_columns(
        "effective_date",
        "known_date",
        _("When the recommendation reached this status, as precisely as it is known."),
        precision_name="date_precision",
    ),
    Column("status", TEXT, _("The status reached."), lambda u, q: u.status.name),
    InEachLanguage(
        "status",
        _("Its name in %(language)s; empty until it is translated."),
        lambda u, q, lang: translated_value(u.status, "name", lang),
    ),
    Column("status_slug", TEXT, _("The status's identifier."), lambda u, q: u.status.slug),
    Column("phase", TEXT, _("The status's phase."), lambda u, q: u.status.phase),
    Column("progress", PERCENT, _("Percent complete at that point."), lambda u, q: u.progress),
    Column("note", TEXT, _("Public text: what happened."), lambda u, q: u.note),
    _translations("note", _("The note in %(language)s; empty until it is translated.")),
    Column(
        "sources",
        SOURCES,
        _("Where the record is documented (a council item, a policy, a report); may be empty."),
        lambda u, q: u.sources,
    ),
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
    Column(
        "correction_reason",
        TEXT,
        _("Why it was corrected; empty if it never was."),
        lambda u, q: u.correction_reason,
    ),
    _translations(
        "correction_reason", _("The reason in %(language)s; empty until it is translated.")
    ),
)

UPDATE_COLUMNS = Columns(
    Column(
        "plan",
        TEXT,
        _("The recommendation's plan (its identifier)."),
        lambda u, q: u.recommendation.plan.slug,
    ),
    Column(
        "recommendation_code",
        TEXT,
        _("The recommendation's code in its plan."),
        lambda u, q: u.recommendation.code,
    ),
    Column(
        "recommendation_title",
        TEXT,
        _("The recommendation's short title."),
        lambda u, q: u.recommendation.title,
    ),
    InEachLanguage(
        "recommendation_title",
        _("The short title in %(language)s; empty until it is translated."),
        lambda u, q, lang: translated_value(u.recommendation, "title", lang),
    ),
    HISTORY_COLUMNS,
)

# One row for all recommendations in scope, then (with several plans) one per plan, and one
# per topic of the plans in scope; the objects are SummaryRow.
SUMMARY_COLUMNS = Columns(
    Column("as_of", DATE, _("The counts stand as at the end of this day."), lambda s, q: s.as_of),
    Column(
        "filters",
        TEXT,
        _(
            "The filters the counts are limited to, as the address gives them "
            "(topic=youth-outreach); empty without filters."
        ),
        lambda s, q: describe_filters(s.filters or {}),
    ),
    Column(
        "plan",
        TEXT,
        _(
            "The plan's identifier; empty on the row for all recommendations when the scope "
            "covers several plans."
        ),
        lambda s, q: s.plan.slug if s.plan else None,
        nullable=True,
    ),
    Column(
        "topic_number",
        INTEGER,
        _("The topic's number in its plan; empty on the rows for all topics."),
        lambda s, q: s.topic.number if s.topic else None,
        nullable=True,
    ),
    Column(
        "topic_slug",
        TEXT,
        _("The topic's identifier; empty on the rows for all topics."),
        lambda s, q: s.topic.slug if s.topic else None,
        nullable=True,
    ),
    Column(
        "topic",
        TEXT,
        _(
            'The topic\'s name; on the rows for all topics, "All topics", or "Filtered:" and '
            "the filters when the file is filtered."
        ),
        lambda s, q: s.topic.name if s.topic else _overall_label(s, default_language()),
    ),
    InEachLanguage(
        "topic",
        _(
            "The topic's name in %(language)s (empty until it is translated), or the label "
            "of the rows for all topics in that language."
        ),
        lambda s, q, lang: (
            translated_value(s.topic, "name", lang) if s.topic else _overall_label(s, lang)
        ),
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
    Column(
        "uncertain",
        INTEGER,
        _(
            "Of the total, how many have a status record whose date is known only to the month "
            "or only as on or before a date, and could fall on either side of the as-of day. "
            "They are counted by the record's stored date."
        ),
        lambda s, q: s.progress.uncertain,
    ),
)

PLAN_COLUMNS = Columns(
    Column(
        "slug",
        TEXT,
        _("The plan's identifier, as the plan filter takes it."),
        lambda p, q: p.slug,
    ),
    Column("name", TEXT, _("The plan's full name."), lambda p, q: p.name),
    _translations("name", _("The name in %(language)s; empty until it is translated.")),
    Column("short_name", TEXT, _("A few words for menus and tables."), lambda p, q: p.short_name),
    _translations("short_name", _("The short name in %(language)s; empty until it is translated.")),
    Column(
        "issued_by",
        TEXT,
        _("The body that issued it; may be empty."),
        lambda p, q: p.issued_by,
    ),
    _translations("issued_by", _("The issuer in %(language)s; empty until it is translated.")),
    Column(
        "received",
        PARTIAL_DATE,
        _("When the city received it, only as precisely as it is known; empty if not known."),
        lambda p, q: iso_date(p.received_on, p.received_precision) if p.received_on else None,
        nullable=True,
    ),
    Column(
        "goal",
        PARTIAL_DATE,
        _("A goal date the source sets for the whole plan, at its precision; empty if none."),
        lambda p, q: iso_date(p.goal_on, p.goal_precision) if p.goal_on else None,
        nullable=True,
    ),
    Column(
        "source_url",
        URL,
        _("The source document; empty if none is linked."),
        lambda p, q: p.source_url or None,
        nullable=True,
    ),
    Column("description", TEXT, _("What the plan is; may be empty."), lambda p, q: p.description),
    _translations(
        "description", _("The description in %(language)s; empty until it is translated.")
    ),
    Column(
        "order",
        INTEGER,
        _("Plans are listed in this order; the first is the main one."),
        lambda p, q: p.order,
    ),
    Column(
        "url",
        URL,
        _("The plan's public page."),
        lambda p, q: q.build_absolute_uri(p.get_absolute_url()),
    ),
)

# Of Topic.objects.select_related("plan").
TOPIC_COLUMNS = Columns(
    Column("plan", TEXT, _("The identifier of the plan it belongs to."), lambda t, q: t.plan.slug),
    Column(
        "number",
        INTEGER,
        _("The topic's number in its plan; topics are listed in this order."),
        lambda t, q: t.number,
    ),
    Column(
        "slug",
        TEXT,
        _("The topic's identifier, as the topic filter takes it."),
        lambda t, q: t.slug,
    ),
    Column("name", TEXT, _("The topic's name."), lambda t, q: t.name),
    _translations("name", _("The name in %(language)s; empty until it is translated.")),
    Column(
        "description", TEXT, _("What the topic covers; may be empty."), lambda t, q: t.description
    ),
    _translations(
        "description", _("The description in %(language)s; empty until it is translated.")
    ),
)

STATUS_COLUMNS = Columns(
    Column(
        "slug",
        TEXT,
        _("The status's identifier, as the status filter takes it."),
        lambda s, q: s.slug,
    ),
    Column("name", TEXT, _("The status's name."), lambda s, q: s.name),
    _translations("name", _("The name in %(language)s; empty until it is translated.")),
    Column("order", INTEGER, _("Its position on the scale, first to last."), lambda s, q: s.order),
    Column(
        "phase",
        TEXT,
        _("not-started, in-progress or implemented: how the counts treat it."),
        lambda s, q: s.phase,
    ),
    Column("definition", TEXT, _("What the status means."), lambda s, q: s.definition),
    _translations("definition", _("The definition in %(language)s; empty until it is translated.")),
    Column(
        "default_progress",
        PERCENT,
        _("The progress a new record at this status gets unless the editor sets one."),
        lambda s, q: s.default_progress,
    ),
    Column(
        "min_progress",
        PERCENT,
        _("The lowest progress a record at this status may give."),
        lambda s, q: s.min_progress,
    ),
    Column(
        "max_progress",
        PERCENT,
        _("The highest progress a record at this status may give (implemented: 100)."),
        lambda s, q: s.max_progress,
    ),
)

# Of queries.milestones(): the plan, and the published recommendations with their plans.
MILESTONE_COLUMNS = Columns(
    Column(
        "date",
        PARTIAL_DATE,
        _("When it happened, only as precisely as it is known."),
        lambda m, q: m.iso_date,
    ),
    Column("date_precision", TEXT, _("day, month or year."), lambda m, q: m.date_precision),
    Column(
        "plan",
        TEXT,
        _("The identifier of the plan it belongs to; empty for an event of no one plan."),
        lambda m, q: m.plan.slug if m.plan else None,
        nullable=True,
    ),
    Column(
        "display_date",
        TEXT,
        _('The date as the site\'s first-language pages print it, e.g. "September 2025".'),
        lambda m, q: _display_date(m, default_language()),
    ),
    InEachLanguage(
        "display_date",
        _("The date as the %(language)s pages print it."),
        lambda m, q, lang: _display_date(m, lang),
    ),
    Column("title", TEXT, _("What happened."), lambda m, q: m.title),
    _translations("title", _("The title in %(language)s; empty until it is translated.")),
    Column("description", TEXT, _("More detail; may be empty."), lambda m, q: m.description),
    _translations(
        "description", _("The description in %(language)s; empty until it is translated.")
    ),
    Column(
        "sources",
        SOURCES,
        _("Where it is reported; may be empty."),
        lambda m, q: m.sources,
    ),
    Column(
        "recommendations",
        RECOMMENDATION_REFS,
        _("The published recommendations it relates to."),
        lambda m, q: [{"plan": r.plan.slug, "code": r.code} for r in m.recommendations.all()],
    ),
)


@dataclass(frozen=True)
class SummaryRow:
    as_of: Any
    plan: Any  # a Plan, or None on the row for several plans
    topic: Any  # a Topic, or None for all topics
    progress: Any  # a recommendations.models.Progress
    filters: Any = None  # {name: value} the counts are limited to (ExportParams.filters)


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
