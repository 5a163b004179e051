"""Each request writes one JSON line with its id (returned as X-Request-ID and printed on the
error pages, so that a resident can quote it); an error's traceback is logged under the same
id; nothing a resident typed reaches the log."""

import io
import json
import logging

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from portal.request_log import JsonFormatter
from tests.factories import RecommendationFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """Every line the portal logs during the test, as the JSON the servers write."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(name) for name in ("", "portal.requests", "django")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
    logging.getLogger("portal.requests").setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "portal.requests"]


def test_each_request_writes_one_json_line_with_its_id(client, log_lines):
    response = client.get("/recommendations/", {"q": "crisis line", "page": "1"})
    [line] = request_lines(log_lines())
    assert response["X-Request-ID"] == line["request_id"]
    assert len(line["request_id"]) == 32
    assert (line["method"], line["status"]) == ("GET", 200)
    assert line["path"] == "/recommendations/?q&page"  # names, not what was searched
    assert "crisis" not in json.dumps(line)
    assert isinstance(line["duration_ms"], float)
    assert line["user_id"] is None
    assert line["time"].endswith("+00:00")


def test_two_requests_have_different_ids(client):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


def test_the_proxys_request_id_is_kept_when_it_looks_like_one(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="nginx-4f2a9c01")["X-Request-ID"] == (
        "nginx-4f2a9c01"
    )
    made_up = client.get("/healthz", HTTP_X_REQUEST_ID='x"}, {"admin": true')["X-Request-ID"]
    assert made_up != 'x"}, {"admin": true' and len(made_up) == 32


def test_a_staff_request_names_the_user(manager, manager_client, log_lines):
    manager_client.get(reverse("admin:index"))
    [line] = request_lines(log_lines())
    assert line["user_id"] == manager.pk


def test_a_missing_page_shows_the_reference_of_its_log_line(client, log_lines):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    reference = response["X-Request-ID"]
    assert f"quote this reference: <code>{reference}</code>" in response.content.decode()
    assert [line["request_id"] for line in request_lines(log_lines())] == [reference]


def test_a_500_page_shows_the_id_its_traceback_was_logged_under(log_lines, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the report broke")

    monkeypatch.setattr("pages.views.HomeView.get", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    reference = response["X-Request-ID"]
    assert f"<code>{reference}</code>" in response.content.decode()
    lines = log_lines()
    [error] = [line for line in lines if line["logger"] == "django.request"]
    assert error["request_id"] == reference
    assert error["status"] == 500
    assert "RuntimeError: the report broke" in error["traceback"]
    assert [line["status"] for line in request_lines(lines)] == [500]


def test_no_residents_address_or_feedback_text_reaches_the_log(client, log_lines, settings):
    caches["default"].clear()
    address, words = "resident.private@example.org", "my neighbour at 12 Elm Street"
    rec = StatusUpdateFactory().recommendation
    feedback = f"/plans/{rec.plan.slug}/recommendations/{rec.code}/feedback/"
    assert client.post(feedback, {"message": words, "email": address}).status_code in (200, 302)
    follow = reverse("pages:recommendation-follow", args=[rec.plan.slug, rec.code])
    response = client.post(follow, {"email": address, "frequency": "daily", "website": ""})
    assert response.status_code in (200, 302)
    # A refused form and a query string carrying an address too.
    client.post(follow, {"email": "not an address " + address, "frequency": "sometimes"})
    client.get("/recommendations/", {"q": address})
    other = RecommendationFactory()
    client.post(f"/plans/{other.plan.slug}/recommendations/{other.code}/feedback/", {})
    logged = json.dumps(log_lines())
    assert len(request_lines(log_lines())) == 5
    assert address not in logged and "resident.private" not in logged
    assert "Elm Street" not in logged
