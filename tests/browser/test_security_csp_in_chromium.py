"""The Content-Security-Policy allows only the site's own files: in a real Chromium, no public
page and no admin page the manager uses breaks a rule (a blocked script or style would leave
the page unstyled or the admin's widgets dead)."""

import pytest

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"  # the factories' password


def watch_for_violations(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


@pytest.mark.django_db(transaction=True)
def test_no_public_page_breaks_the_content_security_policy(live_server, page, okc):
    violations = watch_for_violations(page)
    detail = "/plans/okc-2022/recommendations/1/"
    for path in ["/", "/recommendations/", detail, "/topics/", "/timeline/"]:
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        # The stylesheet applied: the site's own colours, not the browser's defaults.
        assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    for path in ["/about/", "/report/", "/es/"]:
        page.goto(live_server.url + path)
    assert violations == []


@pytest.mark.django_db(transaction=True)
def test_the_admin_works_under_the_content_security_policy(live_server, page, okc):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    violations = watch_for_violations(page)
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#content")
    for path in [
        "/admin/recommendations/recommendation/",
        "/admin/recommendations/recommendation/1/change/",
        "/admin/recommendations/statusupdate/add/",
        "/admin/milestones/milestone/add/",
    ]:
        page.goto(live_server.url + path)
    assert violations == []
