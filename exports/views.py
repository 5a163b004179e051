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

from . import columns, queries, writers
from .columns import language_name
from .params import FILTER_NAMES, InvalidParameters, read_params


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
        return writers.filename(
            stem, self.params.as_of, extension, plan=self.params.plan, city=city
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
            columns.SUMMARY_COLUMNS, rows, request, self.filename("summary", "csv")
        )


class RecommendationsXlsx(ParamsMixin, View):
    def get(self, request):
        params, city = self.params, City.current()
        workbook = writers.new_workbook()
        writers.add_table_sheet(
            workbook,
            gettext("Recommendations"),
            columns.RECOMMENDATION_COLUMNS,
            queries.recommendations(params),
            request,
        )
        writers.add_table_sheet(
            workbook,
            gettext("Summary by topic"),
            columns.SUMMARY_COLUMNS,
            queries.summary(params).rows(),
            request,
        )
        writers.add_notes_sheet(workbook, gettext("Notes"), self.notes(city))
        return writers.xlsx_response(workbook, self.filename("recommendations", "xlsx", city))

    def notes(self, city):
        params, absolute = self.params, self.request.build_absolute_uri
        filters = " ".join(f"{name}={value}" for name, value in params.filters.items())
        title = gettext("%(name)s: progress report") % {
            "name": translation(city, "partnership_name").text
        }
        return [
            (gettext("Title"), title),
            (gettext("Generated at"), timezone.localtime()),
            (gettext("As of"), params.as_of),
            ("", gettext("The state at the end of the as-of day.")),
            (gettext("Filters"), filters or gettext("None: every published recommendation.")),
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
                "urls": [
                    reverse("exports:recommendations-csv"),
                    reverse("exports:recommendations-xlsx"),
                ],
                "description": _(
                    "One row per published recommendation, as of the chosen date, in plan order "
                    "and then each plan's own order. The XLSX file adds a summary by plan and "
                    "topic (the summary.csv columns) and a notes sheet: when it was generated, "
                    "the as-of date, the filters and how counts are computed."
                ),
                "columns": columns.RECOMMENDATION_COLUMNS,
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
                    "its topics."
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
            "In /api/v1/recommendations and /api/v1/plans/{plan}/recommendations/{code}: the "
            "recommendation columns above (the parties as lists), its full text and details, "
            "and its history."
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
        "description": _("In /api/v1/milestones: the partnership timeline."),
        "columns": columns.MILESTONE_COLUMNS,
    },
    {
        "title": _("Summary row"),
        "description": _(
            "In /api/v1/summary: overall, then one per plan and one per topic "
            "(summary.csv's columns)."
        ),
        "columns": columns.SUMMARY_COLUMNS.without("as_of"),
    },
]
