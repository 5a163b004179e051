"""/healthz tells a load balancer whether this server can reach its database."""

import pytest
from django.db import connections

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable_database():
    """The default connection swapped for one to a database that cannot be reached."""
    working = connections["default"]
    broken = dict(working.settings_dict)
    if working.vendor == "sqlite":
        broken["NAME"] = "/nonexistent-directory/db.sqlite3"
    else:
        broken.update(HOST="127.0.0.1", PORT="9")  # nothing listens on the discard port
    unreachable = working.__class__(broken, "default")
    connections["default"] = unreachable
    yield
    unreachable.close()
    connections["default"] = working


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_answers_503_when_the_database_does_not(client, unreachable_database):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"


def test_healthz_is_never_cached(client, page_cache):
    client.get("/healthz")
    response = client.get("/healthz")
    assert "no-store" in response["Cache-Control"]
    assert "ETag" not in response


def test_healthz_answers_over_plain_http_when_everything_else_redirects(client, settings):
    # Load balancers probe the app server directly, without TLS.
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200
