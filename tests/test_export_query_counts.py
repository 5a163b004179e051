"""Every download, the report, /data/ and every API endpoint run a fixed number of SQL queries,
the same at 39 and at 400 recommendations, in one plan or in two."""

import pytest
from django.urls import reverse

from exports import writers
from milestones.models import Milestone
from plans.models import Plan
from recommendations.models import Recommendation
from tests.factories import (
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    status,
)
from tests.public_pages import SIZES, build_portfolio

pytestmark = pytest.mark.django_db

# Named once: the query each figure below counts.
CITY = "the city: the file name's prefix, or the page's title"
MAIN = "the recommendations with every figure (subqueries), their plan and topic"
SCALE = "the status scale, to attach each current status (one prefetch)"
PARTIES = "their parties with roles (one prefetch)"
HISTORY = "every status record of those recommendations, with its status (one prefetch)"
FILTER_PLAN = "the plan ?plan= names (the filter checks it is published)"
FILTER_LEAD = "the party ?lead= names (the filter checks it leads a published recommendation)"
FILTER_STATUS = "the status ?status= names"
COUNTS = "the overall counts"
COUNTS_BY_TOPIC = "the counts by topic (a plan's counts add its topics' up)"
OVER_TIME = "the progress over time: the recommendations in scope with their status records"
TOPICS = "the topics of the plans in scope, with their plan"
UPDATES = "the status records with recommendation, plan and status"
CHANGES = "the status records of the period, each with the status it replaced"
PLANS = "the published plans"
STATUSES = "the status scale"
LEADS = "the parties that lead a published recommendation"
MILESTONES = "the published milestones with their plan"
MILESTONE_RECS = "their published recommendations with their plan (one prefetch)"
LOOKUP = "the recommendation of the first plan with that code"
PLAN_EXISTS = "whether the plan exists (only when the recommendation does not)"
PAGE_COUNT = "how many items the whole list has (the API's pages)"
TITLES = "the length of the longest title in each language (the spreadsheet's column widths)"

CASES = [
    ("exports:recommendations-csv", {}, [CITY, MAIN, SCALE, PARTIES]),
    (
        "exports:recommendations-csv",
        {"phase": "implemented", "lead": "city", "as_of": "2024-06-01"},
        [FILTER_LEAD, CITY, MAIN, SCALE, PARTIES],
    ),
    ("exports:recommendations-csv", {"plan": "main"}, [FILTER_PLAN, CITY, MAIN, SCALE, PARTIES]),
    (
        "exports:recommendations-xlsx",
        {},
        [CITY, COUNTS_BY_TOPIC, COUNTS, TOPICS, OVER_TIME, TITLES, MAIN, SCALE, PARTIES],
    ),
    (
        "exports:recommendations-xlsx",
        {"plan": "main", "phase": "started"},
        [FILTER_PLAN, CITY, COUNTS_BY_TOPIC, COUNTS, TOPICS, OVER_TIME, TITLES, MAIN, SCALE]
        + [PARTIES],
    ),
    ("exports:updates-csv", {}, [CITY, UPDATES]),
    ("exports:updates-csv", {"phase": "started"}, [CITY, UPDATES]),
    ("exports:updates-csv", {"plan": "main"}, [FILTER_PLAN, CITY, UPDATES]),
    ("exports:summary-csv", {}, [COUNTS_BY_TOPIC, COUNTS, TOPICS, CITY]),
    ("exports:summary-csv", {"q": "thing"}, [COUNTS_BY_TOPIC, COUNTS, TOPICS, CITY]),
    ("exports:summary-csv", {"plan": "main"}, [FILTER_PLAN, COUNTS_BY_TOPIC, COUNTS, TOPICS, CITY]),
    (
        "exports:report",
        {},
        [COUNTS_BY_TOPIC, COUNTS, TOPICS, MAIN, SCALE, PARTIES, OVER_TIME, CHANGES, CITY],
    ),
    (
        "exports:report",
        {"plan": "main"},
        [FILTER_PLAN, COUNTS_BY_TOPIC, COUNTS, TOPICS, MAIN, SCALE, PARTIES, OVER_TIME, CHANGES]
        + [CITY],
    ),
    ("exports:data", {}, [CITY, PLANS, TOPICS, STATUSES, LEADS]),
    ("exports:api-index", {}, []),
    ("exports:api-plans", {}, [PLANS]),
    ("exports:api-recommendations", {}, [PAGE_COUNT, MAIN, SCALE, PARTIES, HISTORY]),
    (
        "exports:api-recommendations",
        {"page": "2", "page_size": "10"},
        [PAGE_COUNT, MAIN, SCALE, PARTIES, HISTORY],
    ),
    (
        "exports:api-recommendations",
        {"status": "planning"},
        [FILTER_STATUS, PAGE_COUNT, MAIN, SCALE, PARTIES, HISTORY],
    ),
    (
        "exports:api-recommendations",
        {"plan": "main"},
        [FILTER_PLAN, PAGE_COUNT, MAIN, SCALE, PARTIES, HISTORY],
    ),
    ("exports:api-topics", {}, [TOPICS]),
    ("exports:api-topics", {"plan": "main"}, [FILTER_PLAN, TOPICS]),
    ("exports:api-statuses", {}, [STATUSES]),
    ("exports:api-milestones", {}, [PAGE_COUNT, MILESTONES, MILESTONE_RECS]),
    (
        "exports:api-milestones",
        {"plan": "main"},
        [FILTER_PLAN, PAGE_COUNT, MILESTONES, MILESTONE_RECS],
    ),
    ("exports:api-summary", {}, [COUNTS_BY_TOPIC, COUNTS, TOPICS]),
    ("exports:api-summary", {"plan": "main"}, [FILTER_PLAN, COUNTS_BY_TOPIC, COUNTS, TOPICS]),
    ("exports:api-openapi", {}, [CITY]),
]


def portfolio(make_portfolio, size):
    """`size` recommendations with milestones, and a second status record for every third one,
    so that histories, links and the report's changes all grow with the data."""
    topics = build_portfolio(make_portfolio, size)
    for rec in Recommendation.objects.all()[::3]:
        StatusUpdateFactory(recommendation=rec, status=status("evaluation"))
    main = Plan.objects.get()
    assert main.slug == "main"
    for milestone in Milestone.objects.all()[::2]:  # half the timeline is the plan's
        milestone.plan = main
        milestone.save()
    return topics


def second_plan(size):
    """A second published plan with `size` recommendations, a third of them started."""
    topics = TopicFactory.create_batch(3, plan=PlanFactory(slug="second", order=2))
    for i in range(size):
        rec = RecommendationFactory(topic=topics[i % 3], code=f"S{i}", order=i)
        if i % 3 == 0:
            StatusUpdateFactory(recommendation=rec, status=status("planning"))


def check_every_case(client, django_assert_num_queries):
    for name, params, queries in CASES:
        with django_assert_num_queries(len(queries), info=f"{name} {params}"):
            response = client.get(reverse(name), params)
            body = response.getvalue()  # a streamed file runs its queries as it is sent
        assert response.status_code == 200, (name, params, body[:200])


@pytest.mark.parametrize("size", SIZES)
def test_the_query_count_does_not_grow_with_the_data(
    client, make_portfolio, django_assert_num_queries, size
):
    portfolio(make_portfolio, size)  # built once: every address is checked against it
    check_every_case(client, django_assert_num_queries)


@pytest.mark.parametrize("size", SIZES)
def test_the_query_count_does_not_grow_with_the_plans(
    client, make_portfolio, django_assert_num_queries, size
):
    portfolio(make_portfolio, size)
    second_plan(size)
    assert Plan.objects.published().count() == 2
    check_every_case(client, django_assert_num_queries)


@pytest.mark.parametrize("size", SIZES)
def test_one_api_recommendation_costs_the_same_as_any_other(
    client, make_portfolio, django_assert_num_queries, size
):
    portfolio(make_portfolio, size)
    second_plan(size)
    for rec in (Recommendation.objects.first(), Recommendation.objects.last()):
        url = reverse("exports:api-recommendation", args=[rec.plan.slug, rec.code])
        with django_assert_num_queries(len([MAIN, SCALE, PARTIES, HISTORY])):
            response = client.get(url)
        assert response.status_code == 200
    with django_assert_num_queries(len([MAIN, PLAN_EXISTS])):
        response = client.get(reverse("exports:api-recommendation", args=["main", "nope"]))
    assert response.status_code == 404


@pytest.mark.parametrize("size", SIZES)
def test_the_old_api_address_costs_one_query(
    client, make_portfolio, django_assert_num_queries, size
):
    portfolio(make_portfolio, size)
    code = Recommendation.objects.order_by("order").first().code
    with django_assert_num_queries(len([LOOKUP])):
        response = client.get(reverse("exports:api-main-plan-recommendation", args=[code]))
    assert response.status_code == 301


def test_a_long_file_costs_a_fixed_number_of_queries_per_chunk_of_rows(
    client, make_portfolio, django_assert_num_queries, monkeypatch
):
    portfolio(make_portfolio, 39)
    monkeypatch.setattr(writers, "CHUNK_SIZE", 10)
    chunks = 4  # 39 rows, 10 at a time
    with django_assert_num_queries(len([CITY, MAIN]) + chunks * len([SCALE, PARTIES])):
        body = client.get(reverse("exports:recommendations-csv")).getvalue()
    assert body.decode("utf-8-sig").count("\n") == 39 + 1  # every row, once, and the header
