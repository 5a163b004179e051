"""Each admin list costs the same number of queries at 39 and at 400 recommendations."""

import pytest
from django.urls import reverse

from plans.models import Party
from recommendations.models import Recommendation, Responsibility, Role
from tests.factories import (
    MilestoneFactory,
    PartyFactory,
    PlanFactory,
    RecommendationFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

SIZES = [39, 400]

# Every admin page: the session, the user, the user's own rights and the group's rights ...
SIGNED_IN = 4
# ... the city, for the header ...
HEADER = 1
# ... and at the end the session is saved again (expiry counts from the last request):
# savepoint, update, release.
SESSION_SAVED = 3
# A list counts its rows twice: the filtered count and the total shown beside it.
COUNTS = 2


@pytest.fixture
def portfolio(make_portfolio):
    """`size` recommendations of the main plan (each led by the city, every third supported by
    another party), a few of a second plan, and optionally a milestone per recommendation."""

    def make(size, milestones=False):
        make_portfolio(size)
        police, parks = PartyFactory(slug="police"), PartyFactory(slug="parks")
        for rec in Recommendation.objects.all()[::3]:
            Responsibility.objects.create(recommendation=rec, party=police, role=Role.SUPPORT)
        pilots = TopicFactory(plan=PlanFactory(slug="pilots"))
        RecommendationFactory.create_batch(3, topic=pilots, leads=[parks])
        for i, rec in enumerate(Recommendation.objects.all() if milestones else []):
            milestone = MilestoneFactory(plan=rec.plan)
            milestone.recommendations.add(rec)
            if i % 3 == 0:
                milestone.delete()  # deleted milestones stay in the history list

    return make


def page(client, name, query=None):
    response = client.get(reverse(f"admin:{name}_changelist"), query or {})
    assert response.status_code == 200
    assert response.context["cl"].result_count > 0
    return response


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("filtered", [False, True], ids=["plain", "filtered"])
def test_recommendation_list(manager_client, portfolio, django_assert_num_queries, size, filtered):
    portfolio(size)
    query = {}
    if filtered:
        query = {
            "plan__id__exact": Recommendation.objects.first().plan_id,
            "status": "planning",
            "phase": "in-progress",
            "responsibilities__party__id__exact": Party.objects.get(slug="police").pk,
            "overdue": "no",
            "q": "Recommendation",
            "o": "-5",
        }
    # Filter choices: plans, topics, statuses, the parties named on any recommendation. The
    # rows with their current status, latest update and overdue flag (one query), then the
    # current statuses' names (one query).
    with django_assert_num_queries(SIGNED_IN + HEADER + 4 + COUNTS + 2 + SESSION_SAVED):
        page(manager_client, "recommendations_recommendation", query)


@pytest.mark.parametrize("size", SIZES)
def test_status_update_list(manager_client, portfolio, django_assert_num_queries, size):
    portfolio(size)
    # Filter choices: statuses, plans, topics. The rows with recommendation, status and author.
    with django_assert_num_queries(SIGNED_IN + HEADER + 3 + COUNTS + 1 + SESSION_SAVED):
        page(manager_client, "recommendations_statusupdate")


@pytest.mark.parametrize("size", SIZES)
def test_milestone_list(manager_client, portfolio, django_assert_num_queries, size):
    portfolio(size, milestones=True)
    # Filter choices: plans. The rows with their plan and number of linked recommendations.
    with django_assert_num_queries(SIGNED_IN + HEADER + 1 + COUNTS + 1 + SESSION_SAVED):
        page(manager_client, "milestones_milestone")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "model", ["recommendations_historicalstatusupdate", "milestones_historicalmilestone"]
)
def test_history_lists(manager_client, portfolio, django_assert_num_queries, size, model):
    portfolio(size, milestones=True)
    # The rows with who made each change (and for status records, their recommendation and
    # status).
    with django_assert_num_queries(SIGNED_IN + HEADER + COUNTS + 1 + SESSION_SAVED):
        page(manager_client, model)


@pytest.mark.parametrize("size", SIZES)
def test_topic_list(manager_client, portfolio, django_assert_num_queries, size):
    portfolio(size)
    # Filter choices: plans. The rows with their plan.
    with django_assert_num_queries(SIGNED_IN + HEADER + 1 + COUNTS + 1 + SESSION_SAVED):
        page(manager_client, "recommendations_topic")


@pytest.mark.parametrize("size", SIZES)
def test_party_list(manager_client, portfolio, django_assert_num_queries, size):
    portfolio(size)
    # The rows with how many recommendations each leads and supports.
    with django_assert_num_queries(SIGNED_IN + HEADER + COUNTS + 1 + SESSION_SAVED):
        response = page(manager_client, "plans_party")
    leads = {party.slug: party.lead_total for party in response.context["cl"].result_list}
    assert leads == {"city": size, "police": 0, "parks": 3}


@pytest.mark.parametrize("size", SIZES)
def test_plan_list(manager_client, portfolio, django_assert_num_queries, size):
    portfolio(size)
    # The rows with how many recommendations each has.
    with django_assert_num_queries(SIGNED_IN + HEADER + COUNTS + 1 + SESSION_SAVED):
        response = page(manager_client, "plans_plan")
    totals = sorted(plan.recommendation_total for plan in response.context["cl"].result_list)
    assert totals == [3, size]
