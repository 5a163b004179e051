"""When the public data version cannot be renewed after a save (its store fails: Redis or the
database), no page of before the save is served again: the cache is bypassed until this
process has written a new version, even once the store answers again with the old one."""

import shutil
import socket
import subprocess
import time
import uuid

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client

from portal import caching
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db


class FlakyCache(LocMemCache):
    """A version store that can be made to fail its writes, or everything (a test double)."""

    writes_fail = False
    reads_fail = False

    def _check(self, writing):
        if self.reads_fail or (writing and self.writes_fail):
            raise ConnectionError("the version store does not answer")

    def get(self, *args, **kwargs):
        self._check(writing=False)
        return super().get(*args, **kwargs)

    def set(self, *args, **kwargs):
        self._check(writing=True)
        return super().set(*args, **kwargs)

    def add(self, *args, **kwargs):
        self._check(writing=True)
        return super().add(*args, **kwargs)


@pytest.fixture
def renew_at_once(monkeypatch):
    """No wait between renewals; and no doubt carried over to the next test."""
    monkeypatch.setattr(caching, "RENEWAL_INTERVAL", 0)
    yield
    caching._doubt.end()


@pytest.fixture
def flaky_store(settings, page_cache, renew_at_once):
    settings.CACHES = {
        **settings.CACHES,
        "public-version": {"BACKEND": "tests.test_fail_closed.FlakyCache", "LOCATION": "flaky"},
    }
    caches["public-version"].clear()
    yield FlakyCache
    FlakyCache.writes_fail = FlakyCache.reads_fail = False


@pytest.fixture
def published(okc):
    return Recommendation.objects.published().select_related("plan").first()


def unpublish(rec, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rec.is_published = False
        rec.save()


def test_an_unpublished_item_is_a_404_at_once_though_the_version_could_not_be_renewed(
    client, published, flaky_store, django_capture_on_commit_callbacks
):
    url = published.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    flaky_store.writes_fail = True  # the store still answers reads, with the old version
    unpublish(published, django_capture_on_commit_callbacks)
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404

    flaky_store.writes_fail = False  # back: the next request renews the version first
    assert client.get(url).status_code == 404
    home = client.get("/")
    assert home["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"  # the cache is on again


def test_a_store_that_was_unreachable_is_renewed_before_its_pages_are_used(
    client, published, flaky_store
):
    url = published.get_absolute_url()
    client.get(url)
    before = caching.current_version()

    flaky_store.reads_fail = True
    response = client.get(url)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response  # rendered, not from the cache

    flaky_store.reads_fail = False
    # A change may have been missed meanwhile: the old version is not trusted again.
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert caching.current_version() != before


def test_a_version_write_the_database_cache_swallows_is_noticed(
    settings, client, published, page_cache, renew_at_once, monkeypatch
):
    # Django's database cache turns some errors of its write ("database is locked") into
    # nothing at all; the version is read back.
    assert isinstance(caches["public-version"], DatabaseCache)
    monkeypatch.setattr(DatabaseCache, "_base_set", lambda *args, **kwargs: False)
    assert caching.bump_public_version() is False
    assert caching.current_version() is None
    monkeypatch.undo()
    assert caching.bump_public_version() is True
    assert caching.current_version() is not None


def test_the_save_itself_succeeds_and_says_nothing_of_the_store(
    published, flaky_store, django_capture_on_commit_callbacks
):
    flaky_store.writes_fail = True
    unpublish(published, django_capture_on_commit_callbacks)
    assert not Recommendation.objects.published().filter(pk=published.pk).exists()


# The same with a real Redis, of this test's own, whose writes hang (CLIENT PAUSE ... WRITE):
# the save's version write times out while reads still get the old version.


@pytest.fixture
def own_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(  # noqa: S603 (a private Redis on loopback)
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]  # noqa: S607
        + ["--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    control = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            control.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    yield port, control
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_caches(settings, own_redis, renew_at_once):
    port, control = own_redis
    cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "OPTIONS": {"socket_timeout": 0.2, "socket_connect_timeout": 0.2},
    }
    settings.CACHES = {"default": dict(cache), "public-version": dict(cache)}
    settings.PAGE_CACHE = True
    yield control
    caches.close_all()


def test_with_redis_an_unpublished_item_is_a_404_at_once_after_a_write_timed_out(
    published, redis_caches, django_capture_on_commit_callbacks
):
    client = Client()
    url = published.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    old = caching.current_version()

    redis_caches.execute_command("CLIENT", "PAUSE", "1000", "WRITE")
    unpublish(published, django_capture_on_commit_callbacks)
    assert caching.current_version() is None  # this process no longer vouches for it
    redis_caches.execute_command("CLIENT", "UNPAUSE")

    assert client.get(url).status_code == 404
    assert caching.current_version() != old
