"""Status records are validated with clear messages, and the database backs the rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from recommendations.models import Recommendation, StatusUpdate
from recommendations.services import record_status_update
from tests.factories import RecommendationFactory, StatusUpdateFactory, UserFactory, status

pytestmark = pytest.mark.django_db


def test_record_status_update_saves_the_author_and_default_progress():
    user = UserFactory()
    rec = RecommendationFactory()
    update = record_status_update(
        recommendation=rec,
        status=status("planning"),
        effective_date=datetime.date(2024, 5, 1),
        note="Action plan approved.",
        user=user,
    )
    assert update.progress == status("planning").default_progress
    assert update.created_by == user
    assert update.history.get().history_user == user


def test_future_effective_date_is_refused_with_a_clear_message():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        record_status_update(
            recommendation=RecommendationFactory(),
            status=status("planning"),
            effective_date=tomorrow,
        )
    assert error.value.message_dict["effective_date"] == [
        "The effective date cannot be in the future."
    ]
    assert not StatusUpdate.objects.exists()


def test_today_in_the_city_is_allowed():
    update = record_status_update(
        recommendation=RecommendationFactory(),
        status=status("planning"),
        effective_date=timezone.localdate(),
    )
    assert update.pk


@pytest.mark.parametrize("progress", [-1, 101])
def test_progress_outside_0_to_100_is_refused(progress):
    with pytest.raises(ValidationError) as error:
        record_status_update(
            recommendation=RecommendationFactory(),
            status=status("planning"),
            effective_date=datetime.date(2024, 1, 1),
            progress=progress,
        )
    assert "progress" in error.value.message_dict


def test_database_refuses_progress_over_100():
    update = StatusUpdateFactory()
    update.progress = 101
    with pytest.raises(IntegrityError), transaction.atomic():
        update.save()


def test_recommendation_numbers_are_unique():
    RecommendationFactory(number=7)
    duplicate = RecommendationFactory.build(number=7, topic=Recommendation.objects.get().topic)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "number" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_recommendation_with_history_cannot_be_deleted():
    update = StatusUpdateFactory()
    with pytest.raises(ProtectedError):
        update.recommendation.delete()
