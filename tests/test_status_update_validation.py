"""Status records are validated with clear messages, and the database backs the rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from recommendations.models import Recommendation, StatusUpdate
from recommendations.services import record_status_update
from tests.factories import (
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    UserFactory,
    status,
)

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
            note="Work moved forward.",
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
        note="Work moved forward.",
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
            note="Work moved forward.",
        )
    assert "progress" in error.value.message_dict


def test_database_refuses_progress_over_100():
    update = StatusUpdateFactory()
    update.progress = 101
    with pytest.raises(IntegrityError), transaction.atomic():
        update.save()


def test_codes_are_unique_within_a_plan():
    first = RecommendationFactory(code="7")
    duplicate = RecommendationFactory.build(code="7", topic=first.topic)
    assert duplicate.plan == first.plan
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.message_dict["__all__"] == [
        "Recommendation with this Plan and Code already exists."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_same_code_in_another_plan_is_fine():
    first = RecommendationFactory(code="7")
    other = RecommendationFactory.build(code="7", topic=TopicFactory(plan=PlanFactory()))
    assert other.plan != first.plan
    other.full_clean()
    other.save()
    assert Recommendation.objects.filter(code="7").count() == 2


def test_a_topic_of_another_plan_is_refused():
    rec = RecommendationFactory()
    rec.topic = TopicFactory(plan=PlanFactory())
    with pytest.raises(ValidationError) as error:
        rec.full_clean()
    assert "topic" in error.value.message_dict


def test_a_recommendation_with_history_cannot_be_deleted():
    update = StatusUpdateFactory()
    with pytest.raises(ProtectedError):
        update.recommendation.delete()


def test_a_date_before_1990_is_refused_with_a_message_and_by_the_database():
    rec = RecommendationFactory()
    with pytest.raises(ValidationError) as error:
        record_status_update(
            recommendation=rec,
            status=status("initiation"),
            effective_date=datetime.date(1989, 12, 31),
            note="Work began.",
        )
    assert "on or after Jan. 1, 1990" in error.value.message_dict["effective_date"][0]
    assert not rec.status_updates.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdateFactory(recommendation=rec, effective_date=datetime.date(1989, 12, 31))


def test_a_plan_received_before_1990_is_refused():
    plan = PlanFactory(received_on=datetime.date(1989, 6, 1))
    with pytest.raises(ValidationError) as error:
        plan.full_clean()
    assert "received_on" in error.value.message_dict
