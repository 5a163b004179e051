"""Spanish pages run the same fixed number of queries as the English ones, at 39 and at 400
recommendations: the Spanish text is in the same rows, and a missing translation costs nothing."""

import pytest

from recommendations.models import Recommendation, Topic
from tests.public_pages import SIZES, build_portfolio

pytestmark = pytest.mark.django_db

# (address, the queries it runs, as the English page's test names them)
PAGES = [
    (
        "/es/",
        [
            "the counts by topic (the three counts are their sum)",
            "the topics",
            "the latest status updates with their recommendation and status",
            "the newest milestones",
        ],
    ),
    (
        "/es/recommendations/",
        [
            "the leads (with their Spanish) for the lead filter",
            "the number of matches, for the pages",
            "the page of recommendations with their figures and topic",
            "the status scale for their current status",
            "the topic choices",
            "the status choices",
        ],
    ),
    (
        "/es/recommendations/{middle}/",
        [
            "the recommendation with its figures and topic",
            "the status scale for its current status",
            "its status history with each status",
            "its milestones",
            "the previous one",
            "the next one",
        ],
    ),
    (
        "/es/topics/",
        [
            "the topics",
            "the counts by topic",
            "the recommendations with their figures",
            "the status scale for their current status",
        ],
    ),
    (
        "/es/topics/{topic}/",
        ["the topic", "its counts", "its recommendations with their figures", "the status scale"],
    ),
    ("/es/timeline/", ["the milestones", "their published recommendations"]),
    ("/es/about/", ["the status scale"]),
    (
        "/es/feeds/updates/",
        ["the newest status updates with recommendation and status", "the newest milestones"],
    ),
    (
        "/es/report/",
        [
            "the counts by topic",
            "the overall counts",
            "the topics",
            "the status changes of the period, each with the status it replaced",
            "the recommendations with every figure and the latest notes",
            "the status scale",
        ],
    ),
]


def half_translated(make_portfolio, size):
    """The portfolio, with every other recommendation and topic given its Spanish, so that
    pages show translations and fallbacks side by side."""
    build_portfolio(make_portfolio, size)
    for rec in Recommendation.objects.all()[::2]:
        rec.title_es = f"Recomendación {rec.number}"
        rec.save()
    for topic in Topic.objects.all()[::2]:
        topic.name_es = f"Tema {topic.number}"
        topic.save()
    numbers = list(Recommendation.objects.order_by("number").values_list("number", flat=True))
    return {"middle": numbers[len(numbers) // 2], "topic": Topic.objects.first().slug}


@pytest.mark.parametrize("size", SIZES)
def test_every_spanish_page_runs_a_fixed_number_of_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    names = half_translated(make_portfolio, size)
    for path, queries in PAGES:
        address = path.format(**names)
        with django_assert_num_queries(len(queries), info=address):
            response = client.get(address)
        assert response.status_code == 200, address
        assert "(aún no traducido)" in response.content.decode() or "about" in address
