"""Each status of the scale has a progress range; implemented means 100%. A record outside its
status's range is refused with a message that names the range."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from recommendations.models import Phase, Recommendation, Status
from recommendations.services import record_status_update
from tests.factories import RecommendationFactory, status

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 5, 1)


def test_a_record_outside_its_statuss_range_is_refused_naming_the_range():
    rec = RecommendationFactory()
    with pytest.raises(ValidationError) as error:
        record_status_update(
            recommendation=rec,
            status=status("full-implementation"),
            effective_date=DAY,
            progress=80,
            note="Done.",
        )
    assert error.value.message_dict["progress"] == [
        "Full Implementation means a progress of 100%; 80% is outside it. Change the progress "
        "or the status."
    ]
    assert not rec.status_updates.exists()


def test_a_record_within_its_range_is_saved():
    rec = RecommendationFactory()
    planning = status("planning")
    record_status_update(
        recommendation=rec,
        status=planning,
        effective_date=DAY,
        progress=planning.max_progress,
        note="Work moved forward.",
    )
    assert rec.status_updates.get().progress == planning.max_progress


def test_every_implemented_status_means_100_and_the_database_refuses_less():
    for implemented in Status.objects.filter(phase=Phase.IMPLEMENTED):
        assert (implemented.min_progress, implemented.max_progress) == (100, 100)
    evaluation = status("evaluation")
    evaluation.min_progress = 90
    with pytest.raises(IntegrityError), transaction.atomic():
        evaluation.save()


def test_the_usual_progress_must_lie_within_the_range():
    planning = status("planning")
    planning.default_progress = planning.max_progress + 1
    with pytest.raises(IntegrityError), transaction.atomic():
        planning.save()


def test_every_implemented_recommendation_of_the_city_shows_100_percent(client, okc):
    implemented = Recommendation.objects.with_progress().in_phase(Phase.IMPLEMENTED)
    assert implemented.exists()
    for rec in implemented.select_related("plan"):
        assert rec.current_progress == 100, rec.code
        assert "100% complete" in client.get(rec.get_absolute_url()).content.decode()


def test_the_about_page_gives_each_statuss_range(client):
    html = client.get("/about/").content.decode()
    for step in Status.objects.all():
        assert f"progress {step.progress_range}" in html
