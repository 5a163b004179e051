"""One JSON line per request on standard output, and a request id to trace a complaint by.

RequestLogMiddleware (first in MIDDLEWARE) gives each request an id: a new one, or the proxy's
X-Request-ID when it looks like one (letters, digits, dashes, dots, underscores: 8 to 64 of
them), so nginx's log and ours share it. The id goes back in the X-Request-ID header and on the
error pages ("Quote this reference"), and into every log line written meanwhile (JsonFormatter),
the traceback of an error included.

What a line holds is chosen so that nothing a resident typed ends up in it: the path with the
names of the query's parameters but not their values, never a form's content; the user id only
of a signed-in (staff) session.
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib.auth import SESSION_KEY

logger = logging.getLogger("portal.requests")

_request_id = contextvars.ContextVar("request_id", default="")
INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_id():
    """The id of the request being answered in this thread, or "" outside one."""
    return _request_id.get()


def path_without_values(request):
    """The path, and the query's parameter names without their values (a search, an email
    address or a token stays out of the log): /recommendations/?q&topic."""
    names = dict.fromkeys(
        name for name, _ in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    )
    return request.path + ("?" + "&".join(names) if names else "")


def signed_in_user_id(request):
    """The signed-in user's id if this request read its session anyway (no query of its own:
    a public page served from the cache never opens the session)."""
    session = getattr(request, "session", None)
    if session is None or not session.accessed:
        return None
    user_id = session.get(SESSION_KEY)
    return int(user_id) if user_id and str(user_id).isdigit() else user_id


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if settings.REQUEST_LOG:
                logger.info(
                    "request",
                    extra={
                        "http": {
                            "method": request.method,
                            "path": path_without_values(request),
                            "status": response.status_code,
                            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                            "user_id": signed_in_user_id(request),
                        }
                    },
                )
            return response
        finally:
            _request_id.reset(token)


class JsonFormatter(logging.Formatter):
    """Each record as one line of JSON: time (UTC), level, logger, message, the request id,
    the request's fields for the request log, the status and traceback of an error."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            # Django logs a 4xx after the middleware has finished: its record holds the request.
            "request_id": current_request_id()
            or getattr(getattr(record, "request", None), "request_id", None),
        }
        http = getattr(record, "http", None)
        if http:
            line.update(http)
        else:
            line["message"] = record.getMessage()
            if isinstance(getattr(record, "status_code", None), int):
                line["status"] = record.status_code
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)
