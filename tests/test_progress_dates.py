"""Start date and implementation date follow from the status records."""

import datetime

import pytest

from recommendations.models import Phase, Recommendation
from tests.factories import RecommendationFactory, StatusUpdateFactory, status

pytestmark = pytest.mark.django_db

D = datetime.date


def record(rec, slug, date):
    return StatusUpdateFactory(recommendation=rec, status=status(slug), effective_date=date)


def annotated(rec, as_of=None):
    return Recommendation.objects.with_progress(as_of).get(pk=rec.pk)


def test_start_date_is_the_first_record_in_a_started_status():
    rec = RecommendationFactory()
    record(rec, "on-hold", D(2022, 5, 1))
    record(rec, "initiation", D(2022, 9, 1))
    record(rec, "planning", D(2023, 2, 1))
    assert annotated(rec).start_date == D(2022, 9, 1)


def test_on_hold_only_has_no_start_date():
    rec = RecommendationFactory()
    record(rec, "on-hold", D(2022, 5, 1))
    assert annotated(rec).start_date is None


def test_implementation_date_is_when_it_became_implemented():
    rec = RecommendationFactory()
    record(rec, "planning", D(2022, 9, 1))
    record(rec, "full-implementation", D(2023, 11, 1))
    record(rec, "evaluation", D(2024, 5, 1))  # still implemented: the date does not move
    assert annotated(rec).implemented_date == D(2023, 11, 1)


def test_regression_counts_as_not_implemented():
    rec = RecommendationFactory()
    record(rec, "full-implementation", D(2023, 1, 1))
    record(rec, "planning", D(2023, 6, 1))
    rec = annotated(rec)
    assert rec.current_phase == Phase.IN_PROGRESS
    assert rec.implemented_date is None


def test_implementation_date_is_the_last_time_it_became_implemented():
    rec = RecommendationFactory()
    record(rec, "full-implementation", D(2023, 1, 1))
    record(rec, "planning", D(2023, 6, 1))
    record(rec, "full-implementation", D(2024, 2, 1))
    assert annotated(rec).implemented_date == D(2024, 2, 1)
    # Before the regression, the first implementation stood.
    assert annotated(rec, as_of=D(2023, 5, 31)).implemented_date == D(2023, 1, 1)
    assert annotated(rec, as_of=D(2023, 12, 31)).implemented_date is None


def test_same_day_regression_entered_last_clears_the_implementation_date():
    rec = RecommendationFactory()
    record(rec, "full-implementation", D(2023, 1, 1))
    record(rec, "approaching-implementation", D(2023, 1, 1))
    assert annotated(rec).implemented_date is None


def test_overdue_when_the_estimate_has_passed_and_it_is_not_implemented():
    late = RecommendationFactory(estimated_completion=D(2024, 1, 1))
    record(late, "planning", D(2023, 1, 1))
    done = RecommendationFactory(estimated_completion=D(2024, 1, 1))
    record(done, "full-implementation", D(2024, 6, 1))
    assert annotated(late).is_overdue is True
    assert annotated(done).is_overdue is False
    # As of a day before the estimate, nothing was overdue yet.
    assert annotated(late, as_of=D(2023, 12, 31)).is_overdue is False
    # Without an estimate, nothing is overdue.
    assert annotated(RecommendationFactory()).is_overdue is False
