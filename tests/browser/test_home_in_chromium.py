import pytest


@pytest.mark.django_db(transaction=True)
def test_home_shows_the_counts_in_a_real_browser(live_server, page, okc):
    page.goto(live_server.url + "/")
    assert page.locator('[data-count="total"]').inner_text() == "39"
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.django_db(transaction=True)
def test_home_reads_on_a_phone(live_server, phone_page, okc):
    phone_page.goto(live_server.url + "/")
    assert phone_page.locator('[data-count="implemented"]').inner_text() == "17"
