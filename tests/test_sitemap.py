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


@pytest.mark.parametrize("size", SIZES)
def test_the_sitemap_runs_a_fixed_number_of_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    build_portfolio(make_portfolio, size)
    # The sitemap paginates: 1 how many recommendations, 2 that page of them with their latest
    # record's date, 3 how many topics, 4 that page of them.
    with django_assert_num_queries(4):
        assert len(locations(client)) == 5 + 4 + size
