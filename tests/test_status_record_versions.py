"""A recommendation and its status records are one unit for editing: each service that adds,
changes or deletes a status record raises the recommendation's version, names the change in its
history, and refuses an edit made from an older version of the recommendation."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from recommendations.models import Recommendation, StatusUpdate
from recommendations.services import (
    correct_status_update,
    delete_status_update,
    record_status_update,
)
from tests.factories import StatusUpdateFactory, UserFactory, status

pytestmark = pytest.mark.django_db

MARCH_1 = datetime.date(2024, 3, 1)


@pytest.fixture
def update():
    return StatusUpdateFactory(recommendation__title="Old title")


def latest_reason(rec):
    return Recommendation.objects.get(pk=rec.pk).history.first().history_change_reason


def test_adding_a_record_raises_the_recommendations_version_and_names_it():
    maria = UserFactory(first_name="Maria", last_name="Lopez")
    rec = StatusUpdateFactory().recommendation
    record_status_update(
        recommendation=rec,
        status=status("evaluation"),
        effective_date=MARCH_1,
        note="Evaluated.",
        user=maria,
        expected_recommendation_version=1,
    )
    assert rec.version == Recommendation.objects.get().version == 2
    row = rec.history.first()
    assert (row.history_user, row.history_change_reason) == (
        maria,
        "Status record added: Evaluation, March 1, 2024",
    )


def test_a_record_added_from_an_older_version_is_refused_with_who_and_what(update):
    rec = update.recommendation
    maria = UserFactory(first_name="Maria", last_name="Lopez")
    record_status_update(
        recommendation=rec,
        status=status("planning"),
        effective_date=MARCH_1,
        note="Plan.",
        user=maria,
        expected_recommendation_version=1,
    )
    with pytest.raises(ValidationError) as refused:
        record_status_update(
            recommendation=Recommendation.objects.get(),
            status=status("approaching-implementation"),
            effective_date=MARCH_1,
            note="Soon.",
            expected_recommendation_version=1,
        )
    assert refused.value.code == "stale"
    assert "Maria Lopez saved this recommendation at " in refused.value.message
    assert "Their change: Status record added: Planning, March 1, 2024." in refused.value.message
    assert StatusUpdate.objects.count() == 2


def test_none_skips_the_check_explicitly_but_still_raises_the_version(update):
    rec = Recommendation.objects.get()
    rec.version = 99  # an object read long ago: nothing of it is written back
    rec.title = "Stale title"
    record_status_update(
        recommendation=rec,
        status=status("planning"),
        effective_date=MARCH_1,
        note="Plan.",
        expected_recommendation_version=None,
    )
    saved = Recommendation.objects.get()
    assert (saved.version, saved.title) == (2, "Old title")


def test_a_correction_and_a_deletion_each_raise_the_version_and_check_it(update):
    update.note = "Better words."
    update.correction_reason = "Clearer."
    correct_status_update(update=update, expected_version=1, expected_recommendation_version=1)
    assert latest_reason(update.recommendation) == (
        "Status record changed: Initiation, Jan. 15, 2024 (note, correction reason)"
    )
    stale = StatusUpdate.objects.get()
    with pytest.raises(ValidationError, match="Their change: Status record changed"):
        delete_status_update(update=stale, expected_version=2, expected_recommendation_version=1)
    assert StatusUpdate.objects.exists()

    delete_status_update(update=stale, expected_version=2, expected_recommendation_version=2)
    assert not StatusUpdate.objects.exists()
    assert Recommendation.objects.get().version == 3
    assert (
        latest_reason(update.recommendation) == "Status record deleted: Initiation, Jan. 15, 2024"
    )
