"""A status record's date is printed only as precisely as it is known: the day, the month, or
"by" a date when the city published only that it had happened by then."""

import datetime

import pytest
from django.urls import reverse

from recommendations.models import Recommendation, StatusUpdate
from tests.factories import RecommendationFactory, StatusUpdateFactory, status

pytestmark = pytest.mark.django_db

PLACEHOLDER = datetime.date(2025, 10, 1)
# Every way a page or a file could print the placeholder as a day.
AS_A_DAY = ("Oct. 1, 2025", "October 1, 2025", "2025-10-01", "1 de octubre de 2025")


def test_a_record_known_to_the_month_prints_the_month_and_one_known_by_a_date_says_by(client):
    rec = RecommendationFactory()
    StatusUpdateFactory(
        recommendation=rec,
        status=status("initiation"),
        effective_date=datetime.date(2022, 9, 1),
        date_precision="month",
    )
    StatusUpdateFactory(
        recommendation=rec,
        status=status("full-implementation"),
        effective_date=PLACEHOLDER,
        date_precision="by",
    )
    html = client.get(rec.get_absolute_url()).content.decode()
    assert '<time datetime="2022-09">September 2022</time>: Initiation' in html
    assert '<time datetime="2025-10">by October 2025</time>: Full Implementation' in html
    # Started and implemented inherit the precision of the records they come from.
    assert '<dt>Started</dt><dd><time datetime="2022-09">September 2022</time>' in html
    assert '<dt>Implemented</dt><dd><time datetime="2025-10">by October 2025</time>' in html
    spanish = client.get(f"/es{rec.get_absolute_url()}").content.decode()
    assert "a más tardar en octubre de 2025" in spanish


def test_a_record_known_to_the_day_prints_the_day(client):
    update = StatusUpdateFactory(effective_date=datetime.date(2024, 5, 2))
    html = client.get(update.recommendation.get_absolute_url()).content.decode()
    assert '<time datetime="2024-05-02">May 2, 2024</time>' in html


def test_no_page_of_the_city_shows_the_placeholder_as_a_day(client, okc):
    placeholders = StatusUpdate.objects.filter(effective_date=PLACEHOLDER)
    assert placeholders.exists()
    assert not placeholders.exclude(date_precision="by").exists()
    pages = [reverse("pages:home"), reverse("pages:list"), reverse("exports:report")]
    pages += [rec.get_absolute_url() for rec in Recommendation.objects.select_related("plan")]
    for path in pages:
        html = client.get(path).content.decode()
        for day in AS_A_DAY:
            assert day not in html, (path, day)
    detail = client.get(placeholders.first().recommendation.get_absolute_url()).content.decode()
    assert "by October 2025" in detail


def test_no_download_or_api_response_shows_the_placeholder_as_a_day(client, okc):
    for name in ("recommendations-csv", "updates-csv", "api-recommendations"):
        body = client.get(reverse(f"exports:{name}")).getvalue().decode()
        # As a date cell or value (the time a record was entered, 2025-10-01T..., is not one).
        assert ",2025-10-01," not in body and '"2025-10-01"' not in body, name
        assert "2025-10" in body, name
    csv = client.get(reverse("exports:updates-csv")).getvalue().decode()
    assert ",by," in csv
