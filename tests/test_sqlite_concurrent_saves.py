"""SQLite, the embedded default, takes 20 admin saves at the same moment without an error: each
save waits its turn (IMMEDIATE transactions, a busy timeout), and pages read meanwhile (WAL).

The production server (gunicorn, 2 processes x 10 threads) on a SQLite file holding the
Oklahoma City data; one signed-in session posts 20 recommendations' change forms at once."""

import http.client
import re
import socket
import sqlite3
import subprocess
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils import timezone
from django_otp.oath import totp

from tests import production_server
from tests.admin_forms import form_data

SAVES = 20
PASSWORD = "a long and unguessable passphrase"
APP_KEY = "3132333435363738393031323334353637383930"  # the authenticator app's secret, in hex


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    shared = production_server.running(request.config)
    workdir = tmp_path_factory.mktemp("sqlite-saves")
    database = workdir / "db.sqlite3"
    with (
        sqlite3.connect(shared.workdir / "db.sqlite3") as source,
        sqlite3.connect(database) as copy,
    ):
        source.backup(copy)
        add_superuser(copy)
        rows = copy.execute("SELECT id FROM recommendations_recommendation ORDER BY id")
        ids = [pk for (pk,) in rows][:SAVES]
    env = production_server.production_env(
        workdir,
        DATABASE_URL=f"sqlite:///{database}",
        STATIC_ROOT=shared.env["STATIC_ROOT"],
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="10",
    )
    port = free_port()
    log = (workdir / "gunicorn.log").open("w")
    process = subprocess.Popen(  # noqa: S603 (the venv's gunicorn, on loopback)
        [production_server.GUNICORN, "-c", "portal/gunicorn.conf.py"]
        + ["--bind", f"127.0.0.1:{port}"],
        cwd=production_server.ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    client = HttpClient(port)
    deadline = time.monotonic() + 30
    while client.request("GET", "/healthz").status != 200:
        assert time.monotonic() < deadline, (workdir / "gunicorn.log").read_text()
        time.sleep(0.2)
    yield SimpleNamespace(client=client, ids=ids, database=database, log=workdir / "gunicorn.log")
    process.terminate()
    process.wait(timeout=15)
    log.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def add_superuser(db):
    password = PBKDF2PasswordHasher().encode(PASSWORD, "faultsalt0123456")
    now = timezone.now().isoformat()
    db.execute(
        "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,"
        " is_staff, is_active, date_joined) VALUES (?, 1, 'chief', '', '', '', 1, 1, ?)",
        (password, now),
    )
    # Staff confirm each sign-in with an authenticator app (DEBUG off): the chief has one.
    db.execute(
        "INSERT INTO otp_totp_totpdevice (user_id, name, confirmed, throttling_failure_count,"
        " created_at, key, step, t0, digits, tolerance, drift, last_t)"
        " SELECT id, 'Authenticator app', 1, 0, ?, ?, 30, 0, 6, 1, 0, -1"
        " FROM auth_user WHERE username = 'chief'",
        (now, APP_KEY),
    )


class HttpClient:
    """One browser: its cookies, over the TLS proxy's headers."""

    def __init__(self, port):
        self.port, self.host = port, f"127.0.0.1:{port}"
        self.cookies = SimpleCookie()
        self.lock = threading.Lock()

    def request(self, method, path, data=None):
        headers = {"Host": self.host, "X-Forwarded-Proto": "https"}
        with self.lock:
            cookie = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        if cookie:
            headers["Cookie"] = cookie
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.host}"
            headers["Referer"] = f"https://{self.host}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.content = response.read()
        except OSError as error:
            return SimpleNamespace(status=None, content=str(error).encode(), headers={})
        finally:
            connection.close()
        with self.lock:
            for value in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(value)
        return response

    def sign_in(self):
        page = self.request("GET", "/admin/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)[1]
        data = {"username": "chief", "password": PASSWORD, "next": "/admin/"}
        response = self.request(
            "POST", "/admin/login/", {**data, "csrfmiddlewaretoken": token.decode()}
        )
        assert response.status == 302, response.content[:500]
        # The admin asks for the second step: the code the chief's app shows now.
        second_step = self.request("GET", "/admin/").headers["Location"]
        page = self.request("GET", second_step)
        assert page.status == 200, page.content[:500]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)[1]
        code = f"{totp(bytes.fromhex(APP_KEY)):06d}"
        data = {"token": code, "next": "/admin/", "csrfmiddlewaretoken": token.decode()}
        response = self.request("POST", second_step, data)
        assert response.status == 302, response.content[:500]
        assert self.request("GET", "/admin/").status == 200


def all_at_once(function, items):
    results = [None] * len(items)
    start = threading.Barrier(len(items))

    def run(index, item):
        start.wait()
        results[index] = function(item)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_20_simultaneous_admin_saves_all_succeed(server):
    client = server.client
    client.sign_in()
    change = "/admin/recommendations/recommendation/{}/change/"

    def opened(pk):
        page = client.request("GET", change.format(pk))
        assert page.status == 200
        data = form_data(page, "recommendation_form")
        data["title"] = f"{data['title']} (checked)"
        return data

    forms = dict(zip(server.ids, all_at_once(opened, server.ids), strict=True))

    # Meanwhile a visitor reads pages, each change making them new.
    done, reads = threading.Event(), []
    visitor = HttpClient(client.port)

    def read():
        while not done.is_set():
            reads.append(visitor.request("GET", "/recommendations/").status)

    reader = threading.Thread(target=read)
    reader.start()
    responses = all_at_once(
        lambda pk: client.request("POST", change.format(pk), forms[pk]), server.ids
    )
    done.set()
    reader.join()

    statuses = [response.status for response in responses]
    assert statuses == [302] * SAVES, Path(server.log).read_text()[-3000:]
    assert reads and set(reads) == {200}
    with sqlite3.connect(server.database) as db:
        titles = dict(db.execute("SELECT id, title FROM recommendations_recommendation"))
        assert all(titles[pk].endswith("(checked)") for pk in server.ids)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
