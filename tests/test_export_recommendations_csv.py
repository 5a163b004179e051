"""/export/recommendations.csv: one row per published recommendation, as of a date."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from exports.columns import RECOMMENDATION_COLUMNS
from recommendations.models import Recommendation
from tests.factories import RecommendationFactory, StatusUpdateFactory, status

pytestmark = pytest.mark.django_db

D = datetime.date
URL = reverse("exports:recommendations-csv")


def rows(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def record(rec, slug, date, note="Work moved forward."):
    return StatusUpdateFactory(
        recommendation=rec, status=status(slug), effective_date=date, note=note
    )


def test_the_file_is_utf8_with_a_byte_order_mark_so_excel_reads_accents(client):
    RecommendationFactory(title="Política de desescalada")
    response = client.get(URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "Política de desescalada" in response.content.decode("utf-8-sig")


def test_the_header_names_every_column_of_the_field_dictionary(client):
    RecommendationFactory()
    response = client.get(URL)
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == [column.name for column in RECOMMENDATION_COLUMNS]


def test_the_file_name_carries_the_as_of_date(client):
    response = client.get(URL, {"as_of": "2025-10-01"})
    assert response["Content-Disposition"] == (
        'attachment; filename="okc-recommendations-2025-10-01.csv"'
    )


def test_without_as_of_the_file_name_carries_today(client):
    today = timezone.localdate().isoformat()
    assert f"okc-recommendations-{today}.csv" in client.get(URL)["Content-Disposition"]


def test_every_published_recommendation_appears_once_with_its_current_figures(client, okc):
    exported = {int(row["number"]): row for row in rows(client)}
    expected = Recommendation.objects.published().with_progress().with_latest_note()
    assert set(exported) == {rec.number for rec in expected}
    for rec in expected:
        row = exported[rec.number]
        assert row["status"] == (rec.current_status.name if rec.current_status else "")
        assert row["phase"] == rec.current_phase
        assert int(row["progress"]) == rec.current_progress
        assert row["latest_update_note"] == rec.latest_note
        assert row["url"] == f"http://testserver{rec.get_absolute_url()}"


def test_unpublished_recommendations_are_left_out(client):
    RecommendationFactory(number=1, is_published=False)
    RecommendationFactory(number=2)
    assert [row["number"] for row in rows(client)] == ["2"]


def test_the_state_as_of_a_date_follows_changes_and_regressions(client):
    rec = RecommendationFactory(number=7, estimated_completion=D(2023, 9, 1))
    record(rec, "planning", D(2023, 1, 1), note="Plan written.")
    record(rec, "full-implementation", D(2023, 6, 1), note="Done.")
    record(rec, "planning", D(2024, 1, 1), note="Reopened after review.")

    def row(as_of):
        (only,) = rows(client, as_of=as_of)
        return {
            k: only[k]
            for k in (
                "status",
                "phase",
                "start_date",
                "implemented_date",
                "latest_update_date",
                "latest_update_note",
                "overdue",
            )
        }

    assert row("2022-12-31") == {
        "status": "",
        "phase": "not-started",
        "start_date": "",
        "implemented_date": "",
        "latest_update_date": "",
        "latest_update_note": "",
        "overdue": "no",
    }
    # The end of the day: a record effective that day counts.
    assert row("2023-01-01") == {
        "status": "Planning",
        "phase": "in-progress",
        "start_date": "2023-01-01",
        "implemented_date": "",
        "latest_update_date": "2023-01-01",
        "latest_update_note": "Plan written.",
        "overdue": "no",
    }
    assert row("2023-12-31") == {
        "status": "Full Implementation",
        "phase": "implemented",
        "start_date": "2023-01-01",
        "implemented_date": "2023-06-01",
        "latest_update_date": "2023-06-01",
        "latest_update_note": "Done.",
        "overdue": "no",
    }
    # The regression: implemented no more, and by then past its target month.
    assert row("2024-01-01") == {
        "status": "Planning",
        "phase": "in-progress",
        "start_date": "2023-01-01",
        "implemented_date": "",
        "latest_update_date": "2024-01-01",
        "latest_update_note": "Reopened after review.",
        "overdue": "yes",
    }


def test_the_estimated_completion_is_a_month_as_the_public_pages_show_it(client):
    RecommendationFactory(estimated_completion=D(2026, 3, 1))
    (row,) = rows(client)
    assert row["estimated_completion"] == "2026-03"


def test_the_filters_of_the_public_list_apply(client, okc):
    implemented = rows(client, phase="implemented", topic="youth-outreach")
    expected = (
        Recommendation.objects.published()
        .with_progress()
        .filter(current_phase="implemented", topic__slug="youth-outreach")
    )
    assert sorted(int(row["number"]) for row in implemented) == sorted(r.number for r in expected)
    assert implemented and all(row["topic_slug"] == "youth-outreach" for row in implemented)
