import pytest

from pages.views import RECOMMENDATIONS_PER_PAGE
from recommendations.models import Recommendation
from tests.factories import RecommendationFactory, StatusUpdateFactory, UserFactory, status
from tests.public_pages import SIZES, build_portfolio, cards

pytestmark = pytest.mark.django_db


def test_a_topic_shows_its_progress_and_only_its_recommendations(client):
    done = StatusUpdateFactory(status=status("full-implementation")).recommendation
    topic = done.topic
    waiting = RecommendationFactory(topic=topic)
    RecommendationFactory()  # another topic
    response = client.get(topic.get_absolute_url())
    html = response.content.decode()
    assert topic.name in html
    assert "1 of 2 implemented, 50%" in html
    assert cards(response) == [done.code, waiting.code]


def test_unpublished_recommendations_are_neither_counted_nor_listed_for_the_public(client):
    shown = RecommendationFactory()
    RecommendationFactory(topic=shown.topic, is_published=False)
    response = client.get(shown.topic.get_absolute_url())
    assert cards(response) == [shown.code]
    assert "0 of 1 implemented" in response.content.decode()


def test_staff_see_the_unpublished_ones_marked(client):
    hidden = RecommendationFactory(is_published=False)
    client.force_login(UserFactory(is_staff=True))
    response = client.get(hidden.topic.get_absolute_url())
    assert cards(response) == [hidden.code]
    assert "Unpublished" in response.content.decode()


def test_an_unknown_topic_is_not_found(client):
    assert client.get("/topics/no-such-topic/").status_code == 404


@pytest.mark.parametrize("size", SIZES)
def test_a_topic_page_runs_a_fixed_number_of_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    topic = build_portfolio(make_portfolio, size)[0]
    # 1 the topic with its plan, 2 how many recommendations it has (the pages), 3 this page
    # of them with their figures, plan and topic, 4 their current records with their status,
    # 5 their parties, 6 its counts, 7 its progress over time, 8 the city.
    with django_assert_num_queries(8):
        response = client.get(topic.get_absolute_url())
    shown = min(Recommendation.objects.filter(topic=topic).count(), RECOMMENDATIONS_PER_PAGE)
    assert len(cards(response)) == shown


def test_a_large_topic_is_paged_and_a_bad_page_is_not_found(client, make_portfolio):
    topic = make_portfolio(4 * (RECOMMENDATIONS_PER_PAGE + 5))[0]
    total = Recommendation.objects.filter(topic=topic).count()
    assert total > RECOMMENDATIONS_PER_PAGE
    first = client.get(topic.get_absolute_url())
    assert f"{total} recommendations" in first.content.decode()
    assert 'rel="next" href="?page=2"' in first.content.decode()
    second = cards(client.get(topic.get_absolute_url(), {"page": 2}))
    assert second and not set(second) & set(cards(first))
    assert client.get(topic.get_absolute_url(), {"page": 99}).status_code == 404
    assert client.get(topic.get_absolute_url(), {"page": "x"}).status_code == 404
