"""Browsers and proxies revalidate cached public pages with their ETag."""

import re

import pytest
from django.utils.http import http_date

from recommendations.models import Recommendation
from recommendations.services import record_status_update
from tests.factories import status

pytestmark = pytest.mark.django_db


def implemented_count(response):
    return int(re.search(r'data-count="implemented">(\d+)<', response.content.decode()).group(1))


def record_implementation():
    """Commit (as the test transaction allows) a status update that implements one more."""
    rec = Recommendation.objects.with_progress().filter(current_phase="in-progress").first()
    record_status_update(
        recommendation=rec,
        status=status("full-implementation"),
        effective_date=rec.last_update_date,
        note="Work moved forward.",
    )


def test_a_cached_page_tells_browsers_to_revalidate_every_time(client, okc, page_cache):
    response = client.get("/")
    assert response["Cache-Control"] == "no-cache"
    assert response["ETag"]
    # Whole seconds could not tell two changes in one second apart (test_conditional_requests).
    assert "Last-Modified" not in response


@pytest.mark.parametrize("size", [39, 400])
def test_revalidating_with_the_etag_gets_a_304_in_one_query(
    client, make_portfolio, page_cache, django_assert_num_queries, size
):
    make_portfolio(size)
    etag = client.get("/")["ETag"]
    with django_assert_num_queries(1):
        # 1. the public data version
        response = client.get("/", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_revalidating_with_a_date_gets_the_page(client, okc, page_cache):
    client.get("/recommendations/")
    response = client.get("/recommendations/", headers={"If-Modified-Since": http_date()})
    assert response.status_code == 200


def test_revalidating_after_a_status_update_gets_the_new_counts(
    client, okc, page_cache, django_capture_on_commit_callbacks
):
    before = client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        record_implementation()
    response = client.get("/", headers={"If-None-Match": before["ETag"]})
    assert response.status_code == 200
    assert implemented_count(response) == implemented_count(before) + 1
    assert response["ETag"] != before["ETag"]


def test_a_new_day_in_the_city_gives_every_page_a_new_validator(client, okc, page_cache, settings):
    # Overdue flags turn on at midnight with no data change. Two time zones 25 hours apart
    # are always on different dates.
    settings.TIME_ZONE = "Pacific/Pago_Pago"
    etag = client.get("/")["ETag"]
    settings.TIME_ZONE = "Pacific/Kiritimati"
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 200
