"""Each admin list costs the same number of queries at 39 and at 400 recommendations."""

import pytest
from django.urls import reverse

from recommendations.models import Recommendation
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

SIZES = [39, 400]

# Every admin page: the session, the user, the user's own rights and the group's rights ...
SIGNED_IN = 4
# ... and at the end the session is saved again (expiry counts from the last request):
# savepoint, update, release.
SESSION_SAVED = 3
# A list counts its rows twice: the filtered count and the total shown beside it.
COUNTS = 2


@pytest.fixture
def portfolio(make_portfolio):
    def make(size, milestones=False):
        make_portfolio(size)
        for i, rec in enumerate(Recommendation.objects.all() if milestones else []):
            milestone = MilestoneFactory()
            milestone.recommendations.add(rec)
            if i % 3 == 0:
                milestone.delete()  # deleted milestones stay in the history list

    return make


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "query",
    [
        {},
        {
            "status": "planning",
            "phase": "in-progress",
            "lead": "City",
            "overdue": "no",
            "q": "Recommendation",
            "o": "-5",
        },
    ],
    ids=["plain", "filtered"],
)
def test_recommendation_list(manager_client, portfolio, django_assert_num_queries, size, query):
    portfolio(size)
    url = reverse("admin:recommendations_recommendation_changelist")
    # Filter choices: topics, statuses, leads. The rows with their current status, latest
    # update and overdue flag (one query), then the statuses' names (one query).
    with django_assert_num_queries(SIGNED_IN + 3 + COUNTS + 2 + SESSION_SAVED):
        response = manager_client.get(url, query)
    assert response.status_code == 200
    assert response.context["cl"].result_count > 0


@pytest.mark.parametrize("size", SIZES)
def test_status_update_list(manager_client, portfolio, django_assert_num_queries, size):
    portfolio(size)
    url = reverse("admin:recommendations_statusupdate_changelist")
    # Filter choices: statuses, topics. The rows with recommendation, status and author.
    with django_assert_num_queries(SIGNED_IN + 2 + COUNTS + 1 + SESSION_SAVED):
        response = manager_client.get(url)
    assert response.context["cl"].result_count > 0


@pytest.mark.parametrize("size", SIZES)
def test_milestone_list(manager_client, portfolio, django_assert_num_queries, size):
    portfolio(size, milestones=True)
    url = reverse("admin:milestones_milestone_changelist")
    # The rows with the number of linked recommendations.
    with django_assert_num_queries(SIGNED_IN + COUNTS + 1 + SESSION_SAVED):
        response = manager_client.get(url)
    assert response.context["cl"].result_count > 0


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "model", ["recommendations_historicalstatusupdate", "milestones_historicalmilestone"]
)
def test_history_lists(manager_client, portfolio, django_assert_num_queries, size, model):
    portfolio(size, milestones=True)
    url = reverse(f"admin:{model}_changelist")
    # The rows with who made each change (and for status records, their recommendation and
    # status).
    with django_assert_num_queries(SIGNED_IN + COUNTS + 1 + SESSION_SAVED):
        response = manager_client.get(url)
    assert response.context["cl"].result_count > 0


@pytest.mark.parametrize("size", SIZES)
def test_topic_list(manager_client, portfolio, django_assert_num_queries, size):
    portfolio(size)
    with django_assert_num_queries(SIGNED_IN + COUNTS + 1 + SESSION_SAVED):
        manager_client.get(reverse("admin:recommendations_topic_changelist"))
