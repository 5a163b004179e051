"""The API's growing lists (recommendations, milestones) come in pages that link to each other,
filters kept; a page that does not exist is a JSON 400 that says which do."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from exports.params import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from milestones.models import Milestone
from recommendations.models import Recommendation
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

RECOMMENDATIONS = reverse("exports:api-recommendations")
MILESTONES = reverse("exports:api-milestones")


def walk(client, url, **params):
    """Every page from the first, following `next`: (pages, items)."""
    pages, items = [], []
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.json()
        page = response.json()
        pages.append(page)
        items += page["results"]
        if page["next"] is None:
            return pages, items
        assert page["next"].startswith("http://testserver/")
        response = client.get(page["next"])


def key(rec):
    return rec["plan"], rec["code"]


def test_next_links_walk_the_whole_list_exactly_once(client, okc):
    pages, items = walk(client, RECOMMENDATIONS, page_size=10)
    expected = Recommendation.objects.published().order_by("plan__order", "order")
    assert [key(item) for item in items] == [(r.plan.slug, r.code) for r in expected]
    assert len(pages) == -(-expected.count() // 10)
    assert {page["count"] for page in pages} == {expected.count()}
    assert pages[0]["previous"] is None and pages[-1]["next"] is None


def test_previous_links_walk_back_to_the_first_page(client, okc):
    pages, _items = walk(client, RECOMMENDATIONS, page_size=10)
    back = client.get(pages[-1]["previous"]).json()
    assert back == pages[-2]


def test_the_links_keep_the_filters_the_date_and_the_page_size(client, okc):
    params = {"phase": "started", "as_of": "2025-06-30", "page_size": "5"}
    pages, items = walk(client, RECOMMENDATIONS, **params)
    first_link = parse_qs(urlsplit(pages[0]["next"]).query)
    assert first_link == {**{k: [v] for k, v in params.items()}, "page": ["2"]}
    whole = client.get(RECOMMENDATIONS, {**params, "page_size": MAX_PAGE_SIZE}).json()
    assert [key(item) for item in items] == [key(item) for item in whole["results"]]
    assert {item["phase"] for item in items} <= {"in-progress", "implemented"}
    assert {page["as_of"] for page in pages} == {"2025-06-30"}


def test_a_list_shorter_than_a_page_is_one_page(client, okc):
    page = client.get(RECOMMENDATIONS).json()
    assert page["count"] == len(page["results"]) <= DEFAULT_PAGE_SIZE
    assert (page["next"], page["previous"]) == (None, None)


def test_milestones_come_in_pages_too(client, okc):
    MilestoneFactory.create_batch(3)
    pages, items = walk(client, MILESTONES, page_size=2)
    assert len(items) == Milestone.objects.published().count()
    assert len({(item["date"], item["title"]) for item in items}) == len(items)
    assert len(pages) > 1


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"page": "0"}, ["page"]),
        ({"page": "two"}, ["page"]),
        ({"page": "999"}, ["page"]),
        ({"page_size": "0"}, ["page_size"]),
        ({"page_size": str(MAX_PAGE_SIZE + 1)}, ["page_size"]),
        ({"page": "-1", "page_size": "x"}, ["page", "page_size"]),
    ],
)
def test_a_bad_page_is_a_json_400_that_says_why(client, okc, params, names):
    response = client.get(RECOMMENDATIONS, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()["errors"]
    assert sorted(errors) == names
    assert all(len(messages) == 1 and messages[0] for messages in errors.values())


def test_past_the_last_page_the_error_names_how_many_pages_there_are(client, okc):
    count = Recommendation.objects.published().count()
    response = client.get(RECOMMENDATIONS, {"page": "999", "page_size": "10"})
    (message,) = response.json()["errors"]["page"]
    assert f"{-(-count // 10)} pages of 10 items" in message


def test_the_pilots_plan_filter_is_kept_in_the_links(client, okc):
    call_command("loaddata", "pilots", verbosity=0)
    pages, items = walk(client, RECOMMENDATIONS, plan="pilots", page_size=2)
    assert {item["plan"] for item in items} == {"pilots"}
    assert all("plan=pilots" in page["next"] for page in pages[:-1])
