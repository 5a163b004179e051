"""The public page cache: anonymous pages come from the cache until public data changes.

A "public data version" (a random token and the time of the change) lives in the
"public-version" cache, which every process and server shares: Redis when REDIS_URL is set,
otherwise a database table. Any save, delete or many-to-many change of a model in
PUBLIC_DATA_APPS gives it a new token once the transaction commits, so a page cached under the
old token is never served again: no TTL decides freshness. The token also gives every cached
page its ETag, so a browser's revalidation costs one version read and no rendering.
"""

import datetime
import hashlib
import logging
import secrets
import threading
import time

from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

logger = logging.getLogger(__name__)

PAGE_CACHE = "default"
VERSION_CACHE = "public-version"
VERSION_KEY = "public-data-version"
# Not public, or not the same for every visitor.
SKIPPED_PREFIXES = ("/admin/", "/healthz")
# Cookies that change what a page shows: a session (staff) or a flash message.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# Entries of older versions are never read again; this only returns their memory.
PAGE_TTL = 24 * 60 * 60
# Striped: pages whose keys share a stripe render one after the other, rarely.
_RENDER_LOCKS = [threading.Lock() for _ in range(64)]
# This process's copies of pages from a shared page cache (Redis): what is stored under a key
# never changes, so a copy saves a round trip on every hit; only the version is read each time.
_LOCAL_COPIES = LocMemCache("portal-page-copies", {"OPTIONS": {"MAX_ENTRIES": 1000}})


def _new_version():
    return secrets.token_hex(8), time.time()


def current_version():
    """(token, changed_at) of the public data. When the store has lost it (first start,
    Redis flushed) a new token is safe: it only makes every cached page a miss."""
    store = caches[VERSION_CACHE]
    version = store.get(VERSION_KEY)
    if version is None:
        version = _new_version()
        if not store.add(VERSION_KEY, version, timeout=None):
            version = store.get(VERSION_KEY, version)
    return version


def bump_public_version():
    """Make every cached page and every ETag handed out so far stale."""
    caches[VERSION_CACHE].set(VERSION_KEY, _new_version(), timeout=None)


def public_data_changed(sender, using=DEFAULT_DB_ALIAS, action="post_", **kwargs):
    """post_save / post_delete / m2m_changed: bump the version when the transaction commits.

    After the commit, not before: a page rendered from the old data while the transaction was
    open may already be cached under the old token, and must not outlive it. The public apps'
    models include their history models; fixtures (raw saves) count too.
    """
    if sender._meta.app_label not in settings.PUBLIC_DATA_APPS or not action.startswith("post_"):
        return
    if sender._meta.apps is not global_apps:
        return  # A data migration's model: after_migrate bumps once migrate is done.
    transaction.on_commit(bump_public_version, using=using, robust=True)


def after_migrate(using=DEFAULT_DB_ALIAS, **kwargs):
    """Create the version table (without Redis) and bump: a migration may change data through
    SQL no signal sees, and a flush empties every table."""
    call_command("createcachetable", database=using, verbosity=0)
    try:
        bump_public_version()
    except Exception:  # A missing Redis must not stop a migration.
        logger.warning("Could not bump the public data version.", exc_info=True)


class PublicPageCacheMiddleware:
    """Serves anonymous GET and HEAD requests for public pages from the page cache.

    A response is stored only when it is the same for every visitor without a session: a 200,
    not streamed, setting no cookie, varying on nothing but Cookie, with no cache policy of
    its own. It is sent with ETag and Last-Modified from the version, and `no-cache` so that
    browsers and proxies revalidate every time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._applies_to(request):
            return self.get_response(request)
        try:
            token, changed_at = current_version()
        except Exception:  # A cache outage must not take the public site down.
            logger.warning("Public data version unavailable; serving uncached.", exc_info=True)
            return self.get_response(request)

        # Overdue flags and "as of today" figures change at midnight without any data change.
        today = timezone.localdate()
        midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
        etag = f'W/"{settings.RELEASE}-{token}-{today:%Y%m%d}"'
        last_modified = int(max(changed_at, midnight.timestamp()))
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return _with_validators(not_modified, etag, last_modified)

        key = _page_key(request, token, today)
        if (cached := _from_cache(key)) is not None:
            return cached
        if request.method == "HEAD":
            return self.get_response(request)  # a view may answer HEAD without a body
        # One render of a page at a time in this process: when a change makes the version new
        # under load, the other threads wait for that render instead of repeating it.
        with _RENDER_LOCKS[hash(key) % len(_RENDER_LOCKS)]:
            if (cached := _from_cache(key)) is not None:
                return cached
            response = self.get_response(request)
            if _same_for_every_visitor(response):
                _with_validators(response, etag, last_modified)
                entry = (response.status_code, dict(response.items()), response.content)
                _quietly(caches[PAGE_CACHE].set, key, entry, PAGE_TTL)
                response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _applies_to(request):
        return (
            settings.PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(SKIPPED_PREFIXES)
            and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
            and "HTTP_AUTHORIZATION" not in request.META
        )


def _from_cache(key):
    store = caches[PAGE_CACHE]
    local = isinstance(store, LocMemCache)
    cached = None if local else _LOCAL_COPIES.get(key)
    if cached is None:
        cached = _quietly(store.get, key)
        if cached is None:
            return None
        if not local:
            _LOCAL_COPIES.set(key, cached, PAGE_TTL)
    status, headers, content = cached
    response = HttpResponse(content, status=status, headers=headers)
    response["X-Page-Cache"] = "hit"
    return response


def _page_key(request, token, today):
    # Scheme and host: feeds and sitemaps print absolute URLs.
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"page:{settings.RELEASE}:{token}:{today:%Y%m%d}:{digest}"


def _same_for_every_visitor(response):
    # Vary: Cookie comes from a view that looked at request.user; without a session cookie it
    # saw the anonymous visitor, as every request served from this entry will be.
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and vary <= {"cookie"}
        # A view that chose its own caching (never_cache, private) keeps it. Its ETag or
        # Last-Modified (the feed's newest item date) gives way to the version's, which
        # changes with any public change.
        and not any(h in response for h in ("Cache-Control", "Expires"))
    )


def _with_validators(response, etag, last_modified):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, no_cache=True)
    return response


def _quietly(operation, *args):
    try:
        return operation(*args)
    except Exception:  # A cache outage must not take the public site down.
        logger.warning("Page cache unavailable.", exc_info=True)
        return None
