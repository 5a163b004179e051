"""Every response carries the security headers; development still works over plain http."""

import pytest

pytestmark = pytest.mark.django_db

PATHS = ["/", "/recommendations/", "/no-such-page/", "/admin/login/", "/healthz"]


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


@pytest.mark.parametrize("path", PATHS)
def test_every_response_has_a_content_security_policy_without_inline_scripts(client, okc, path):
    directives = csp_directives(client.get(path))
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in value for values in directives.values() for value in values)


@pytest.mark.parametrize("path", PATHS)
def test_every_response_forbids_sniffing_framing_and_cross_site_referrers(client, okc, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_page_served_from_the_cache_has_the_same_security_headers(client, okc, page_cache):
    fresh = client.get("/")
    cached = client.get("/")
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert cached[header] == fresh[header]


def test_development_serves_plain_http_on_127_0_0_1(client, okc):
    # DEBUG is on by default: no redirect to https, no HSTS, cookies usable over http.
    response = client.get("/", headers={"Host": "127.0.0.1:8000"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response
    assert "Secure" not in str(client.get("/admin/login/").cookies)
