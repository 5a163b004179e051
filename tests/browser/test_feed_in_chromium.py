"""Following a recommendation in a real Chromium, as a resident: from its page to the follow
page, which says what a feed is and gives the address to copy; the feed itself is Atom."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("prefix", "link", "explainer"),
    [
        ("", "Follow this recommendation", "This is a news feed"),
        ("/es", "Seguir esta recomendación", "Esto es un canal de noticias"),
    ],
)
def test_a_resident_finds_how_to_follow_a_recommendation(
    live_server, page, okc, prefix, link, explainer
):
    page.goto(f"{live_server.url}{prefix}/plans/okc-2022/recommendations/1/")
    page.click(f"text={link}")
    page.wait_for_selector("#feed-address")
    assert explainer in page.inner_text("main")
    address = page.input_value("#feed-address")
    assert address.endswith(f"{prefix}/feeds/plans/okc-2022/recommendations/1/")
    response = page.request.get(address)
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert page.locator("ol.history li").count() >= 1
