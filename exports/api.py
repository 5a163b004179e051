"""The read-only open-data API under /api/v1/, described by openapi.py.

Every response is JSON, errors included ({"errors": {parameter: [messages]}}), and every
object is built from the column definitions the CSV files use.
"""

import json
from functools import partial

from django.conf import settings
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Subquery
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.views.generic import View

from plans.models import Plan
from recommendations.models import Recommendation, Status

from . import columns, queries
from .openapi import document
from .params import InvalidParameters
from .views import ParamsMixin

SUMMARY_ROW_COLUMNS = columns.SUMMARY_COLUMNS.without("as_of", "filters")


def api_response(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Open data, no credentials involved: any web page may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def not_found(name, message):
    return api_response({"errors": {name: [message]}}, status=404)


def as_json(column_list, obj, request):
    return {column.name: column.json(obj, request) for column in column_list}


def recommendation_json(rec, request):
    return {
        **as_json(columns.RECOMMENDATION_COLUMNS, rec, request),
        **as_json(columns.RECOMMENDATION_TEXT_COLUMNS, rec, request),
        "history": [as_json(columns.HISTORY_COLUMNS, u, request) for u in rec.status_history],
    }


class ApiView(ParamsMixin, View):
    http_method_names = ["get", "head", "options"]
    params_options = {"as_of": False, "filters": False}

    def invalid_parameters(self, errors):
        return api_response({"errors": errors}, status=400)

    def get(self, request, **kwargs):
        return api_response(self.get_data(**kwargs))


class IndexApi(ApiView):
    def get_data(self):
        absolute = self.request.build_absolute_uri
        names = [
            "plans",
            "recommendations",
            "topics",
            "statuses",
            "milestones",
            "summary",
            "openapi",
        ]
        return {
            "documentation": absolute(reverse("exports:data")),
            **{name: absolute(reverse(f"exports:api-{name}")) for name in names},
        }


class PlanListApi(ApiView):
    def get_data(self):
        plans = Plan.objects.published()
        results = [as_json(columns.PLAN_COLUMNS, plan, self.request) for plan in plans]
        return {"count": len(results), "results": results}


class PagedApiView(ApiView):
    """A list that can grow, in pages: `count` (of the whole list), `next` and `previous` (the
    addresses of the neighbouring pages, every other parameter kept; null at either end) and
    `results`. `page` counts from 1; `page_size` is at most params.MAX_PAGE_SIZE."""

    def get(self, request, **kwargs):
        try:
            return api_response(self.get_data(**kwargs))
        except InvalidParameters as error:
            return self.invalid_parameters(error.errors)

    def paged(self, queryset, to_json):
        params = self.params
        paginator = Paginator(queryset, params.page_size)
        if params.page > paginator.num_pages:
            message = ngettext(
                "This list has %(pages)d page of %(size)d items: ask for page 1.",
                "This list has %(pages)d pages of %(size)d items: ask for page 1 to %(pages)d.",
                paginator.num_pages,
            ) % {"pages": paginator.num_pages, "size": params.page_size}
            raise InvalidParameters({"page": [message]})
        page = paginator.page(params.page)
        return {
            "count": paginator.count,
            "next": self.page_url(page.next_page_number()) if page.has_next() else None,
            "previous": (
                self.page_url(page.previous_page_number()) if page.has_previous() else None
            ),
            "results": [to_json(item, self.request) for item in page],
        }

    def page_url(self, number):
        query = self.request.GET.copy()
        query["page"] = number
        return self.request.build_absolute_uri(f"{self.request.path}?{query.urlencode()}")


class RecommendationListApi(PagedApiView):
    params_options = {"paging": True}

    def get_data(self):
        recs = queries.recommendations(self.params, history=True)
        return {"as_of": self.params.as_of.isoformat(), **self.paged(recs, recommendation_json)}


class RecommendationDetailApi(ApiView):
    params_options = {"filters": False}

    def get(self, request, plan, code):
        recs = queries.recommendations(self.params, history=True)
        rec = next(iter(recs.filter(plan__slug=plan, code=code)), None)
        if rec is not None:
            result = recommendation_json(rec, request)
            return api_response({"as_of": self.params.as_of.isoformat(), "result": result})
        if not Plan.objects.published().filter(slug=plan).exists():
            return not_found("plan", gettext("No published plan has this identifier."))
        return not_found("code", gettext("No published recommendation of this plan has this code."))


class MainPlanRecommendationApi(View):
    """/api/v1/recommendations/<code>, from before there were several plans: permanently to
    that code's recommendation in the first published plan, its query string kept."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, code):
        first_plan = Plan.objects.published().order_by("order", "pk").values("pk")[:1]
        rec = (
            Recommendation.objects.published()
            .filter(plan=Subquery(first_plan), code=code)
            .select_related("plan")
            .only("code", "plan__slug")
            .first()
        )
        if rec is None:
            return not_found(
                "code", gettext("No published recommendation of the first plan has this code.")
            )
        url = reverse("exports:api-recommendation", args=[rec.plan.slug, rec.code])
        query = request.META.get("QUERY_STRING", "")
        response = HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
        response["Access-Control-Allow-Origin"] = "*"
        return response


class NotFoundApi(View):
    """Any other address under /api/v1/ (a malformed plan or code among them): a JSON 404."""

    def dispatch(self, request, *args, **kwargs):
        return not_found(
            "path", gettext("The API has nothing at this address; /api/v1/ lists what it has.")
        )


class TopicListApi(ApiView):
    params_options = {"as_of": False, "filters": ["plan"]}

    def get_data(self):
        topics = queries.topics(self.params)
        results = [as_json(columns.TOPIC_COLUMNS, t, self.request) for t in topics]
        return {"count": len(results), "results": results}


class StatusListApi(ApiView):
    def get_data(self):
        results = [as_json(columns.STATUS_COLUMNS, s, self.request) for s in Status.objects.all()]
        return {"count": len(results), "results": results}


class MilestoneListApi(PagedApiView):
    params_options = {"as_of": False, "filters": ["plan"], "paging": True}

    def get_data(self):
        milestones = queries.milestones(self.params)
        return self.paged(milestones, partial(as_json, columns.MILESTONE_COLUMNS))


class SummaryApi(ApiView):
    params_options = {}

    def get_data(self):
        summary = queries.summary(self.params)

        def rows(summary_rows):
            return [as_json(SUMMARY_ROW_COLUMNS, row, self.request) for row in summary_rows]

        return {
            "as_of": self.params.as_of.isoformat(),
            # What the counts cover: {} for every published recommendation.
            "filters": self.params.filters,
            "overall": as_json(SUMMARY_ROW_COLUMNS, summary.overall, self.request),
            "plans": rows(summary.plans),
            "topics": rows(summary.topics),
        }


class OpenApiDocument(ApiView):
    def get_data(self):
        # The document is written in English, at /es/api/v1/ too.
        with translation.override(settings.LANGUAGE_CODE):
            return json.loads(json.dumps(document(), cls=DjangoJSONEncoder))
