"""The page cache is bounded: only canonical addresses are kept, each process keeps its pages
within a byte budget, and the requests that are rendered anew for each date or cost the most
(XLSX files, figures as of a past day) are limited per client address."""

import pytest
from django.core.cache import caches

from portal.caching import BoundedMemoryCache

pytestmark = pytest.mark.django_db


def cached(response):
    return response.get("X-Page-Cache")


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/?fbclid=IwAR0abc", "/"),
        (
            "/recommendations/?utm_source=news&phase=implemented",
            "/recommendations/?phase=implemented",
        ),
        ("/about/?utm_medium=email&utm_campaign=weekly&gclid=x", "/about/"),
    ],
)
def test_tracking_parameters_redirect_to_the_canonical_address(
    client, okc, page_cache, url, canonical
):
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == canonical


def test_the_same_filters_in_another_order_share_one_cached_page(client, okc, page_cache):
    first = client.get("/recommendations/?phase=implemented&q=officers")
    assert cached(first) == "miss"
    for url in (
        "/recommendations/?q=officers&phase=implemented",
        "/recommendations/?q=officers&topic=&phase=implemented&lead=",
    ):
        again = client.get(url)
        assert cached(again) == "hit"
        assert again.content == first.content


@pytest.mark.parametrize(
    "url", ["/about/?anything=1", "/recommendations/?phase=implemented&phase=started"]
)
def test_an_address_with_an_unknown_or_repeated_parameter_is_served_uncached(
    client, okc, page_cache, url
):
    client.get(url)
    response = client.get(url)
    assert cached(response) is None
    assert "ETag" not in response


def test_a_page_over_an_eighth_of_the_budget_is_served_but_not_kept(
    client, okc, page_cache, settings
):
    settings.PAGE_CACHE_MAX_BYTES = 64 * 1024  # the home page is larger than 8 KB
    client.get("/")
    response = client.get("/")
    assert response.status_code == 200
    assert cached(response) == "miss"
    assert response["ETag"]


def test_the_memory_cache_keeps_within_its_byte_budget_dropping_the_least_recently_used():
    cache = BoundedMemoryCache(
        "test-budget", {"OPTIONS": {"MAX_BYTES": 100_000, "MAX_ENTRIES": 1000}}
    )
    cache.clear()
    cache.set("kept", b"k" * 10_000)
    for i in range(30):
        cache.set(f"page-{i}", b"x" * 10_000)
        cache.get("kept")  # read all along: the most recently used
    assert cache.stored_bytes <= 100_000
    assert cache.get("kept") is not None
    assert cache.get("page-0") is None
    assert cache.get("page-29") is not None
    cache.set("too-large", b"x" * 20_000)  # over an eighth of the budget
    assert cache.get("too-large") is None
    cache.clear()
    assert cache.stored_bytes == 0


def test_the_default_cache_without_redis_has_a_byte_budget(settings):
    assert isinstance(caches["default"], BoundedMemoryCache)
    assert settings.CACHES["default"]["OPTIONS"]["MAX_BYTES"] == settings.PAGE_CACHE_MAX_BYTES


# Expensive requests, per client address.


@pytest.fixture
def limit_of_two(settings):
    settings.EXPENSIVE_REQUESTS_PER_MINUTE = 2
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_past_the_limit_an_xlsx_file_gets_a_clear_429_page(client, okc, limit_of_two):
    url = "/export/recommendations.xlsx"
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    page = " ".join(response.content.decode().split())
    assert "Too many requests" in page
    assert "may ask for at most 2 of them a minute" in page
    # Another address is not held back; nor are ordinary pages.
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200
    assert client.get("/export/recommendations.csv").status_code == 200


def test_past_the_limit_the_api_answers_429_in_json(client, okc, limit_of_two):
    for day in ("2025-01-01", "2025-01-02"):
        assert client.get(f"/api/v1/summary?as_of={day}").status_code == 200
    response = client.get("/api/v1/summary?as_of=2025-01-03")
    assert response.status_code == 429
    assert response.json() == {"errors": {"request": ["Too many requests"]}}


def test_the_limit_counts_renders_not_cached_copies(client, okc, page_cache, limit_of_two):
    url = "/export/recommendations.xlsx?as_of=2025-01-01"
    assert {client.get(url).status_code for _ in range(5)} == {200}


def test_behind_the_proxy_the_limit_is_per_visitor_not_per_proxy(
    client, okc, limit_of_two, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    url = "/export/recommendations.xlsx"
    for _ in range(2):
        client.get(url, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    response = client.get(url, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 429
    other = client.get(url, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert other.status_code == 200
