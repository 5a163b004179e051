"""The OpenAPI 3.1 document of /api/v1/, written by hand; object properties come from the
column definitions, so the document cannot drift from what the API sends."""

from django.utils.text import format_lazy

from plans.models import City
from recommendations.converters import CodeConverter
from recommendations.filters import RecommendationFilter

from . import columns
from .params import DATE_FORMAT_HELP, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


def _object(column_list, **extra_properties):
    properties = {c.name: c.json_schema() for c in column_list} | extra_properties
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _list_of(name, *, as_of=False, paged=False):
    properties = {"count": {"type": "integer", "minimum": 0}}
    if paged:
        properties |= {
            "next": {
                "type": ["string", "null"],
                "format": "uri",
                "description": "The next page, every other parameter kept; null on the last.",
            },
            "previous": {
                "type": ["string", "null"],
                "format": "uri",
                "description": "The previous page; null on the first.",
            },
        }
    properties["results"] = {"type": "array", "items": _ref(name)}
    if as_of:
        properties = {"as_of": AS_OF_SCHEMA} | properties
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


# The phase filter's values, read from the filter itself.
PHASES = [value for value, _ in RecommendationFilter.base_filters["phase"].extra["choices"]]

AS_OF_SCHEMA = {
    "type": "string",
    "format": "date",
    "description": "The figures stand as at the end of this day.",
}

PARAMETERS = {
    "as_of": {
        "name": "as_of",
        "in": "query",
        "required": False,
        "description": format_lazy(
            "{} {}",
            "The state at the end of this day (YYYY-MM-DD); default today. A future date is "
            "refused.",
            DATE_FORMAT_HELP,
        ),
        "schema": {"type": "string", "format": "date"},
    },
    "plan": {
        "name": "plan",
        "in": "query",
        "required": False,
        "description": "A plan's identifier (slug), from /api/v1/plans. Without it: every "
        "published plan.",
        "schema": {"type": "string"},
    },
    "q": {
        "name": "q",
        "in": "query",
        "required": False,
        "description": "Words that must all appear (whole words, stemmed, ignoring case and "
        "accents) in the code, title, text, details, topic, parties or status notes, in the "
        "language of the address (/es/... for Spanish); best matches first.",
        "schema": {"type": "string"},
    },
    "topic": {
        "name": "topic",
        "in": "query",
        "required": False,
        "description": "A topic slug, from /api/v1/topics.",
        "schema": {"type": "string"},
    },
    "status": {
        "name": "status",
        "in": "query",
        "required": False,
        "description": "A status slug, from /api/v1/statuses: the current status.",
        "schema": {"type": "string"},
    },
    "phase": {
        "name": "phase",
        "in": "query",
        "required": False,
        "description": "The current phase; started means in progress or implemented.",
        "schema": {"type": "string", "enum": PHASES},
    },
    "lead": {
        "name": "lead",
        "in": "query",
        "required": False,
        "description": "A lead party's identifier (slug), as lead_slugs gives it: the "
        "recommendations it leads.",
        "schema": {"type": "string"},
    },
}
PAGING_PARAMETERS = {
    "page": {
        "name": "page",
        "in": "query",
        "required": False,
        "description": "Which page, from 1 (the default); past the last page: 400. The `next` "
        "and `previous` links give the neighbouring pages.",
        "schema": {"type": "integer", "minimum": 1},
    },
    "page_size": {
        "name": "page_size",
        "in": "query",
        "required": False,
        "description": f"Items per page: {DEFAULT_PAGE_SIZE} unless given, at most "
        f"{MAX_PAGE_SIZE}.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    },
}
FILTERS = [{"$ref": f"#/components/parameters/{name}"} for name in PARAMETERS if name != "as_of"]
PAGING = [{"$ref": f"#/components/parameters/{name}"} for name in PAGING_PARAMETERS]
AS_OF = [{"$ref": "#/components/parameters/as_of"}]
PLAN = [{"$ref": "#/components/parameters/plan"}]
CODE = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "The recommendation's code in its plan, e.g. 12 or MH1.",
    "schema": {"type": "string", "pattern": f"^{CodeConverter.regex}$"},
}


def _json(schema_name, description):
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref(schema_name)}},
    }


def _operation(summary, schema_name, *, parameters=(), not_found=False):
    responses = {"200": _json(schema_name, "OK")}
    if any(parameter.get("in") != "path" for parameter in parameters):
        responses["400"] = _json("Errors", "A parameter is unknown, repeated or invalid.")
    else:
        responses["400"] = _json("Errors", "This address takes no parameters.")
    if not_found:
        responses["404"] = _json(
            "Errors", "No published plan has this identifier, or no recommendation this code."
        )
    return {"get": {"summary": summary, "parameters": list(parameters), "responses": responses}}


def _moved(summary, parameters):
    """A deprecated address that redirects, permanently."""
    return {
        "get": {
            "summary": summary,
            "deprecated": True,
            "parameters": parameters,
            "responses": {
                "301": {
                    "description": "Moved permanently: the Location header gives the address.",
                    "headers": {
                        "Location": {"schema": {"type": "string"}, "required": True},
                    },
                },
                "404": _json(
                    "Errors", "No published recommendation of the first plan has this code."
                ),
            },
        }
    }


def document():
    city = City.current()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{city.partnership_name}: open data",
            "version": "1.0.0",
            "description": "Read-only open data; no key needed. How the figures are computed: "
            + " ".join(map(str, columns.COUNTING_RULES))
            + " Field dictionary: /data/.",
        },
        "paths": {
            "/api/v1/": _operation("Links to every resource", "Index"),
            "/api/v1/plans": _operation("The published plans", "PlanList"),
            "/api/v1/recommendations": _operation(
                "Published recommendations with their history, as of a date, in plan order",
                "RecommendationList",
                parameters=[*AS_OF, *FILTERS, *PAGING],
            ),
            "/api/v1/plans/{plan}/recommendations/{code}": _operation(
                "One published recommendation with its history, as of a date",
                "RecommendationDetail",
                parameters=[
                    {
                        "name": "plan",
                        "in": "path",
                        "required": True,
                        "description": "The plan's identifier (slug), from /api/v1/plans.",
                        "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
                    },
                    CODE,
                    *AS_OF,
                ],
                not_found=True,
            ),
            "/api/v1/recommendations/{code}": _moved(
                "Moved: the recommendation of this code in the first published plan",
                [CODE],
            ),
            "/api/v1/topics": _operation(
                "The topics of the published plans", "TopicList", parameters=PLAN
            ),
            "/api/v1/statuses": _operation("The status scale", "StatusList"),
            "/api/v1/milestones": _operation(
                "The published milestones", "MilestoneList", parameters=[*PLAN, *PAGING]
            ),
            "/api/v1/summary": _operation(
                "The counts overall, per plan and per topic, as of a date",
                "Summary",
                parameters=[*AS_OF, *FILTERS],
            ),
            "/api/v1/openapi.json": _operation("This document", "OpenApiDocument"),
        },
        "components": {
            "parameters": PARAMETERS | PAGING_PARAMETERS,
            "schemas": {
                "Index": {
                    "type": "object",
                    "additionalProperties": {"type": "string", "format": "uri"},
                },
                "Plan": _object(columns.PLAN_COLUMNS),
                "PlanList": _list_of("Plan"),
                "HistoryEntry": _object(columns.HISTORY_COLUMNS),
                "Recommendation": _object(
                    [*columns.RECOMMENDATION_COLUMNS, *columns.RECOMMENDATION_TEXT_COLUMNS],
                    history={
                        "type": "array",
                        "description": "Its status records effective on or before the as-of "
                        "date, newest first.",
                        "items": _ref("HistoryEntry"),
                    },
                ),
                "RecommendationList": _list_of("Recommendation", as_of=True, paged=True),
                "RecommendationDetail": {
                    "type": "object",
                    "properties": {"as_of": AS_OF_SCHEMA, "result": _ref("Recommendation")},
                    "required": ["as_of", "result"],
                    "additionalProperties": False,
                },
                "Topic": _object(columns.TOPIC_COLUMNS),
                "TopicList": _list_of("Topic"),
                "Status": _object(columns.STATUS_COLUMNS),
                "StatusList": _list_of("Status"),
                "Milestone": _object(columns.MILESTONE_COLUMNS),
                "MilestoneList": _list_of("Milestone", paged=True),
                "SummaryRow": _object(columns.SUMMARY_COLUMNS.without("as_of", "filters")),
                "Summary": {
                    "type": "object",
                    "properties": {
                        "as_of": AS_OF_SCHEMA,
                        "filters": {
                            "type": "object",
                            "description": "The filters the counts are limited to, as given; "
                            "empty for every published recommendation.",
                            "additionalProperties": {"type": "string"},
                        },
                        "overall": _ref("SummaryRow"),
                        "plans": {"type": "array", "items": _ref("SummaryRow")},
                        "topics": {"type": "array", "items": _ref("SummaryRow")},
                    },
                    "required": ["as_of", "filters", "overall", "plans", "topics"],
                    "additionalProperties": False,
                },
                "Errors": {
                    "type": "object",
                    "properties": {
                        "errors": {
                            "type": "object",
                            "description": "Readable messages for each parameter at fault.",
                            "additionalProperties": {"type": "array", "items": {"type": "string"}},
                        }
                    },
                    "required": ["errors"],
                    "additionalProperties": False,
                },
                "OpenApiDocument": {"type": "object", "required": ["openapi", "paths"]},
            },
        },
    }
