"""Every figure for a day says how many recommendations' status that day is uncertain: a record
dated only to the month, or only as "by" a later date, could fall on either side of it."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from recommendations.models import Recommendation, StatusUpdate, record_uncertain_on

pytestmark = pytest.mark.django_db

BEFORE_THE_SNAPSHOT = datetime.date(2025, 9, 30)


def uncertain_on(day):
    """Counted here record by record, by the documented rule."""
    published = Recommendation.objects.published()
    return len(
        {
            update.recommendation_id
            for update in StatusUpdate.objects.filter(recommendation__in=published)
            if record_uncertain_on(update.effective_date, update.date_precision, day)
        }
    )


def test_the_api_summary_for_a_past_day_says_how_many_figures_are_uncertain(client, okc):
    expected = uncertain_on(BEFORE_THE_SNAPSHOT)
    assert expected > 0  # the city's undated statuses are "by" the snapshot
    summary = client.get(reverse("exports:api-summary"), {"as_of": "2025-09-30"}).json()
    assert summary["overall"]["uncertain"] == expected
    assert sum(row["uncertain"] for row in summary["topics"]) == expected


def test_the_report_for_a_past_day_states_the_uncertain_figures(client, okc):
    expected = uncertain_on(BEFORE_THE_SNAPSHOT)
    html = client.get(reverse("exports:report"), {"as_of": "2025-09-30"}).content.decode()
    assert f"{expected} recommendations’ figures are uncertain on this day" in html.replace(
        "'", "’"
    )


def test_the_summary_file_has_the_uncertain_column(client, okc):
    body = client.get(reverse("exports:summary-csv"), {"as_of": "2025-09-30"}).content
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert int(rows[0]["uncertain"]) == uncertain_on(BEFORE_THE_SNAPSHOT)


def test_after_the_snapshot_no_figure_is_uncertain_for_want_of_a_date(client, okc):
    day = datetime.date(2025, 10, 1)
    summary = client.get(reverse("exports:api-summary"), {"as_of": day.isoformat()}).json()
    assert summary["overall"]["uncertain"] == uncertain_on(day) == 0
