import re

import pytest
from django.urls import reverse

from recommendations.models import Recommendation, Topic
from tests.factories import RecommendationFactory, TopicFactory, UserFactory
from tests.public_pages import SIZES, build_portfolio

pytestmark = pytest.mark.django_db

URL = reverse("pages:topic-list")


def test_every_topic_is_listed_with_its_progress_and_its_recommendations(client, okc):
    html = client.get(URL).content.decode()
    for topic in Topic.objects.all():
        p = Recommendation.objects.published().filter(topic=topic).progress()
        assert topic.get_absolute_url() in html
        assert f"{p.implemented} of {p.total} implemented, {p.implemented_percent}%" in html
    for rec in Recommendation.objects.published():
        assert rec.get_absolute_url() in html


def test_a_topic_with_no_recommendation_shows_zero(client):
    TopicFactory(name="Communications")
    html = client.get(URL).content.decode()
    assert "Communications" in html
    assert "0 of 0 implemented, 0%" in html


def test_unpublished_recommendations_are_listed_only_for_staff(client):
    hidden = RecommendationFactory(is_published=False)
    assert hidden.get_absolute_url() not in client.get(URL).content.decode()
    client.force_login(UserFactory(is_staff=True))
    html = client.get(URL).content.decode()
    assert hidden.get_absolute_url() in html
    assert "Unpublished" in html


@pytest.mark.parametrize("size", SIZES)
def test_the_topics_page_runs_a_fixed_number_of_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    build_portfolio(make_portfolio, size)
    # 1 the topics with their plan, 2 the counts by topic, 3 the recommendations with their
    # figures and plan, 4 their current records with their status, 5 the city.
    with django_assert_num_queries(5):
        response = client.get(URL)
    html = response.content.decode()
    assert len(re.findall(r'href="/plans/[^/]+/recommendations/[^/]+/"', html)) == size
