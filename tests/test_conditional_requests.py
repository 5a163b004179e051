"""Revalidation never keeps a browser on an old page, and a 304 only ever stands for a 200."""

import re

import pytest
from django.utils.http import http_date

from recommendations.models import Recommendation
from recommendations.services import record_status_update
from tests.factories import status

pytestmark = pytest.mark.django_db


def implemented_count(response):
    return int(re.search(r'data-count="implemented">(\d+)<', response.content.decode()).group(1))


def implement_one(django_capture_on_commit_callbacks):
    rec = Recommendation.objects.with_progress().filter(current_phase="in-progress").first()
    with django_capture_on_commit_callbacks(execute=True):
        record_status_update(
            recommendation=rec,
            status=status("full-implementation"),
            effective_date=rec.last_update_date,
            note="Work moved forward.",
        )


def test_two_changes_within_one_second_never_leave_a_stale_304(
    client, okc, page_cache, django_capture_on_commit_callbacks
):
    implement_one(django_capture_on_commit_callbacks)
    seen = client.get("/")
    implement_one(django_capture_on_commit_callbacks)  # the same second, as a rule
    # What a browser sends back: the ETag, and a date at or after the page's.
    validators = {"If-None-Match": seen["ETag"], "If-Modified-Since": http_date()}
    for headers in (validators, {"If-Modified-Since": http_date()}):
        response = client.get("/", headers=headers)
        assert response.status_code == 200
        assert implemented_count(response) == implemented_count(seen) + 1


def test_the_same_etag_for_an_unknown_address_gets_a_404_not_a_304(client, okc, page_cache):
    etag = client.get("/")["ETag"]
    for url in ("/no-such-page/", "/plans/okc-2022/recommendations/9999/"):
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 404


def test_a_refused_filter_gets_its_400_whatever_the_etag(client, okc, page_cache):
    etag = client.get("/recommendations/")["ETag"]
    response = client.get("/recommendations/?phase=nonsense", headers={"If-None-Match": etag})
    assert response.status_code == 400


def test_a_page_not_yet_in_the_cache_is_rendered_before_its_304(client, okc, page_cache):
    etag = client.get("/")["ETag"]
    response = client.get("/about/", headers={"If-None-Match": etag})
    assert response.status_code == 304
    again = client.get("/about/")
    assert again["X-Page-Cache"] == "hit"


def test_a_cached_page_revalidates_to_a_304(client, okc, page_cache):
    etag = client.get("/recommendations/")["ETag"]
    response = client.get("/recommendations/", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert "Last-Modified" not in response
