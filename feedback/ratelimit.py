"""At most FEEDBACK_RATE_LIMIT messages an hour from one client address.

The address is never stored: the count is kept under a salted hash of it (SECRET_KEY is the
salt, so the hash cannot be matched to an address without it), in the cache, for an hour. The
cache is "default": Redis, shared by every server, when REDIS_URL is set; otherwise each
process's memory, so each process counts on its own (the limit is then per process).
Two posts at the same instant may both pass: this calms a flood, it is not an exact quota.
"""

import math
import time

from django.conf import settings
from django.core.cache import caches

from core.http import client_key

WINDOW = 60 * 60  # seconds
CACHE = "default"


def _limit():
    return max(settings.FEEDBACK_RATE_LIMIT, 1)


def _key(request):
    return f"feedback-rate:{client_key(request, 'feedback.ratelimit')}"


def _recent(request, now):
    """The times of this address's messages within the window, oldest first."""
    times = caches[CACHE].get(_key(request)) or []
    return [sent for sent in times if sent > now - WINDOW]


def seconds_to_wait(request):
    """0 if this address may send a message now, else how long until it may (in seconds)."""
    now, limit = time.time(), _limit()
    recent = _recent(request, now)
    if len(recent) < limit:
        return 0
    return max(1, math.ceil(recent[-limit] + WINDOW - now))


def count_message(request):
    """Count a message from this address (every message taken, stored or not)."""
    now = time.time()
    recent = [*_recent(request, now), now][-_limit() :]
    caches[CACHE].set(_key(request), recent, WINDOW)
