"""The language switcher is a plain link: it works without JavaScript and keeps the filters."""

import pytest


@pytest.fixture
def no_script_page(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.django_db(transaction=True)
def test_switching_language_keeps_the_page_and_its_filters(live_server, no_script_page, okc):
    page = no_script_page
    page.goto(live_server.url + "/recommendations/?phase=implemented")
    english_cards = page.locator("li.card").count()
    page.get_by_role("link", name="Español").click()
    assert page.url == live_server.url + "/es/recommendations/?phase=implemented"
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Recomendaciones: Fase “Implementada”"
    assert page.locator("#id_phase").input_value() == "implemented"
    assert page.locator("li.card").count() == english_cards
    page.get_by_role("link", name="English").click()
    assert page.url == live_server.url + "/recommendations/?phase=implemented"
    assert page.locator("html").get_attribute("lang") == "en"
