import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from pages.sitemaps import LanguagesSitemap
from tests.factories import RecommendationFactory, StatusUpdateFactory, TopicFactory
from tests.public_pages import SIZES, build_portfolio

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 (our own response)


def sections(client):
    """The index's sitemaps: {address: lastmod}."""
    root = read(client, reverse("sitemap"))
    return {node.findtext(f"{NS}loc"): node.findtext(f"{NS}lastmod") for node in root}


def locations(client):
    """Every address of every section's every page: {address: lastmod}."""
    found = {}
    for section in sections(client):
        for url in read(client, section):
            found[url.findtext(f"{NS}loc")] = url.findtext(f"{NS}lastmod")
    return found


def test_the_sitemap_is_an_index_of_one_sitemap_per_section(client):
    StatusUpdateFactory()
    assert set(sections(client)) == {
        f"http://testserver/sitemap-{name}.xml"
        for name in ("pages", "recommendations", "plans", "topics")
    }


def test_the_sitemap_lists_the_pages_published_recommendations_and_topics(client):
    shown = StatusUpdateFactory().recommendation
    hidden = RecommendationFactory(is_published=False)
    topic = TopicFactory()
    found = locations(client)
    for path in ("/", "/recommendations/", "/topics/", "/timeline/", "/about/"):
        assert f"http://testserver{path}" in found
    assert f"http://testserver{topic.get_absolute_url()}" in found
    assert found[f"http://testserver{shown.get_absolute_url()}"] == "2024-01-15"
    assert f"http://testserver{hidden.get_absolute_url()}" not in found
    assert sections(client)["http://testserver/sitemap-recommendations.xml"] == "2024-01-15"


def test_the_sitemap_lists_each_page_in_spanish_too_with_its_alternates(client):
    shown = StatusUpdateFactory().recommendation
    found = locations(client)
    for path in ("/es/", "/es/recommendations/", "/es/about/", f"/es{shown.get_absolute_url()}"):
        assert f"http://testserver{path}" in found
    root = read(client, "/sitemap-pages.xml")
    english = next(url for url in root if url.findtext(f"{NS}loc") == "http://testserver/about/")
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in english.findall("{http://www.w3.org/1999/xhtml}link")
    }
    assert alternates == {
        "en": "http://testserver/about/",
        "es": "http://testserver/es/about/",
        "x-default": "http://testserver/about/",
    }


def test_a_large_section_is_paged_and_a_page_past_the_last_is_not_found(
    client, make_portfolio, monkeypatch
):
    monkeypatch.setattr(LanguagesSitemap, "limit", 20)
    make_portfolio(39)  # 39 recommendations in two languages: 78 entries, 4 pages of 20
    pages = [s for s in sections(client) if "recommendations" in s]
    assert pages == [
        "http://testserver/sitemap-recommendations.xml",
        *(f"http://testserver/sitemap-recommendations.xml?p={n}" for n in (2, 3, 4)),
    ]
    assert all(len(read(client, page)) <= 20 for page in pages)
    assert len(locations(client)) == 2 * (7 + 1 + 4 + 39)
    assert client.get("/sitemap-recommendations.xml", {"p": 5}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize("size", SIZES)
def test_each_sitemap_runs_a_fixed_number_of_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    build_portfolio(make_portfolio, size)
    # The index counts each section's entries and dates the recommendations': 1 the
    # recommendations, 2 the latest published record's date, 3 the plans, 4 the topics.
    with django_assert_num_queries(4):
        client.get(reverse("sitemap"))
    # A page of the recommendations: 1 their addresses and latest record's dates.
    with django_assert_num_queries(1):
        page = read(client, "/sitemap-recommendations.xml")
    assert len(page) == min(2 * size, LanguagesSitemap.limit)
