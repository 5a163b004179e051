import re

import pytest
from django.urls import reverse

from recommendations.models import Recommendation, Topic
from tests.factories import RecommendationFactory, TopicFactory, UserFactory
from tests.public_pages import SIZES, build_portfolio

pytestmark = pytest.mark.django_db

URL = reverse("pages:topic-list")


def test_every_topic_is_listed_with_its_progress_and_a_link_to_its_recommendations(client, okc):
    html = client.get(URL).content.decode()
    for topic in Topic.objects.all():
        p = Recommendation.objects.published().filter(topic=topic).progress()
        assert topic.get_absolute_url() in html
        assert f"{p.implemented} of {p.total} implemented, {p.implemented_percent}%" in html
        assert f"Its {p.total} recommendations" in html


def test_the_overview_lists_no_recommendation_its_topics_pages_do(client, okc):
    html = client.get(URL).content.decode()
    assert not re.findall(r'href="/plans/[^/]+/recommendations/[^/]+/"', html)


def test_a_topic_with_no_recommendation_shows_zero(client):
    TopicFactory(name="Communications")
    html = client.get(URL).content.decode()
    assert "Communications" in html
    assert "0 of 0 implemented, 0%" in html


def test_unpublished_recommendations_are_not_counted_even_for_staff(client):
    shown = RecommendationFactory()
    RecommendationFactory(topic=shown.topic, is_published=False)
    client.force_login(UserFactory(is_staff=True))
    html = client.get(URL).content.decode()
    assert "0 of 1 implemented" in html


@pytest.mark.parametrize("size", SIZES)
def test_the_topics_page_runs_a_fixed_number_of_queries_and_does_not_grow(
    client, make_portfolio, django_assert_num_queries, size
):
    build_portfolio(make_portfolio, size)
    # 1 the topics with their plan, 2 the counts by topic, 3 the city.
    with django_assert_num_queries(3):
        response = client.get(URL)
    html = response.content.decode()
    assert html.count('class="topic"') == Topic.objects.count()
    assert not re.findall(r'href="/plans/[^/]+/recommendations/[^/]+/"', html)
