import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories import RecommendationFactory, StatusUpdateFactory, TopicFactory
from tests.public_pages import SIZES, build_portfolio

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(client):
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    return {url.find(f"{NS}loc").text: url.findtext(f"{NS}lastmod") for url in root}


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


def test_the_sitemap_lists_each_page_in_spanish_too_with_its_alternates(client):
    shown = StatusUpdateFactory().recommendation
    found = locations(client)
    for path in ("/es/", "/es/recommendations/", "/es/about/", f"/es{shown.get_absolute_url()}"):
        assert f"http://testserver{path}" in found
    root = ET.fromstring(client.get(reverse("sitemap")).content)  # noqa: S314
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


@pytest.mark.parametrize("size", SIZES)
def test_the_sitemap_runs_a_fixed_number_of_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    build_portfolio(make_portfolio, size)
    # Each section is read once and listed in both languages: 1 the recommendations with their
    # plan and latest record's date, 2 the plans, 3 the topics.
    with django_assert_num_queries(3):
        # Every page twice, in English and in Spanish: the 7 fixed pages (home, list, topics,
        # timeline, about, contact, accessibility), the plan, the 4 topics, the recommendations.
        assert len(locations(client)) == 2 * (7 + 1 + 4 + size)
