"""The second factor in a real Chromium, as docs/manager-guide.md tells it: the first sign-in
sets up an authenticator app (QR code or typed key) and shows the backup codes; the next asks
for the app's code. Its screenshots illustrate the guide (see `shots` in conftest.py):

    GUIDE_SCREENSHOTS=docs/img .venv/bin/pytest tests/browser/test_second_factor_in_chromium.py
"""

import base64

import pytest
from django_otp.oath import totp

from tests.browser.test_accessibility import violations
from tests.browser.test_manager_guide import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def app_code(secret, steps_ahead=0):
    """What the authenticator app shows for the typed key, now or a 30-second step later."""
    key = secret.replace(" ", "")
    key = base64.b32decode(key + "=" * (-len(key) % 8))
    return f"{totp(key, t0=-30 * steps_ahead):06d}"


def sign_in_with_password(page, live_server, manager):
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("#id_username", manager.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_enrolment_then_sign_in_with_a_code(live_server, page, manager, shots):
    sign_in_with_password(page, live_server, manager)
    page.wait_for_selector("#secret")
    assert page.locator(".qr-code svg").is_visible()
    count, report = violations(page)
    assert count == 0, report
    shots(page, "16-second-factor-set-up")

    secret = page.inner_text("#secret")
    page.fill("#id_token", app_code(secret))
    page.click("input[type=submit]")
    page.wait_for_selector("#backup-codes")
    assert page.locator("#backup-codes li").count() == 10
    shots(page, "17-backup-codes")

    page.click("text=continue")
    page.wait_for_selector("#weekly-update")

    page.click("#logout-form button")
    sign_in_with_password(page, live_server, manager)
    page.wait_for_selector("#id_token")
    assert "6-digit code" in page.inner_text("main")
    count, report = violations(page)
    assert count == 0, report
    page.fill("#id_token", app_code(secret, steps_ahead=1))
    shots(page, "18-second-step")
    page.click("input[type=submit]")
    page.wait_for_selector("#weekly-update")


def test_a_wrong_code_is_refused_with_a_clear_message(live_server, page, manager):
    sign_in_with_password(page, live_server, manager)
    page.wait_for_selector("#secret")
    page.fill("#id_token", "000000")
    page.click("input[type=submit]")
    page.wait_for_selector("#token-errors")
    assert "That code is not right" in page.inner_text("#token-errors")
    assert page.get_attribute("#id_token", "aria-invalid") == "true"
