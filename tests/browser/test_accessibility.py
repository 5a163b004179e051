"""axe-core finds no WCAG 2.2 A/AA violation on any public page, in English and in Spanish, on
a desktop or a phone; each page states its language."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.public_paths import PAGE_NAMES, public_paths

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}


def violations(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    return results.violations_count, results.generate_report()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("index", range(len(PAGE_NAMES)), ids=PAGE_NAMES)
def test_no_wcag_violations(live_server, page, phone_page, okc, index, language):
    paths = public_paths()
    assert len(paths) == len(PAGE_NAMES)
    prefix = "" if language == "en" else f"/{language}"
    for tab in (page, phone_page):
        response = tab.goto(live_server.url + prefix + paths[index])
        assert response.status in (200, 400, 404)
        assert tab.locator("html").get_attribute("lang") == language
        # The stylesheet is applied (contrast is checked on the real colours).
        assert tab.evaluate("getComputedStyle(document.body).margin") == "0px"
        count, report = violations(tab)
        assert count == 0, report
