"""The language is in the address: English at /..., Spanish at /es/...; every page links to
itself in the other language (plain links, no JavaScript) and names its alternates."""

import re

import pytest

from tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db


def switcher_links(html):
    nav = re.search(r'<nav class="languages"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'<a href="([^"]*)" hreflang="(\w+)" lang="(\w+)">([^<]*)</a>', nav)


def alternates(html):
    """{hreflang: address} of the page's alternate-language links."""
    links = re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]*)">', html)
    return dict(links)


def test_english_is_at_the_plain_address_and_spanish_under_es(client):
    english = client.get("/about/")
    spanish = client.get("/es/about/")
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="es">' in spanish.content.decode()
    assert english["Content-Language"] == "en"
    assert spanish["Content-Language"] == "es"


def test_the_browsers_language_does_not_choose_the_page(client):
    english = client.get("/about/", headers={"accept-language": "es"})
    spanish = client.get("/es/about/", headers={"accept-language": "en"})
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="es">' in spanish.content.decode()
    # Both are the same for every visitor, so shared caches may keep them.
    for response in (english, spanish):
        assert "accept-language" not in response.get("Vary", "").lower()


def test_the_switcher_links_to_the_same_page_in_the_other_language(client):
    html = client.get("/about/").content.decode()
    assert switcher_links(html) == [("/es/about/", "es", "es", "Español")]
    html = client.get("/es/about/").content.decode()
    assert switcher_links(html) == [("/about/", "en", "en", "English")]


def test_the_switcher_keeps_the_filters(client):
    html = client.get("/recommendations/?phase=started&q=officers").content.decode()
    assert switcher_links(html)[0][0] == "/es/recommendations/?phase=started&amp;q=officers"
    html = client.get("/es/recommendations/?phase=started").content.decode()
    assert switcher_links(html)[0][0] == "/recommendations/?phase=started"


def test_every_page_names_both_languages_and_the_default_as_alternates(client):
    rec = RecommendationFactory()
    path = rec.get_absolute_url()
    for address in (path, f"/es{path}"):
        html = client.get(address).content.decode()
        assert alternates(html) == {
            "en": f"http://testserver{path}",
            "es": f"http://testserver/es{path}",
            "x-default": f"http://testserver{path}",
        }


def test_a_missing_spanish_page_is_a_spanish_404_that_links_to_english(client):
    response = client.get("/es/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Página no encontrada" in html
    assert switcher_links(html) == [("/no-such-page/", "en", "en", "English")]


@pytest.mark.parametrize("path", ["/healthz", "/robots.txt", "/sitemap.xml"])
def test_the_probes_robots_and_sitemap_have_one_address(client, path):
    assert client.get(path).status_code == 200
    assert client.get(f"/es{path}").status_code == 404


def test_the_admin_stays_in_english_at_one_address(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    assert client.get("/es/admin/login/").status_code == 404


def test_the_feed_and_the_open_data_pages_come_in_both_languages(client):
    for path in ("/feeds/updates/", "/report/", "/data/"):
        assert client.get(path).status_code == 200
        assert client.get(f"/es{path}").status_code == 200
    assert 'xml:lang="es"' in client.get("/es/feeds/updates/").content.decode()
