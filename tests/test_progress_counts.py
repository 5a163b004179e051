"""total / started / implemented, overall, per topic and as of a date."""

import datetime

import pytest

from recommendations.models import Progress, Recommendation
from tests.factories import RecommendationFactory, StatusUpdateFactory, TopicFactory, status

pytestmark = pytest.mark.django_db

D = datetime.date
JAN_2024 = D(2024, 1, 1)


def record(rec, slug, date=JAN_2024):
    return StatusUpdateFactory(recommendation=rec, status=status(slug), effective_date=date)


def counts(as_of=None):
    p = Recommendation.objects.published().progress(as_of)
    return p.total, p.started, p.implemented


def test_counts_follow_the_current_phase_of_each_recommendation():
    record(RecommendationFactory(), "on-hold")
    RecommendationFactory()  # no record at all
    record(RecommendationFactory(), "planning")
    record(RecommendationFactory(), "evaluation")
    assert counts() == (4, 2, 1)


def test_unpublished_recommendations_are_not_counted():
    record(RecommendationFactory(is_published=False), "full-implementation")
    record(RecommendationFactory(), "planning")
    assert counts() == (1, 1, 0)


def test_counts_as_of_a_date_follow_from_the_records_alone():
    rec = RecommendationFactory()
    record(rec, "initiation", D(2022, 9, 1))
    record(rec, "full-implementation", D(2024, 3, 1))
    other = RecommendationFactory()
    record(other, "planning", D(2023, 6, 1))
    assert counts(D(2022, 8, 31)) == (2, 0, 0)
    assert counts(D(2023, 1, 1)) == (2, 1, 0)
    assert counts(D(2024, 3, 1)) == (2, 2, 1)


def test_regression_leaves_the_started_count_but_not_the_implemented_count():
    rec = RecommendationFactory()
    record(rec, "full-implementation", D(2023, 1, 1))
    record(rec, "planning", D(2023, 6, 1))
    assert counts() == (1, 1, 0)


def test_counts_per_topic():
    policy, youth, empty = TopicFactory.create_batch(3)
    record(RecommendationFactory(topic=policy), "full-implementation")
    record(RecommendationFactory(topic=policy), "planning")
    RecommendationFactory(topic=youth)
    by_topic = Recommendation.objects.published().progress_by_topic()
    assert (by_topic[policy.pk].total, by_topic[policy.pk].started) == (2, 2)
    assert by_topic[policy.pk].implemented == 1
    assert (by_topic[youth.pk].total, by_topic[youth.pk].started) == (1, 0)
    assert empty.pk not in by_topic


def test_percentages_round_and_survive_an_empty_portal():
    record(RecommendationFactory(), "full-implementation")
    RecommendationFactory()
    RecommendationFactory()
    progress = Recommendation.objects.published().progress()
    assert progress.implemented_percent == 33
    assert Recommendation.objects.none().progress().implemented_percent == 0


@pytest.mark.parametrize("size", [39, 400])
def test_counting_runs_a_fixed_number_of_queries(size, make_portfolio, django_assert_num_queries):
    make_portfolio(size)
    # One aggregate query over the annotated recommendations.
    with django_assert_num_queries(1):
        progress = Recommendation.objects.published().progress()
    assert progress.total == size
    # One grouped query for every topic at once.
    with django_assert_num_queries(1):
        by_topic = Recommendation.objects.published().progress_by_topic()
    assert sum(p.total for p in by_topic.values()) == size
    # A list with current statuses: the recommendations, then their current records with
    # their status, once.
    with django_assert_num_queries(2):
        statuses = {r.current_status for r in Recommendation.objects.with_progress()}
    assert len(statuses) > 1


def test_counts_add_up():
    assert Progress(3, 2, 1) + Progress(4, 1, 0) == Progress(7, 3, 1)
