"""Every download, the report, /data/ and every API endpoint run a fixed number of SQL queries,
the same at 39 and at 400 recommendations."""

import pytest
from django.urls import reverse

from recommendations.models import Recommendation
from tests.factories import StatusUpdateFactory, status
from tests.public_pages import SIZES, build_portfolio

pytestmark = pytest.mark.django_db

# Named once: the query each figure below counts.
MAIN = "the recommendations with every figure (subqueries) and their topic"
SCALE = "the status scale, to attach each current status"
HISTORY = "every status record of those recommendations, with its status (one prefetch)"
FILTER_LEADS = "the leads the lead filter accepts (built with the filter set)"
COUNTS = "the overall counts"
COUNTS_BY_TOPIC = "the counts by topic"
TOPICS = "the topics"
UPDATES = "the status records with recommendation and status"
CHANGES = "the status records of the period, each with the status it replaced"
STATUSES = "the status scale"
LEADS = "the leads"
MILESTONES = "the published milestones"
MILESTONE_RECS = "their published recommendations (one prefetch)"

CASES = [
    ("exports:recommendations-csv", {}, [MAIN, SCALE]),
    (
        "exports:recommendations-csv",
        {"phase": "implemented", "lead": "City", "as_of": "2024-06-01"},
        [FILTER_LEADS, MAIN, SCALE],
    ),
    ("exports:recommendations-xlsx", {}, [MAIN, SCALE, COUNTS_BY_TOPIC, COUNTS, TOPICS]),
    ("exports:updates-csv", {}, [UPDATES]),
    ("exports:updates-csv", {"phase": "started"}, [FILTER_LEADS, UPDATES]),
    ("exports:summary-csv", {}, [COUNTS_BY_TOPIC, COUNTS, TOPICS]),
    ("exports:summary-csv", {"q": "thing"}, [FILTER_LEADS, COUNTS_BY_TOPIC, COUNTS, TOPICS]),
    ("exports:report", {}, [COUNTS_BY_TOPIC, COUNTS, TOPICS, CHANGES, MAIN, SCALE]),
    ("exports:data", {}, [TOPICS, STATUSES, LEADS]),
    ("exports:api-index", {}, []),
    ("exports:api-recommendations", {}, [MAIN, SCALE, HISTORY]),
    (
        "exports:api-recommendations",
        {"status": "planning"},
        [FILTER_LEADS, STATUSES, MAIN, SCALE, HISTORY],
    ),
    ("exports:api-topics", {}, [TOPICS]),
    ("exports:api-statuses", {}, [STATUSES]),
    ("exports:api-milestones", {}, [MILESTONES, MILESTONE_RECS]),
    ("exports:api-summary", {}, [COUNTS_BY_TOPIC, COUNTS, TOPICS]),
    ("exports:api-openapi", {}, []),
]


def portfolio(make_portfolio, size):
    """`size` recommendations with milestones, and a second status record for every third one,
    so that histories, links and the report's changes all grow with the data."""
    topics = build_portfolio(make_portfolio, size)
    for rec in Recommendation.objects.all()[::3]:
        StatusUpdateFactory(recommendation=rec, status=status("evaluation"))
    return topics


@pytest.mark.parametrize("size", SIZES)
def test_the_query_count_does_not_grow_with_the_data(
    client, make_portfolio, django_assert_num_queries, size
):
    portfolio(make_portfolio, size)  # built once: every address is checked against it
    for name, params, queries in CASES:
        with django_assert_num_queries(len(queries), info=f"{name} {params}"):
            response = client.get(reverse(name), params)
        assert response.status_code == 200, (name, params)


@pytest.mark.parametrize("size", SIZES)
def test_one_api_recommendation_costs_the_same_as_any_other(
    client, make_portfolio, django_assert_num_queries, size
):
    portfolio(make_portfolio, size)
    number = Recommendation.objects.order_by("number").first().number
    with django_assert_num_queries(len([MAIN, SCALE, HISTORY])):
        response = client.get(reverse("exports:api-recommendation", args=[str(number)]))
    assert response.status_code == 200
