"""The page cache keeps each language's page under its own address: a Spanish page is never
served for an English address, nor the other way round."""

import pytest

from tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db


def language_of(response):
    html = response.content.decode()
    return "es" if '<html lang="es">' in html else "en" if '<html lang="en">' in html else None


@pytest.mark.parametrize("first", ["/about/", "/es/about/"])
def test_each_language_is_cached_under_its_own_address(client, page_cache, first):
    client.get(first)  # cached first
    english, spanish = client.get("/about/"), client.get("/es/about/")
    assert (language_of(english), language_of(spanish)) == ("en", "es")
    english, spanish = client.get("/about/"), client.get("/es/about/")
    assert english["X-Page-Cache"] == spanish["X-Page-Cache"] == "hit"
    assert (language_of(english), language_of(spanish)) == ("en", "es")
    assert english["Content-Language"] == "en" and spanish["Content-Language"] == "es"


def test_a_browser_asking_for_spanish_still_gets_the_english_page_at_an_english_address(
    client, page_cache
):
    client.get("/es/about/", headers={"accept-language": "es"})
    response = client.get("/about/", headers={"accept-language": "es"})
    assert language_of(response) == "en"
    response = client.get("/about/", headers={"accept-language": "es"})
    assert response["X-Page-Cache"] == "hit"
    assert language_of(response) == "en"


def test_the_query_string_keeps_filtered_pages_apart_in_both_languages(client, page_cache):
    rec = RecommendationFactory(title="Fewer fines", title_es="Menos multas")
    # Each page searches its own language; "thing" is in the (untranslated) text of both.
    pages = {
        "/recommendations/?q=thing": "Fewer fines",
        "/es/recommendations/?q=thing": "Menos multas",
        "/es/recommendations/?q=multas": "Menos multas",
    }
    for _ in range(2):  # rendered, then from the cache
        for path, title in pages.items():
            html = client.get(path).content.decode()
            assert title in html, path
            assert f'data-code="{rec.code}"' in html
