"""A recommendation's current status is its latest status record."""

import datetime

import pytest

from recommendations.models import Phase, Recommendation
from tests.factories import RecommendationFactory, StatusUpdateFactory, status

pytestmark = pytest.mark.django_db

D = datetime.date


def annotated(rec, as_of=None):
    return Recommendation.objects.with_progress(as_of).get(pk=rec.pk)


def test_recommendation_without_records_is_not_started():
    rec = annotated(RecommendationFactory())
    assert rec.current_status is None
    assert rec.current_phase == Phase.NOT_STARTED
    assert rec.current_progress == 0
    assert rec.start_date is None
    assert rec.implemented_date is None


def test_latest_effective_date_wins_whatever_the_entry_order():
    rec = RecommendationFactory()
    StatusUpdateFactory(recommendation=rec, status=status("planning"), effective_date=D(2024, 6, 1))
    # Entered later but dated earlier: history, not the current status.
    StatusUpdateFactory(
        recommendation=rec, status=status("initiation"), effective_date=D(2023, 1, 1)
    )
    assert annotated(rec).current_status.slug == "planning"


def test_tie_on_effective_date_goes_to_the_record_created_last():
    rec = RecommendationFactory()
    StatusUpdateFactory(recommendation=rec, status=status("planning"), effective_date=D(2024, 6, 1))
    StatusUpdateFactory(
        recommendation=rec,
        status=status("approaching-implementation"),
        effective_date=D(2024, 6, 1),
    )
    assert annotated(rec).current_status.slug == "approaching-implementation"


def test_current_progress_is_the_latest_records_progress():
    rec = RecommendationFactory()
    StatusUpdateFactory(recommendation=rec, status=status("planning"), progress=55)
    assert annotated(rec).current_progress == 55


def test_as_of_ignores_records_effective_after_that_day():
    rec = RecommendationFactory()
    StatusUpdateFactory(recommendation=rec, status=status("planning"), effective_date=D(2023, 3, 1))
    StatusUpdateFactory(
        recommendation=rec, status=status("full-implementation"), effective_date=D(2024, 3, 1)
    )
    assert annotated(rec, as_of=D(2024, 2, 29)).current_status.slug == "planning"
    assert annotated(rec, as_of=D(2024, 3, 1)).current_status.slug == "full-implementation"
    assert annotated(rec, as_of=D(2023, 2, 28)).current_status is None
