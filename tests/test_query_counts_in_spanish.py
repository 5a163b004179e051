"""Spanish pages run the same fixed number of queries as the English ones, at 39 and at 400
recommendations: the Spanish text is in the same rows, and a missing translation costs nothing."""

import pytest
from django.utils import translation

from recommendations.models import Recommendation, Topic
from tests.public_pages import SIZES, build_portfolio

pytestmark = pytest.mark.django_db

# (address, the queries it runs, as the English page's test names them)
PAGES = [
    (
        "/es/",
        [
            "the counts by topic (each plan's three counts are their sum)",
            "the topics",
            "the plans",
            "every plan's progress over time (the recommendations with their status records)",
            "the latest status updates with their recommendation, plan and status",
            "the newest past milestones",
            "the upcoming milestones",
            "the city (names and footer)",
        ],
    ),
    (
        "/es/recommendations/",
        [
            "the plans for the plan filter",
            "the number of matches, for the pages",
            "the page of recommendations with their figures, plan and topic",
            "their current records with their status",
            "their parties and roles",
            "the city (names and footer)",
            "the topic choices",
            "the status choices",
            "the leads (with their Spanish) for the lead filter",
        ],
    ),
    (
        "{middle}",
        [
            "the recommendation with its figures, plan and topic",
            "its current record with its status",
            "its parties and roles",
            "its status history with each status",
            "its milestones",
            "the previous one",
            "the next one",
            "the city (names and footer)",
        ],
    ),
    (
        "/es/topics/",
        [
            "the topics with their plan",
            "the counts by topic",
            "the city (names and footer)",
        ],
    ),
    (
        "/es/topics/{topic}/",
        [
            "the topic with its plan",
            "how many recommendations it has (its pages)",
            "this page of its recommendations with their figures, plan and topic",
            "their current records with their status",
            "their parties",
            "its counts",
            "its progress over time (its recommendations with their status records)",
            "the city (names and footer)",
        ],
    ),
    (
        "/es/timeline/",
        [
            "the years with past milestones",
            "how many the first year has (its pages)",
            "the first year's milestones",
            "their published recommendations with their plan",
            "the upcoming ones (none here)",
            "the city (names and footer)",
        ],
    ),
    ("/es/about/", ["the status scale", "the city (names and footer)"]),
    (
        "/es/feeds/updates/",
        [
            "the city (for the title)",
            "the newest status updates with their recommendation, plan and status",
            "the newest milestones",
        ],
    ),
    (
        "/es/report/",
        [
            "the counts by topic",
            "the overall counts",
            "the topics of the plans in scope, with their plan",
            "the recommendations with every figure, their plan and topic, and the latest notes",
            "their current records with their status",
            "their parties with roles",
            "the progress over time (the recommendations with their status records)",
            "the status changes of the period, each with the status it replaced",
            "the city (the page's title)",
        ],
    ),
]


def half_translated(make_portfolio, size):
    """The portfolio, with every other recommendation and topic given its Spanish, so that
    pages show translations and fallbacks side by side."""
    build_portfolio(make_portfolio, size)
    for rec in Recommendation.objects.all()[::2]:
        rec.set_translation("es", "title", f"Recomendación {rec.code}")
        rec.save()
    for topic in Topic.objects.all()[::2]:
        topic.set_translation("es", "name", f"Tema {topic.number}")
        topic.save()
    recs = list(Recommendation.objects.select_related("plan").order_by("order"))
    with translation.override("es"):
        middle = recs[len(recs) // 2].get_absolute_url()  # /es/plans/<plan>/recommendations/<code>/
    return {"middle": middle, "topic": Topic.objects.first().slug}


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
