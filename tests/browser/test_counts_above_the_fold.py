"""On a 360 x 740 phone the home page's three counts show without scrolling, in every
language (the first thing a resident asks: how far has the city come?)."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_counts_are_above_the_fold_on_a_phone(live_server, phone_page, okc, language):
    prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
    phone_page.goto(f"{live_server.url}{prefix}/")
    counts = phone_page.locator("#overall-heading ~ ul.counts").first.bounding_box()
    assert counts is not None
    assert counts["y"] + counts["height"] <= 740, counts
    assert phone_page.evaluate("window.scrollY") == 0
