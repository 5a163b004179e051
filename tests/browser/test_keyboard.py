"""The skip link and the recommendation filters work with a keyboard alone."""

import pytest

from recommendations.models import Recommendation


def focused(page):
    return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")


def tab_to(page, element_id, limit=40):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def shown_codes(page):
    return page.locator("li.card").evaluate_all("els => els.map(e => e.dataset.code)")


@pytest.mark.django_db(transaction=True)
def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_the_content(
    live_server, page, okc
):
    page.goto(live_server.url + "/recommendations/")
    page.keyboard.press("Tab")
    assert focused(page) == "Skip to main content"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["height"] >= 24  # visible once focused, and big enough
    page.keyboard.press("Enter")
    assert focused(page) == "main-content"


@pytest.mark.django_db(transaction=True)
def test_a_topic_can_be_chosen_and_applied_with_the_keyboard(live_server, page, okc):
    page.goto(live_server.url + "/recommendations/")
    tab_to(page, "id_topic")
    while page.evaluate("document.activeElement.value") != "youth-outreach":
        page.keyboard.press("ArrowDown")
    # Tab on to the button through the remaining fields, then press it.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "topic=youth-outreach" in page.url
    expected = list(
        Recommendation.objects.published()
        .filter(topic__slug="youth-outreach")
        .values_list("code", flat=True)
    )
    assert shown_codes(page) == expected
    assert page.locator("#id_topic").input_value() == "youth-outreach"


@pytest.mark.django_db(transaction=True)
def test_enter_in_the_search_box_searches(live_server, page, okc):
    page.goto(live_server.url + "/recommendations/")
    tab_to(page, "id_q")
    page.keyboard.type("advisory board")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=advisory+board" in page.url
    assert 0 < len(shown_codes(page)) < Recommendation.objects.count()
