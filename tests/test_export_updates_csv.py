"""/export/updates.csv: every status record of the published recommendations, the full history."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from exports.columns import UPDATE_COLUMNS
from recommendations.models import StatusUpdate
from recommendations.services import record_status_update
from tests.factories import (
    PartyFactory,
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    status,
)

pytestmark = pytest.mark.django_db

D = datetime.date
URL = reverse("exports:updates-csv")


def rows(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.getvalue()
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"), newline="")))


def test_every_status_record_of_a_published_recommendation_is_a_row(client, okc):
    exported = rows(client)
    assert list(exported[0]) == [column.name for column in UPDATE_COLUMNS]
    published = StatusUpdate.objects.published()
    assert len(exported) == published.count()
    assert {
        (r["plan"], r["recommendation_code"], r["effective_date"], r["status_slug"])
        for r in exported
    } == {
        (
            u.recommendation.plan.slug,
            u.recommendation.code,
            u.known_date.iso,
            u.status.slug,
        )
        for u in published.select_related("recommendation__plan", "status")
    }


def test_rows_run_oldest_first_within_each_recommendation_in_plan_order(client):
    rec = RecommendationFactory(code="10", order=10)
    for slug, day in [("evaluation", D(2024, 1, 1)), ("planning", D(2023, 1, 1))]:
        StatusUpdateFactory(recommendation=rec, status=status(slug), effective_date=day)
    StatusUpdateFactory(recommendation=RecommendationFactory(code="9", order=9))
    later_plan = TopicFactory(plan=PlanFactory(slug="later", order=99))
    StatusUpdateFactory(recommendation=RecommendationFactory(topic=later_plan, code="1", order=1))
    exported = [(r["plan"], r["recommendation_code"], r["effective_date"]) for r in rows(client)]
    main = rec.plan.slug
    assert exported == [
        (main, "9", "2024-01-15"),
        (main, "10", "2023-01-01"),
        (main, "10", "2024-01-01"),
        ("later", "1", "2024-01-15"),
    ]


def test_as_of_leaves_out_records_effective_later(client):
    rec = RecommendationFactory()
    StatusUpdateFactory(recommendation=rec, status=status("planning"), effective_date=D(2023, 1, 1))
    StatusUpdateFactory(
        recommendation=rec, status=status("evaluation"), effective_date=D(2023, 1, 2)
    )
    assert [r["status"] for r in rows(client, as_of="2023-01-01")] == ["Planning"]
    assert len(rows(client, as_of="2023-01-02")) == 2


def test_unpublished_recommendations_records_are_left_out(client):
    StatusUpdateFactory(recommendation=RecommendationFactory(is_published=False), note="Secret")
    StatusUpdateFactory(note="Public")
    assert [r["note"] for r in rows(client)] == ["Public"]


def test_it_says_when_each_record_was_entered_and_corrected(client):
    rec = RecommendationFactory()
    update = record_status_update(
        recommendation=rec,
        status=status("planning"),
        effective_date=D(2023, 1, 1),
        note="Work moved forward.",
    )
    (row,) = rows(client)
    assert datetime.datetime.fromisoformat(row["recorded_at"]) == update.created_at.replace(
        microsecond=0
    )
    assert row["corrected_at"] == ""
    update.corrected_at = timezone.now()
    update.save()
    (row,) = rows(client)
    assert row["corrected_at"].startswith(timezone.localdate(update.corrected_at).isoformat())


def test_the_recommendation_filters_apply(client):
    police = PartyFactory(name="Police", slug="police")
    StatusUpdateFactory(recommendation=RecommendationFactory(leads=[police]), note="Police")
    StatusUpdateFactory(recommendation=RecommendationFactory(), note="City")
    assert [r["note"] for r in rows(client, lead="police")] == ["Police"]


def test_the_plan_filter_applies(client):
    StatusUpdateFactory(recommendation=RecommendationFactory(), note="Main plan")
    other = TopicFactory(plan=PlanFactory(slug="other"))
    StatusUpdateFactory(recommendation=RecommendationFactory(topic=other), note="Other plan")
    assert [r["note"] for r in rows(client, plan="other")] == ["Other plan"]
    assert len(rows(client)) == 2


def test_the_file_name_carries_the_date(client, okc):
    response = client.get(URL, {"as_of": "2025-10-01"})
    assert response["Content-Disposition"] == (
        'attachment; filename="okc-status-updates-2025-10-01.csv"'
    )
