"""The weekly update screen in a real Chromium, as the manager: filter, fill three rows, save
once; and on a phone, nothing scrolls sideways. Its screenshots illustrate
docs/manager-guide.md (see `shots` in conftest.py)."""

import pytest

from recommendations.models import StatusUpdate
from tests.browser.test_manager_guide import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, manager):
    page.goto(live_server.url + "/admin/login/?next=/admin/weekly/")
    page.fill("#id_username", manager.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector(".weekly-table")


def test_three_rows_saved_in_one_submit(live_server, page, okc, manager, shots):
    sign_in(page, live_server, manager)
    page.select_option("#id_topic", "youth-outreach")
    page.click("text=Show")
    page.wait_for_selector(".weekly-table")
    rows = page.locator(".weekly-table tbody tr")
    codes = [rows.nth(i).locator("th a").inner_text().split(".")[0] for i in range(3)]
    for i in range(3):
        row = rows.nth(i)
        row.locator("select[name$='-status']").select_option(label="Planning")
        row.locator("textarea[name$='-note']").fill(f"Plan adopted for {codes[i]}.")
    shots(page, "11-weekly-screen")
    page.click("input[value='Save the filled rows']")
    page.wait_for_selector(".messagelist .success")
    assert "3 new status records saved." in page.inner_text(".messagelist")
    shots(page, "12-weekly-saved")
    saved = StatusUpdate.objects.filter(created_by=manager)
    assert sorted(u.recommendation.code for u in saved) == sorted(codes)


def test_on_a_phone_the_screen_does_not_scroll_sideways(live_server, phone_page, okc, manager):
    sign_in(phone_page, live_server, manager)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
