"""Printed pages keep the content and drop what only works on screen."""

import pytest

from recommendations.models import Recommendation


def shown(page, selector):
    return page.locator(selector).first.evaluate("e => getComputedStyle(e).display") != "none"


@pytest.mark.django_db(transaction=True)
def test_a_printed_recommendation_keeps_its_history_but_not_the_navigation(live_server, page, okc):
    rec = Recommendation.objects.published().first()
    page.goto(live_server.url + rec.get_absolute_url())
    assert shown(page, ".site-header nav") and shown(page, ".pager")
    page.emulate_media(media="print")
    assert not shown(page, ".site-header nav")
    assert not shown(page, ".pager")
    assert shown(page, ".history") and shown(page, ".rec-text")


@pytest.mark.django_db(transaction=True)
def test_a_printed_list_drops_the_filter_form_and_prints_source_addresses(live_server, page, okc):
    page.goto(live_server.url + "/recommendations/")
    page.emulate_media(media="print")
    assert not shown(page, ".filters")
    assert shown(page, ".cards")
    page.goto(live_server.url + "/timeline/")
    source = page.locator('main a[href^="http"]').first
    after = source.evaluate("e => getComputedStyle(e, '::after').content")
    assert source.get_attribute("href") in after
