"""The public page cache: anonymous pages come from the cache until public data changes.

A "public data version" (a random token and the time of the change) lives in the
"public-version" cache, which every process and server shares: Redis when REDIS_URL is set,
otherwise a database table. Any save, delete or many-to-many change of a model in
PUBLIC_DATA_APPS gives it a new token once the transaction commits, so a page cached under the
old token is never served again: no TTL decides freshness. The token also gives every cached
page its ETag, so a browser's revalidation costs one version read and no rendering.

It fails closed: when this process cannot write a new version (or read the current one), it
stops using the cache (no cached page, no 304) until it has written a new version itself, so
a store that comes back holding the old version cannot serve pages of before the change.

Only canonical addresses are cached: parameters the public pages know, each once, keyed in one
normal form; tracking parameters (utm_*, fbclid, ...) are redirected away, any other parameter
is served uncached. Pages are kept within a byte budget per process (BoundedMemoryCache).
"""

import atexit
import functools
import hashlib
import logging
import secrets
import threading
import time
from urllib.parse import parse_qsl, urlencode

from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.encoding import escape_uri_path

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
# Links shared on social networks and in newsletters carry these; no page reads them.
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMETERS = frozenset(
    ["fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid"]
    + ["igshid", "mc_cid", "mc_eid", "_ga", "_gl", "srsltid", "li_fat_id"]
)
# While this process cannot vouch for the version, it tries to write a new one this often.
RENEWAL_INTERVAL = 0.5
# How often a process checks that a shared version store (Redis) still takes writes.
WRITE_CHECK_INTERVAL = 1.0
# Striped: pages whose keys share a stripe render one after the other, rarely.
_RENDER_LOCKS = [threading.Lock() for _ in range(64)]

# --- A local-memory cache within a byte budget ---

_budgets = {}


class _Budget:
    def __init__(self):
        self.sizes = {}
        self.total = 0


class BoundedMemoryCache(LocMemCache):
    """Django's local-memory cache, bounded in bytes as well as entries: the least recently
    used entries go once the stored (pickled) values pass OPTIONS["MAX_BYTES"], and a value
    larger than OPTIONS["MAX_ENTRY_BYTES"] (an eighth of the budget by default) is not kept,
    so one large export cannot push every page out."""

    def __init__(self, name, params):
        super().__init__(name, params)
        options = params.get("OPTIONS", {})
        self._max_bytes = int(options.get("MAX_BYTES", 64 * 1024 * 1024))
        self._max_entry_bytes = int(options.get("MAX_ENTRY_BYTES", self._max_bytes // 8))
        self._budget = _budgets.setdefault(name, _Budget())

    @property
    def stored_bytes(self):
        return self._budget.total

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        if len(value) > self._max_entry_bytes:
            self._delete(key)
            return
        super()._set(key, value, timeout)
        self._resize(key, len(value))
        while self._budget.total > self._max_bytes and len(self._cache) > 1:
            oldest, _ = self._cache.popitem()  # the end holds the least recently used
            self._forget(oldest)

    def incr(self, key, delta=1, version=None):
        value = super().incr(key, delta, version)
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if key in self._cache:
                self._resize(key, len(self._cache[key]))
        return value

    def _cull(self):
        if self._cull_frequency == 0:
            self._clear()
            return
        for _ in range(len(self._cache) // self._cull_frequency):
            key, _ = self._cache.popitem()
            self._forget(key)

    def _delete(self, key):
        deleted = super()._delete(key)
        if deleted:
            self._budget.total -= self._budget.sizes.pop(key, 0)
        return deleted

    def clear(self):
        with self._lock:
            self._clear()

    def _clear(self):
        self._cache.clear()
        self._expire_info.clear()
        self._budget.sizes.clear()
        self._budget.total = 0

    def _resize(self, key, size):
        self._budget.total += size - self._budget.sizes.get(key, 0)
        self._budget.sizes[key] = size

    def _forget(self, key):
        self._expire_info.pop(key, None)
        self._budget.total -= self._budget.sizes.pop(key, 0)


# This process's copies of pages from a shared page cache (Redis): what is stored under a key
# never changes, so a copy saves a round trip on every hit; only the version is read each time.
_LOCAL_COPIES = BoundedMemoryCache(
    "portal-page-copies",
    {"OPTIONS": {"MAX_ENTRIES": 1000, "MAX_BYTES": settings.PAGE_CACHE_MAX_BYTES}},
)


# --- The public data version ---


def _new_version():
    return secrets.token_hex(8), time.time()


class _Doubt:
    """Whether this process can vouch for the public data version. It cannot after it failed
    to write a new one (the old one may still be in the store) or to read it (a change may
    have happened meanwhile); only a new version written by this process ends the doubt."""

    def __init__(self):
        self.lock = threading.Lock()
        self.renewing = threading.Lock()
        self.since = None  # time.monotonic() when the doubt began; None: no doubt
        self.next_try = 0.0
        self.next_write_check = 0.0
        self.in_background = False

    def begin(self):
        with self.lock:
            if self.since is not None:
                return
            self.since = time.monotonic()
            self.next_try = self.since + RENEWAL_INTERVAL
        logger.error(
            "The public data version could not be renewed or read; the page cache is off in "
            "this process until a new version is written."
        )
        if self.in_background:
            threading.Thread(target=self._renew_until_done, daemon=True).start()

    def end(self):
        with self.lock:
            if self.since is not None:
                logger.warning(
                    "Public data version renewed after %.1f s; page cache back on.",
                    time.monotonic() - self.since,
                )
            self.since = None

    @property
    def active(self):
        return self.since is not None

    def write_check_due(self, store):
        """Whether to check now (once a second) that the shared store takes writes."""
        if isinstance(store, DatabaseCache) or time.monotonic() < self.next_write_check:
            return False
        self.next_write_check = time.monotonic() + WRITE_CHECK_INTERVAL
        return True

    def try_renewal(self):
        """Renew now if this process is due to try (one thread at a time, every
        RENEWAL_INTERVAL); True when the version is known again."""
        if not self.active:
            return True
        if time.monotonic() < self.next_try or not self.renewing.acquire(blocking=False):
            return False
        try:
            self.next_try = time.monotonic() + RENEWAL_INTERVAL
            return bump_public_version()
        finally:
            self.renewing.release()

    def _renew_until_done(self):
        while self.active:
            time.sleep(RENEWAL_INTERVAL)
            self.next_try = 0.0
            try:
                self.try_renewal()
            finally:
                connections.close_all()  # this thread's own connection, if the store is SQL


_doubt = _Doubt()


@receiver(setting_changed)
def _forget_doubt(setting, **kwargs):
    # Another store, or the cache switched on or off (tests): nothing to doubt about the old one.
    if setting in ("CACHES", "PAGE_CACHE"):
        with _doubt.lock:
            _doubt.since = None


def renew_in_background():
    """For servers (portal/wsgi.py): a process in doubt retries in a thread of its own, so the
    other processes get the new version as soon as the store answers, not at this process's
    next request."""
    _doubt.in_background = True


@atexit.register
def _renew_before_exit():
    # A command that could not renew tries for a few more seconds (a server stops at once).
    deadline = time.monotonic() + 3
    while _doubt.active and not _doubt.in_background:
        _doubt.next_try = 0.0
        if _doubt.try_renewal():
            return
        if time.monotonic() > deadline:
            break
        time.sleep(RENEWAL_INTERVAL)
    else:
        return
    logger.error(
        "The public data version was never renewed: run `manage.py migrate` (it renews it) "
        "once the cache store answers, or cached pages may be out of date."
    )


def current_version():
    """(token, changed_at) of the public data, or None while this process cannot vouch for it
    (the cache is then bypassed). When the store has lost the version (first start, Redis
    flushed or restarted) a new token is safe: it only makes every cached page a miss."""
    if _doubt.active and not _doubt.try_renewal():
        return None
    store = caches[VERSION_CACHE]
    try:
        version = store.get(VERSION_KEY)
        if version is None:
            version = _new_version()
            if not store.add(VERSION_KEY, version, timeout=None):
                version = store.get(VERSION_KEY, version)
        elif _doubt.write_check_due(store):
            # A Redis that refuses writes (paused, out of memory, read-only) still answers
            # reads, with a version another process may have failed to renew.
            store.touch(VERSION_KEY, None)
    except Exception as error:
        from portal.middleware import note_database_error

        note_database_error(error)
        logger.warning("Public data version unavailable; serving uncached.", exc_info=True)
        _doubt.begin()
        return None
    return version


def bump_public_version():
    """Make every cached page and every ETag handed out so far stale. Returns whether the new
    version is known to be in the store; if not, this process fails closed (see _Doubt)."""
    store = caches[VERSION_CACHE]
    new = _new_version()
    try:
        store.set(VERSION_KEY, new, timeout=None)
        # The database cache swallows errors in its write ("database is locked"): read back.
        # Another process's bump in between also reads as a failure: harmless, renewed soon.
        written = store.get(VERSION_KEY) if isinstance(store, DatabaseCache) else new
    except Exception:
        # Once per doubt: the retries fail the same way.
        level = logging.DEBUG if _doubt.active else logging.WARNING
        logger.log(level, "Could not write a new public data version.", exc_info=True)
        written = None
    if written != new:
        _doubt.begin()
        return False
    _doubt.end()
    return True


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
    SQL no signal sees, and a flush empties every table. A missing Redis must not stop a
    migration (bump_public_version logs it)."""
    call_command("createcachetable", database=using, verbosity=0)
    bump_public_version()


# --- Canonical addresses ---


@functools.cache
def known_parameters():
    """Every query parameter a public page, feed or export reads. A new one must be added here,
    or its pages are served uncached."""
    from milestones.filters import MilestoneFilter
    from recommendations.filters import RecommendationFilter

    filters = [*RecommendationFilter.base_filters, *MilestoneFilter.base_filters]
    # Pages of lists and the API (page, page_size), of a sitemap section (p), the timeline's year.
    return frozenset([*filters, "page", "page_size", "p", "year", "as_of", "since"])


def is_tracking(name):
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def without_tracking(request):
    """The address without its tracking parameters (the others as they came), or None when it
    has none."""
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    kept = [(name, value) for name, value in pairs if not is_tracking(name)]
    if len(kept) == len(pairs):
        return None
    path = escape_uri_path(request.path)
    return f"{path}?{urlencode(kept)}" if kept else path


def canonical_query(request):
    """The query string in its normal form (known parameters, each once, empty ones left out,
    by name), under which the page is cached; None when the page must not be cached (an
    unknown parameter, or one given twice)."""
    known, pairs = known_parameters(), []
    for name in request.GET:
        values = request.GET.getlist(name)
        if name not in known or len(values) > 1:
            return None
        if values[0]:
            pairs.append((name, values[0]))
    return urlencode(sorted(pairs))


# --- The middleware ---


class PublicPageCacheMiddleware:
    """Serves anonymous GET and HEAD requests for public pages from the page cache.

    A response is stored only when it is the same for every visitor without a session: a 200,
    not streamed, setting no cookie, varying on nothing but Cookie, with no cache policy of
    its own, and not larger than the budget allows. It is sent with an ETag from the version
    (no Last-Modified: two changes within a second would share it, and a browser revalidating
    with it would keep the older page), and `no-cache` so that browsers and proxies revalidate
    every time. A 304 is given only for an address whose page is in the cache (a 200).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._applies_to(request):
            return self.get_response(request)
        if (canonical := without_tracking(request)) is not None:
            return HttpResponsePermanentRedirect(canonical)
        query = canonical_query(request)
        version = current_version()
        if query is None or version is None:
            return self.get_response(request)

        # Overdue flags and "as of today" figures change at midnight without any data change.
        today = timezone.localdate()
        etag = f'W/"{settings.RELEASE}-{version[0]}-{today:%Y%m%d}"'
        key = _page_key(request, query, version[0], today)
        if "HTTP_IF_NONE_MATCH" in request.META and _has_entry(key):
            not_modified = get_conditional_response(request, etag=etag)
            if not_modified is not None:
                return _with_validators(not_modified, etag)
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
                _with_validators(response, etag)
                if len(response.content) <= _max_entry_bytes():
                    entry = (response.status_code, dict(response.items()), response.content)
                    _quietly(caches[PAGE_CACHE].set, key, entry, PAGE_TTL)
                response["X-Page-Cache"] = "miss"
                not_modified = get_conditional_response(request, etag=etag, response=response)
                if not_modified is not response:
                    return not_modified
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


def _max_entry_bytes():
    return settings.PAGE_CACHE_MAX_BYTES // 8


def _has_entry(key):
    store = caches[PAGE_CACHE]
    if not isinstance(store, LocMemCache) and _LOCAL_COPIES.has_key(key):
        return True
    return bool(_quietly(store.has_key, key))


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


def _page_key(request, query, token, today):
    # Scheme and host: feeds and sitemaps print absolute URLs.
    url = f"{request.scheme}://{request.get_host()}{escape_uri_path(request.path)}?{query}"
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
        # Last-Modified (the feed's newest item date) gives way to the version's ETag, which
        # changes with any public change.
        and not any(h in response for h in ("Cache-Control", "Expires"))
    )


def _with_validators(response, etag):
    response["ETag"] = etag
    del response["Last-Modified"]
    patch_cache_control(response, no_cache=True)
    return response


def _quietly(operation, *args):
    try:
        return operation(*args)
    except Exception:  # A cache outage must not take the public site down.
        logger.warning("Page cache unavailable.", exc_info=True)
        return None
