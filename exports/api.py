"""The read-only open-data API under /api/v1/, described by openapi.py.

Every response is JSON, errors included ({"errors": {parameter: [messages]}}), and every
object is built from the column definitions the CSV files use.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.generic import View

from recommendations.models import Status, Topic

from . import columns, queries
from .openapi import document
from .views import ParamsMixin

# Recommendation.number is a PositiveSmallIntegerField: anything larger cannot exist.
MAX_NUMBER = 32767
SUMMARY_ROW_COLUMNS = [c for c in columns.SUMMARY_COLUMNS if c.name != "as_of"]


def api_response(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Open data, no credentials involved: any web page may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


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
        names = ["recommendations", "topics", "statuses", "milestones", "summary", "openapi"]
        return {
            "documentation": absolute(reverse("exports:data")),
            **{name: absolute(reverse(f"exports:api-{name}")) for name in names},
        }


class RecommendationListApi(ApiView):
    params_options = {}

    def get_data(self):
        recs = queries.recommendations(self.params, history=True)
        results = [recommendation_json(rec, self.request) for rec in recs]
        return {"as_of": self.params.as_of.isoformat(), "count": len(results), "results": results}


class RecommendationDetailApi(ApiView):
    params_options = {"filters": False}

    def get(self, request, number):
        # The number comes in as text so that any malformed one gets this JSON 404 too.
        if number.isascii() and number.isdigit() and int(number) <= MAX_NUMBER:
            recs = queries.recommendations(self.params, history=True).filter(number=int(number))
            rec = next(iter(recs), None)
            if rec is not None:
                result = recommendation_json(rec, request)
                return api_response({"as_of": self.params.as_of.isoformat(), "result": result})
        return api_response(
            {"errors": {"number": [gettext("No published recommendation has this number.")]}},
            status=404,
        )


class TopicListApi(ApiView):
    def get_data(self):
        results = [as_json(columns.TOPIC_COLUMNS, t, self.request) for t in Topic.objects.all()]
        return {"count": len(results), "results": results}


class StatusListApi(ApiView):
    def get_data(self):
        results = [as_json(columns.STATUS_COLUMNS, s, self.request) for s in Status.objects.all()]
        return {"count": len(results), "results": results}


class MilestoneListApi(ApiView):
    def get_data(self):
        results = [
            as_json(columns.MILESTONE_COLUMNS, m, self.request) for m in queries.milestones()
        ]
        return {"count": len(results), "results": results}


class SummaryApi(ApiView):
    params_options = {}

    def get_data(self):
        overall, *topics = queries.summary(self.params)
        return {
            "as_of": self.params.as_of.isoformat(),
            "overall": as_json(SUMMARY_ROW_COLUMNS, overall, self.request),
            "topics": [as_json(SUMMARY_ROW_COLUMNS, row, self.request) for row in topics],
        }


class OpenApiDocument(ApiView):
    def get_data(self):
        # The document is written in English, at /es/api/v1/ too.
        with translation.override(settings.LANGUAGE_CODE):
            return json.loads(json.dumps(document(), cls=DjangoJSONEncoder))
