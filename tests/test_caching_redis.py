"""With REDIS_URL the pages and the version live in Redis (127.0.0.1:6379, as bin/test starts
it), shared by every server: a cached page or a revalidation costs no query at all."""

import re
import uuid

import pytest
import redis
from django.core.cache import caches

from recommendations.models import Recommendation
from recommendations.services import record_status_update
from tests.factories import status

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_caches(location, prefix):
    cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": prefix,
    }
    return {"default": dict(cache), "public-version": dict(cache)}


@pytest.fixture
def redis_page_cache(settings):
    """Pages and version in Redis, under a key prefix of this test's own."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = redis_caches(REDIS_URL, prefix)
    settings.PAGE_CACHE = True
    yield
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def implemented_count(response):
    return int(re.search(r'data-count="implemented">(\d+)<', response.content.decode()).group(1))


@pytest.mark.parametrize("size", [39, 400])
def test_with_redis_a_repeat_visit_costs_no_query(
    client, make_portfolio, redis_page_cache, django_assert_num_queries, size
):
    make_portfolio(size)
    first = client.get("/")
    with django_assert_num_queries(0):
        again = client.get("/")
    assert again.content == first.content


def test_with_redis_a_revalidation_costs_no_query(
    client, okc, redis_page_cache, django_assert_num_queries
):
    etag = client.get("/recommendations/")["ETag"]
    with django_assert_num_queries(0):
        assert client.get("/recommendations/", headers={"If-None-Match": etag}).status_code == 304


def test_with_redis_a_status_update_is_visible_on_the_next_request(
    client, okc, redis_page_cache, django_capture_on_commit_callbacks
):
    before = implemented_count(client.get("/"))
    rec = Recommendation.objects.with_progress().filter(current_phase="in-progress").first()
    with django_capture_on_commit_callbacks(execute=True):
        record_status_update(
            recommendation=rec,
            status=status("full-implementation"),
            effective_date=rec.last_update_date,
            note="Work moved forward.",
        )
    # A fresh connection to Redis, as another app server would have.
    caches.close_all()
    assert implemented_count(client.get("/")) == before + 1


def test_when_redis_is_down_the_pages_are_still_served_and_saves_still_work(
    client, okc, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = redis_caches("redis://127.0.0.1:1/0", "nowhere")
    settings.PAGE_CACHE = True
    before = implemented_count(client.get("/"))
    rec = Recommendation.objects.with_progress().filter(current_phase="in-progress").first()
    with django_capture_on_commit_callbacks(execute=True):
        record_status_update(
            recommendation=rec,
            status=status("full-implementation"),
            effective_date=rec.last_update_date,
            note="Work moved forward.",
        )
    assert implemented_count(client.get("/")) == before + 1
