"""The report and the /data/ page in a real Chromium: accessible, readable on a phone, and the
report prints without the site's menus or its form."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from plans.models import Plan
from tests.browser.test_accessibility import AXE_OPTIONS

PATHS = [
    "/report/?as_of=2025-10-01&since=2022-01-01",  # every status change since the start
    "/report/?topic=youth-outreach",
    "/report/?plan=okc-2022",
    "/data/",
    "/export/recommendations.csv?as_of=tomorrow",  # the 400 page
    "/es/report/?as_of=2025-10-01&since=2022-01-01",
    "/es/data/",
]


def shown(page, selector):
    return page.locator(selector).first.evaluate("e => getComputedStyle(e).display") != "none"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", PATHS)
def test_no_wcag_violations_on_a_desktop_or_a_phone(live_server, page, phone_page, okc, path):
    for tab in (page, phone_page):
        tab.goto(live_server.url + path)
        results = Axe().run(tab, options=AXE_OPTIONS)
        assert results.violations_count == 0, results.generate_report()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", PATHS)
def test_nothing_scrolls_sideways_at_360_px(live_server, phone_page, okc, path):
    phone_page.goto(live_server.url + path)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.django_db(transaction=True)
def test_the_report_of_several_plans_is_accessible_on_a_desktop_and_a_phone(
    live_server, page, phone_page, okc
):
    call_command("loaddata", "pilots", verbosity=0)
    plans = Plan.objects.published().count()
    for tab in (page, phone_page):
        tab.goto(live_server.url + "/report/?since=2022-01-01")
        assert tab.locator("#topics-table .plan-row").count() == plans
        results = Axe().run(tab, options=AXE_OPTIONS)
        assert results.violations_count == 0, results.generate_report()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.django_db(transaction=True)
def test_the_printed_report_drops_menus_and_form_and_keeps_every_table(live_server, page, okc):
    page.goto(live_server.url + PATHS[0])
    assert shown(page, ".site-header") and shown(page, ".report-options")
    page.emulate_media(media="print")
    for selector in (".site-header", ".site-footer", ".report-options", ".skip-link"):
        assert not shown(page, selector), selector
    assert page.locator("#topics-table").is_visible()
    assert page.locator("#changes-table").is_visible()
    assert page.locator(".recommendations-table").count() > 1
    # Column headings repeat at the top of each printed page.
    assert page.locator("#changes-table thead").evaluate("e => getComputedStyle(e).display") == (
        "table-header-group"
    )


@pytest.mark.django_db(transaction=True)
def test_the_report_saves_as_a_pdf(live_server, page, okc):
    page.goto(live_server.url + PATHS[0])
    pdf = page.pdf(format="Letter")
    assert pdf.startswith(b"%PDF")
    assert (
        pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page\r") + pdf.count(b"/Type /Page>") >= 1
    )


@pytest.mark.django_db(transaction=True)
def test_the_report_form_changes_the_dates_without_javascript(live_server, browser, okc):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(live_server.url + "/report/")
    tab.fill("#as_of", "2024-01-01")
    tab.fill("#since", "2023-01-01")
    tab.click("button[type=submit]")
    assert "as_of=2024-01-01" in tab.url and "since=2023-01-01" in tab.url
    assert "As of Jan. 1, 2024" in tab.locator(".report-date").inner_text()
    context.close()
