"""The progress chart in a real Chromium, with its month-by-month table opened: accessible, no
sideways scroll on a 360 px phone in English and Spanish, and the table prints unopened."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from plans.models import Plan
from recommendations.models import Topic
from tests.browser.test_accessibility import AXE_OPTIONS

OPEN_THE_TABLES = "document.querySelectorAll('details.chart-figures').forEach(d => d.open = true)"


def paths():
    plan, topic = Plan.objects.get(), Topic.objects.first()
    return ["/", "/report/", plan.get_absolute_url(), topic.get_absolute_url()]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prefix", ["", "/es"], ids=["en", "es"])
def test_with_its_table_open_the_chart_is_accessible_and_fits_a_phone(
    live_server, page, phone_page, okc, prefix
):
    for path in paths():
        for tab in (page, phone_page):
            tab.goto(live_server.url + prefix + path)
            tab.evaluate(OPEN_THE_TABLES)
            assert tab.locator(".chart-table tbody tr").first.is_visible(), path
            results = Axe().run(tab, options=AXE_OPTIONS)
            assert results.violations_count == 0, results.generate_report()
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360, path


@pytest.mark.django_db(transaction=True)
def test_the_chart_and_its_table_print_without_opening_it(live_server, page, okc):
    # The report prints the figures on a page of their own, after the notes.
    for path, printed in (("/", ".chart-table"), ("/report/", ".chart-figures-in-print")):
        page.goto(live_server.url + path)
        assert not page.locator(".chart-table").is_visible()
        page.emulate_media(media="print")
        assert page.locator(".chart-svg").is_visible()
        assert page.locator(f"{printed} tbody tr").last.is_visible(), path
        page.emulate_media(media="screen")
