"""With the database down, the portal says so at once: /healthz a 503 within 2 s, pages a 503
page with Retry-After within 5 s, the API in JSON; static files never wait for the database.
After a first failure, a server process stops trying the database for DATABASE_RETRY_AFTER
seconds, then lets one request try it for everyone."""

import http.client
import json
import runpy
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.db import connections
from django.test import Client
from psycopg_pool import ConnectionPool

from exports import api
from portal import middleware
from tests import production_server

pytestmark = pytest.mark.django_db

GUNICORN = production_server.GUNICORN


@pytest.fixture(autouse=True)
def _database_taken_as_up():
    yield
    middleware._outage.close()


@pytest.fixture
def client():
    # A 500 comes back as a response here, as a visitor would get it, instead of being raised.
    return Client(raise_request_exception=False)


@pytest.fixture
def database_down():
    """The default connection swapped for one to a database that cannot be reached; yields a
    list of the connection attempts made, and a function that brings the database back."""
    working = connections["default"]
    broken = dict(working.settings_dict)
    if working.vendor == "sqlite":
        broken["NAME"] = "/nonexistent-directory/db.sqlite3"
    else:
        broken.update(HOST="127.0.0.1", PORT="9")  # nothing listens on the discard port
    unreachable = working.__class__(broken, "default")
    attempts = []
    connect = unreachable.get_new_connection

    def counted(params):
        attempts.append(time.monotonic())
        return connect(params)

    unreachable.get_new_connection = counted

    def back():
        connections["default"] = working

    connections["default"] = unreachable
    yield attempts, back
    unreachable.close()
    connections["default"] = working


def test_a_page_is_a_503_with_retry_after_while_the_database_is_down(client, database_down):
    response = client.get("/recommendations/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Please try again in a few minutes." in response.content.decode()


def test_the_503_page_is_in_the_page_language(client, database_down):
    client.get("/")
    response = client.get("/es/")  # refused at once, before the language middleware
    assert response.status_code == 503
    assert 'lang="es"' in response.content.decode()


def test_the_api_says_it_in_json(client, database_down):
    response = client.get("/api/v1/summary")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "database" in response.json()["errors"]["server"][0]


def test_after_a_failure_the_next_requests_do_not_wait_for_the_database(client, database_down):
    attempts, _back = database_down
    client.get("/")
    tried = len(attempts)
    assert tried >= 1
    for url in ("/recommendations/", "/topics/", "/api/v1/plans"):
        assert client.get(url).status_code == 503
    assert len(attempts) == tried


def test_once_the_pause_is_over_one_request_finds_the_database_back(
    client, database_down, settings
):
    _attempts, back = database_down
    settings.DATABASE_RETRY_AFTER = 1
    assert client.get("/").status_code == 503
    back()
    assert client.get("/").status_code == 503  # still within the pause
    time.sleep(1.1)
    assert client.get("/").status_code == 200
    assert client.get("/recommendations/").status_code == 200


def test_healthz_answers_at_once_during_the_pause(client, database_down):
    attempts, _back = database_down
    client.get("/")
    tried = len(attempts)
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (503, b"database unavailable\n")
    assert len(attempts) == tried


def test_healthz_finding_the_database_ends_the_pause(client, database_down, settings):
    _attempts, back = database_down
    settings.DATABASE_RETRY_AFTER = 1
    client.get("/")
    back()
    time.sleep(1.1)
    assert client.get("/healthz").status_code == 200  # the one request that tries
    assert client.get("/").status_code == 200


def test_an_error_in_the_api_is_json(client, okc, monkeypatch):
    def fail(self):
        raise RuntimeError("a bug")

    monkeypatch.setattr(api.SummaryApi, "get_data", fail)
    response = client.get("/api/v1/summary")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"]["server"]


def test_a_method_the_api_does_not_take_is_refused_in_json(client, okc):
    response = client.post("/api/v1/summary")
    assert response.status_code == 405
    assert response.json() == {"errors": {"request": ["Method Not Allowed"]}}
    assert "GET" in response["Allow"]


def production_database_options(monkeypatch, **environ):
    """The database OPTIONS portal/settings.py gives production on PostgreSQL with `environ`."""
    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DATABASE_URL", "postgres://portal@127.0.0.1:5432/portal")
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    settings_file = production_server.ROOT / "portal" / "settings.py"
    return runpy.run_path(str(settings_file))["DATABASES"]["default"]["OPTIONS"]


def test_the_pool_waits_2_seconds_and_a_connection_attempt_2_seconds(monkeypatch):
    options = production_database_options(monkeypatch)
    assert options["pool"]["timeout"] == 2
    assert options["connect_timeout"] == 2


def test_the_pool_wait_is_a_setting(monkeypatch):
    assert production_database_options(monkeypatch, DATABASE_POOL_TIMEOUT="0.5")["pool"] == {
        "min_size": 2,
        "max_size": 8,
        "check": ConnectionPool.check_connection,
        "timeout": 0.5,
        "reconnect_timeout": 5,
    }


# The production server (gunicorn, DEBUG off, the connection pool) in front of a PostgreSQL
# host that accepts connections and never answers: the worst kind of outage.


@pytest.fixture(scope="module")
def hung_database():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)  # connections queue in the kernel; nothing ever answers them
    yield listener.getsockname()[1]
    listener.close()


@pytest.fixture(scope="module")
def server(request, hung_database, tmp_path_factory):
    static_root = production_server.running(request.config).env["STATIC_ROOT"]
    workdir = tmp_path_factory.mktemp("database-down")
    env = production_server.production_env(
        workdir,
        DATABASE_URL=f"postgres://portal@127.0.0.1:{hung_database}/portal",
        STATIC_ROOT=static_root,
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="4",
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (Path(workdir) / "gunicorn.log").open("w")
    process = subprocess.Popen(  # noqa: S603 (the venv's gunicorn, on loopback)
        [GUNICORN, "-c", "portal/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=production_server.ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while get(port, "/static/css/portal.css")[0] != 200:
        assert time.monotonic() < deadline, (Path(workdir) / "gunicorn.log").read_text()
        time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=15)
    log.close()


def get(port, path):
    """(status, headers, body, seconds); status None when the server does not answer."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, response.headers, body, time.monotonic() - started
    except OSError:
        return None, None, b"", time.monotonic() - started
    finally:
        connection.close()


def test_healthz_answers_503_within_2_seconds(server):
    status, _, body, seconds = get(server, "/healthz")
    assert status == 503
    assert body == b"database unavailable\n"
    assert seconds < 2


def test_a_page_answers_503_with_retry_after_within_5_seconds(server):
    status, headers, body, seconds = get(server, "/plans/okc-2022/recommendations/1/")
    assert status == 503
    assert headers["Retry-After"] == "5"
    assert b"Please try again" in body
    assert seconds < 5
    status, headers, body, seconds = get(server, "/api/v1/summary")
    assert (status, headers["Content-Type"]) == (503, "application/json")
    assert json.loads(body)["errors"]["server"]
    assert seconds < 5


def test_static_files_do_not_wait_behind_requests_for_the_database(server):
    get(server, "/")  # the outage as the server knows it once a request has met it
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(get(server, "/recommendations/")))
        for _ in range(10)
    ]
    for thread in threads:
        thread.start()
    status, _, _, seconds = get(server, "/static/css/portal.css")
    for thread in threads:
        thread.join()
    assert status == 200
    assert seconds < 1
    assert [r[0] for r in results] == [503] * 10
    assert max(r[3] for r in results) < 5
