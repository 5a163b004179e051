"""Every public page reads on a 360 px wide phone without scrolling sideways."""

import pytest

from tests.browser.public_paths import PAGE_NAMES, public_paths


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prefix", ["", "/es"], ids=["en", "es"])
def test_no_page_scrolls_sideways_at_360_px(live_server, phone_page, okc, prefix):
    paths = public_paths()
    assert len(paths) == len(PAGE_NAMES)
    for path in (prefix + path for path in paths):
        phone_page.goto(live_server.url + path)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("home", ["/", "/es/"])
def test_on_a_phone_each_count_label_stays_on_one_line(live_server, phone_page, okc, home):
    phone_page.goto(live_server.url + home)
    for name in ("total", "started", "implemented"):
        label = phone_page.locator(f'a:has([data-count="{name}"]) span')
        line = label.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
        assert label.bounding_box()["height"] < 1.5 * line, f"{name} wraps"
