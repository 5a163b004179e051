"""The production server (gunicorn, DEBUG off) behind its TLS proxy: https only, HSTS, secure
cookies, long-cached static files, no debug pages."""

import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from tests import production_server

ADMIN_PASSWORD = "a long and unguessable passphrase"


@pytest.fixture(scope="module")
def server(request):
    return production_server.running(request.config)


def cookies(headers):
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return jar


def test_plain_http_is_redirected_to_https(server):
    status, headers, _ = server.get("/recommendations/?phase=implemented", https=False)
    assert status == 301
    assert headers["Location"] == f"https://{server.host}/recommendations/?phase=implemented"


@pytest.mark.parametrize(
    "path", ["/", "/plans/okc-2022/recommendations/1/", "/admin/login/", "/missing/"]
)
def test_every_https_response_carries_hsts_and_the_security_headers(server, path):
    _, headers, _ = server.get(path)
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self';" in headers["Content-Security-Policy"]
    assert "unsafe" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_an_unknown_host_is_refused(server):
    status, _, _ = server.get("/", headers={"Host": "portal.example.com"})
    assert status == 400


def test_errors_show_no_debug_details(server):
    status, _, body = server.get("/plans/okc-2022/recommendations/9999/")
    assert status == 404
    assert b"DEBUG = True" not in body


def test_the_sign_in_cookies_are_secure_and_the_session_is_out_of_reach_of_scripts(server):
    server.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser('admin', 'admin@example.org', {ADMIN_PASSWORD!r})",
    )
    _, headers, body = server.get("/admin/login/")
    csrf = cookies(headers)["csrftoken"]
    assert csrf["secure"]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    status, headers, _ = server.request(
        "POST",
        "/admin/login/?next=/admin/",
        headers={
            "Cookie": f"csrftoken={csrf.value}",
            "Origin": f"https://{server.host}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=urlencode(
            {"csrfmiddlewaretoken": token, "username": "admin", "password": ADMIN_PASSWORD}
        ),
    )
    assert status == 302
    session = cookies(headers)["sessionid"]
    assert session["secure"]
    assert session["httponly"]


def test_hashed_static_files_are_compressed_and_cached_for_a_year(server):
    _, _, home = server.get("/")
    stylesheet = re.search(rb'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', home).group(1)
    status, headers, _ = server.get(stylesheet.decode(), headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    max_age = int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1))
    assert max_age >= 365 * 24 * 60 * 60
    assert "immutable" in headers["Cache-Control"]


def test_healthz_answers_the_load_balancer_over_plain_http(server):
    status, _, body = server.get("/healthz", https=False)
    assert (status, body) == (200, b"ok\n")
