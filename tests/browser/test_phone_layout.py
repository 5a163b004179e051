"""Every public page reads on a 360 px wide phone without scrolling sideways."""

import pytest

from tests.browser.public_paths import PAGE_NAMES, public_paths


@pytest.mark.django_db(transaction=True)
def test_no_page_scrolls_sideways_at_360_px(live_server, phone_page, okc):
    paths = public_paths()
    assert len(paths) == len(PAGE_NAMES)
    for path in paths:
        phone_page.goto(live_server.url + path)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)


@pytest.mark.django_db(transaction=True)
def test_the_three_counts_sit_side_by_side_on_a_phone(live_server, phone_page, okc):
    phone_page.goto(live_server.url + "/")
    tops = [
        phone_page.locator(f'[data-count="{name}"]').bounding_box()["y"]
        for name in ("total", "started", "implemented")
    ]
    assert max(tops) - min(tops) < 1
