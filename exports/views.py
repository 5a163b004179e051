"""Downloads for council staff and the /data/ field dictionary (the report: report.py)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from core.translations import default_language, other_languages, translation
from plans.models import City, Party, Plan
from recommendations.models import Phase, Recommendation, Status, Topic
from recommendations.trajectory import monthly_progress

from . import columns, queries, writers
from .columns import language_name
from .params import (
    DEFAULT_PAGE_SIZE,
    FILTER_NAMES,
    MAX_PAGE_SIZE,
    InvalidParameters,
    read_params,
)


class ParamsMixin:
    """Reads the shared parameters into self.params before any handler runs; bad ones get a
    400 that names each problem."""

    params_options = {}

    def dispatch(self, request, *args, **kwargs):
        try:
            self.params = read_params(request.GET, **self.params_options)
        except InvalidParameters as error:
            return self.invalid_parameters(error.errors)
        return super().dispatch(request, *args, **kwargs)

    def invalid_parameters(self, errors):
        return render(
            self.request, "exports/invalid_parameters.html", {"errors": errors}, status=400
        )

    def filename(self, stem, extension, city=None):
        params = self.params
        return writers.filename(
            stem, params.as_of, extension, plan=params.plan, city=city, filters=params.filters
        )


class RecommendationsCsv(ParamsMixin, View):
    def get(self, request):
        recs = queries.recommendations(self.params)
        return writers.csv_response(
            columns.RECOMMENDATION_COLUMNS, recs, request, self.filename("recommendations", "csv")
        )


class UpdatesCsv(ParamsMixin, View):
    def get(self, request):
        updates = queries.status_updates(self.params)
        return writers.csv_response(
            columns.UPDATE_COLUMNS, updates, request, self.filename("status-updates", "csv")
        )


class SummaryCsv(ParamsMixin, View):
    def get(self, request):
        rows = queries.summary(self.params).rows()
        return writers.csv_response(
            columns.SUMMARY_COLUMNS, rows, request, self.filename("summary", "csv"), stream=False
        )


# The overview's figures: each a Progress (counts) or MonthPoint (months) attribute, headed as
# the summary's column of that name.
OVERVIEW_COUNTS = [
    "total",
    "started",
    "started_percent",
    "implemented",
    "implemented_percent",
    "uncertain",
]
OVERVIEW_MONTHS = ["total", "started", "implemented", "uncertain"]


class RecommendationsXlsx(ParamsMixin, View):
    """The spreadsheet council staff read and print: an overview first (the plans, the as-of
    date, the filters, the counts and the progress over time), then the recommendations with
    their official wording and sources, the summary by topic and the notes; headings in the
    file's language (the address's: /es/ gives Spanish)."""

    def get(self, request):
        params, city = self.params, City.current()
        summary = queries.summary(params)
        workbook = writers.new_workbook()
        writers.add_cover_sheet(workbook, gettext("Overview"), **self.overview(city, summary))
        writers.add_table_sheet(
            workbook,
            gettext("Recommendations"),
            columns.SPREADSHEET_RECOMMENDATION_COLUMNS,
            queries.recommendations(params, sources=True),
            request,
            longest=queries.longest_titles(params),
        )
        writers.add_table_sheet(
            workbook, gettext("Summary by topic"), columns.SUMMARY_COLUMNS, summary.rows(), request
        )
        writers.add_notes_sheet(workbook, gettext("Notes"), self.notes(city))
        return writers.xlsx_response(workbook, self.filename("recommendations", "xlsx", city))

    def title(self, city):
        return gettext("%(name)s: progress report") % {
            "name": translation(city, "partnership_name").text
        }

    def filters(self):
        filters = columns.describe_filters(self.params.filters)
        return filters or gettext("None: every published recommendation.")

    def overview(self, city, summary):
        params, heading = self.params, columns.HEADINGS
        plans = [row.plan for row in summary.plans]
        # The chart's figures: from the earliest date of receipt among the plans in scope.
        series = monthly_progress(
            recommendations=params.counted(),
            start=min(filter(None, (plan.received_on for plan in plans)), default=None),
            today=params.as_of,
        )
        count_rows = [(columns.overall_label(summary.overall), summary.overall)]
        if len(summary.plans) > 1:
            count_rows += [(translation(row.plan, "name").text, row) for row in summary.plans]
        counts = (
            gettext("Counts"),
            ["", *(str(heading[name]) for name in OVERVIEW_COUNTS)],
            [
                (label, *(getattr(row.progress, name) for name in OVERVIEW_COUNTS))
                for label, row in count_rows
            ],
        )
        months = (
            gettext("Progress over time"),
            [gettext("Month end"), *(str(heading[name]) for name in OVERVIEW_MONTHS)],
            [(point.day, *(getattr(point, name) for name in OVERVIEW_MONTHS)) for point in series],
        )
        return {
            "heading": self.title(city),
            "facts": [
                (
                    gettext("Plans") if len(plans) > 1 else gettext("Plan"),
                    "; ".join(translation(plan, "name").text for plan in plans),
                ),
                (gettext("As of"), params.as_of),
                ("", gettext("The state at the end of the as-of day.")),
                (gettext("Filters"), self.filters()),
                (gettext("Generated at"), timezone.localtime()),
            ],
            "tables": [counts, months],
        }

    def notes(self, city):
        params, absolute = self.params, self.request.build_absolute_uri
        return [
            (gettext("Title"), self.title(city)),
            (gettext("Generated at"), timezone.localtime()),
            (gettext("As of"), params.as_of),
            ("", gettext("The state at the end of the as-of day.")),
            (gettext("Filters"), self.filters()),
            *((gettext("How counts are computed"), str(rule)) for rule in columns.COUNTING_RULES),
            (gettext("Field dictionary"), absolute(reverse("exports:data"))),
            (gettext("This file"), absolute(f"{self.request.path}?{params.query_string()}")),
        ]


class DataDictionaryView(TemplateView):
    """/data/: every export and API resource, field by field, and the values the filters take."""

    template_name = "exports/data.html"

    def get_context_data(self, **kwargs):
        downloads = [
            {
                "title": _("Recommendations"),
                "urls": [reverse("exports:recommendations-csv")],
                "description": _(
                    "One row per published recommendation, as of the chosen date, in plan order "
                    "and then each plan's own order."
                ),
                "columns": columns.RECOMMENDATION_COLUMNS,
            },
            {
                "title": _("Spreadsheet"),
                "urls": [reverse("exports:recommendations-xlsx")],
                "description": _(
                    "A workbook to read and print. An overview first: the plans, the as-of "
                    "date, the filters, the counts and the progress over time month by month "
                    "(the chart's figures). Then the recommendations: the columns of "
                    "recommendations.csv, the official wording, the background and the sources "
                    "of the latest update, headed in words in the language of the address. Then "
                    "the summary by plan and topic (the summary.csv columns) and notes on how "
                    "the counts are computed."
                ),
                "columns": columns.SPREADSHEET_RECOMMENDATION_COLUMNS,
                "headings": True,
            },
            {
                "title": _("Status updates"),
                "urls": [reverse("exports:updates-csv")],
                "description": _(
                    "Every status record of the published recommendations effective "
                    "on or before the as-of date: the full history, oldest first."
                ),
                "columns": columns.UPDATE_COLUMNS,
            },
            {
                "title": _("Summary"),
                "urls": [reverse("exports:summary-csv")],
                "description": _(
                    "The counts for all recommendations in scope; then, when the scope covers "
                    "several plans, a row for each plan followed by its topics; with one plan, "
                    "its topics. A filtered file says so: in its first row (“Filtered:” and "
                    "the filters instead of “All topics”), in the filters column of every row "
                    "and in its name (okc-summary-topic-youth-outreach-2025-10-01.csv)."
                ),
                "columns": columns.SUMMARY_COLUMNS,
            },
        ]
        published = Recommendation.objects.published()
        return super().get_context_data(
            downloads=downloads,
            api_resources=API_RESOURCES,
            filter_names=FILTER_NAMES,
            source_language=language_name(default_language()),
            other_languages=[(code, language_name(code)) for code, _name in other_languages()],
            plans=Plan.objects.published(),
            topics=Topic.objects.filter(plan__is_published=True).select_related("plan"),
            statuses=Status.objects.all(),
            phases=Phase.choices,
            leads=Party.objects.leading(published),
            counting_rules=columns.COUNTING_RULES,
            page_size=DEFAULT_PAGE_SIZE,
            max_page_size=MAX_PAGE_SIZE,
            **kwargs,
        )


# The API's resources as /data/ describes them (the OpenAPI document says the same).
API_RESOURCES = [
    {
        "title": _("Plan"),
        "description": _("In /api/v1/plans: each published plan, in order."),
        "columns": columns.PLAN_COLUMNS,
    },
    {
        "title": _("Recommendation"),
        "description": _(
            "In /api/v1/recommendations (in pages) and "
            "/api/v1/plans/{plan}/recommendations/{code}: the recommendation columns above "
            "(the parties as lists), its full text and details, and its history."
        ),
        "columns": columns.Columns(
            columns.RECOMMENDATION_COLUMNS, columns.RECOMMENDATION_TEXT_COLUMNS
        ),
    },
    {
        "title": _("History entry"),
        "description": _(
            "Each item of a recommendation's history: a status record effective on "
            "or before the as-of date, newest first."
        ),
        "columns": columns.HISTORY_COLUMNS,
    },
    {
        "title": _("Topic"),
        "description": _("In /api/v1/topics."),
        "columns": columns.TOPIC_COLUMNS,
    },
    {
        "title": _("Status"),
        "description": _("In /api/v1/statuses: the city's status scale."),
        "columns": columns.STATUS_COLUMNS,
    },
    {
        "title": _("Milestone"),
        "description": _("In /api/v1/milestones (in pages): the partnership timeline."),
        "columns": columns.MILESTONE_COLUMNS,
    },
    {
        "title": _("Summary row"),
        "description": _(
            "In /api/v1/summary: overall, then one per plan and one per topic "
            "(summary.csv's columns; the filters are given once, beside as_of)."
        ),
        "columns": columns.SUMMARY_COLUMNS.without("as_of", "filters"),
    },
]
