"""Request hygiene, and the guard in front of everything a view renders.

- RequestHygieneMiddleware (before the page cache): a NUL character in the query or a cookie
  is a 400 at once; PostgreSQL refuses NUL in text, so it would end in a 500 later.
- RenderGuardMiddleware (after the page cache, so cached pages pass untouched):
  - fails fast while the database is down: after a connection failure, requests that need a
    view (/healthz too) get a 503 with Retry-After at once for DATABASE_RETRY_AFTER seconds,
    then one request at a time tries again; nothing queues behind a dead database;
  - limits the expensive requests (XLSX and PDF files, figures as of a past day) per client
    address;
  - gives the API's errors as JSON.
"""

import logging
import math
import re
import sqlite3
import threading
import time
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from psycopg_pool import PoolTimeout

from core.http import client_key
from exports.api import api_response

logger = logging.getLogger(__name__)

# SQLSTATEs of a lost or refused connection (class 08) and of a server shutting down.
CONNECTION_SQLSTATES = ("08", "57P01", "57P02", "57P03")
RATE_WINDOW = 60  # seconds


@cache
def _api_path():
    prefixes = "|".join(re.escape(code) for code, _name in settings.LANGUAGES[1:])
    return re.compile(rf"^/(?:(?:{prefixes})/)?api/" if prefixes else r"^/api/")


def is_api(request):
    return bool(_api_path().match(request.path_info))


class RequestHygieneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if refused := _with_nul(request):
            if is_api(request):
                message = gettext("Null characters are not allowed.")
                errors = {name: [message] for name in refused}
                return api_response({"errors": errors}, status=400)
            raise BadRequest("A NUL character in the request.")
        return self.get_response(request)


def _with_nul(request):
    """The query parameters and cookies holding a NUL character, by name. (In the path it
    matches no address: a 404.)"""
    refused = [
        name.replace("\x00", "")
        for name, values in request.GET.lists()
        if "\x00" in name or any("\x00" in value for value in values)
    ]
    refused += [
        name.replace("\x00", "")
        for name, value in request.COOKIES.items()
        if "\x00" in name or "\x00" in value
    ]
    return refused


# --- The database outage breaker ---


class _Outage:
    """This process's view of the database: up, or down until `until` (time.monotonic())."""

    def __init__(self):
        self.lock = threading.Lock()
        self.until = 0.0
        self.probing = False

    def trip(self):
        with self.lock:
            was_up = not self.until
            self.until = time.monotonic() + settings.DATABASE_RETRY_AFTER
        if was_up:
            logger.error("The database does not answer; pages answer 503 until it does.")

    def close(self):
        with self.lock:
            was_down = bool(self.until)
            self.until = 0.0
        if was_down:
            logger.warning("The database answers again.")

    def admit(self):
        """None to pass; "down" to refuse at once; or the `until` a probe started at: this
        request tries the database for everyone else, who are refused meanwhile."""
        with self.lock:
            if not self.until:
                return None
            if time.monotonic() < self.until or self.probing:
                return "down"
            self.probing = True
            return self.until

    def probe_done(self, started_at):
        with self.lock:
            self.probing = False
            tripped_again = self.until != started_at
        if not tripped_again:
            self.close()


_outage = _Outage()


def database_answered():
    """/healthz reached the database: pages may try it again."""
    _outage.close()


def note_database_error(error):
    """Whether `error` says the database is unavailable (a 503 rather than a 500); a lost or
    refused connection also makes this process refuse at once for a few seconds."""
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    if _connection_lost(error):
        _outage.trip()
    return True


def _connection_lost(error):
    if isinstance(error, InterfaceError):
        return True
    cause = error.__cause__
    if isinstance(cause, sqlite3.OperationalError):
        return "unable to open" in str(cause)
    if isinstance(cause, PoolTimeout):
        return True
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(CONNECTION_SQLSTATES)


def database_unavailable(request):
    """The 503 while the database is down: the error page (which needs no database), or JSON
    for the API; Retry-After says when to come back."""
    if request.path_info == "/healthz":  # as portal/views.py says it
        response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    elif is_api(request):
        message = gettext("The database is not answering. Please try again in a few seconds.")
        response = api_response({"errors": {"server": [message]}}, status=503)
    else:
        language = translation.get_language_from_path(request.path_info)
        with translation.override(language or settings.LANGUAGE_CODE):
            response = _static_page("500.html", 503)
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    # Logged once per outage (_Outage.trip), not once per request by django.request.
    response._has_been_logged = True
    return response


def _static_page(template, status, context=None):
    # Rendered without the request, so without the context processors' database queries.
    return HttpResponse(render_to_string(template, context), status=status)


# --- Expensive requests ---


def is_expensive(request):
    """Rendered anew for each date, or costly to build: an XLSX or PDF file, figures as of a
    day."""
    return request.path_info.endswith((".xlsx", ".pdf")) or bool(request.GET.get("as_of"))


def seconds_until_allowed(request):
    """0 if this address may make an expensive request now (and counts it), else the seconds
    until it may. Fixed one-minute windows in the "default" cache, shared through Redis; a
    cache outage lets everything through."""
    limit = settings.EXPENSIVE_REQUESTS_PER_MINUTE
    if not limit:
        return 0
    now = time.time()
    window = int(now // RATE_WINDOW)
    key = f"expensive:{window}:{client_key(request, 'expensive')[:32]}"
    store = caches["default"]
    try:
        store.add(key, 0, RATE_WINDOW * 2)
        count = store.incr(key)
    except Exception:  # expired between add and incr, or the cache is down
        return 0
    if count <= limit:
        return 0
    return max(1, math.ceil((window + 1) * RATE_WINDOW - now))


def too_many_requests(request, seconds):
    if is_api(request):
        message = gettext("Too many requests")
        response = api_response({"errors": {"request": [message]}}, status=429)
    else:
        minutes = max(1, math.ceil(seconds / 60))
        context = {"minutes": minutes, "limit": settings.EXPENSIVE_REQUESTS_PER_MINUTE}
        response = _static_page("429.html", 429, context)
    response["Retry-After"] = str(seconds)
    return response


class RenderGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = _outage.admit()
        if probe == "down":
            return database_unavailable(request)
        try:
            if is_expensive(request) and (seconds := seconds_until_allowed(request)):
                return too_many_requests(request, seconds)
            response = self.get_response(request)
        finally:
            if probe is not None:
                _outage.probe_done(probe)
        if response.status_code >= 400 and is_api(request):
            return _as_json(response)
        return response

    def process_exception(self, request, exception):
        if not note_database_error(exception):
            return None  # Django's own 500 (logged); the API's is made JSON above
        logger.warning("Database unavailable: %s", exception)
        return database_unavailable(request)


def _as_json(response):
    """An API error that came out as HTML (a 500 from Django, a 405) as JSON."""
    if response.get("Content-Type", "").startswith("application/json"):
        return response
    if response.status_code >= 500:
        message = gettext("The server could not answer because of an error on its side.")
        errors = {"server": [message]}
    else:
        errors = {"request": [response.reason_phrase]}
    json_response = api_response({"errors": errors}, status=response.status_code)
    for header in ("Allow", "Retry-After"):
        if header in response:
            json_response[header] = response[header]
    return json_response
