"""The public list: sorted by plan order, latest update or status; each item's last update;
a download of the same list; a heading and title that restate the filters."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import RecommendationFactory, StatusUpdateFactory, TopicFactory, status

pytestmark = pytest.mark.django_db

URL = reverse("pages:list")
D = datetime.date


def order(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return [rec.code for rec in response.context["object_list"]]


@pytest.fixture
def three():
    first = RecommendationFactory(code="1", order=1)
    second = RecommendationFactory(code="2", order=2)
    third = RecommendationFactory(code="3", order=3)
    StatusUpdateFactory(
        recommendation=first, status=status("evaluation"), effective_date=D(2023, 1, 5)
    )
    StatusUpdateFactory(
        recommendation=third, status=status("planning"), effective_date=D(2024, 6, 1)
    )
    return first, second, third


def test_sorted_by_plan_order_latest_update_or_status(client, three):
    assert order(client) == ["1", "2", "3"]
    assert order(client, sort="code") == ["1", "2", "3"]
    assert order(client, sort="updated") == ["3", "1", "2"]  # never updated last
    assert order(client, sort="status") == ["2", "3", "1"]  # no record, Planning, Evaluation
    assert client.get(URL, {"sort": "sideways"}).status_code == 400


def test_each_item_shows_its_last_update_as_precisely_as_known(client, three):
    StatusUpdateFactory(recommendation=three[1], effective_date=D(2025, 10, 1), date_precision="by")
    html = client.get(URL).content.decode()
    card = html[html.index('data-code="2"') :].split("</li>")[0]
    assert "Last update" in card and '<time datetime="2025-10">by October 2025</time>' in card


def test_the_heading_title_and_download_links_restate_the_filters(client, three):
    topic = TopicFactory(slug="youth", name="Youth outreach")
    RecommendationFactory(topic=topic, code="9")
    html = client.get(
        URL, {"topic": "youth", "phase": "not-started", "sort": "updated"}
    ).content.decode()
    assert "<title>Recommendations: Topic Youth outreach; Phase Not started |" in html
    assert (
        'Recommendations<span class="filters-applied">: Topic “Youth outreach”; '
        "Phase “Not started”</span>" in html
    )
    csv = reverse("exports:recommendations-csv") + "?topic=youth&amp;phase=not-started"
    assert f'href="{csv}"' in html
    assert "sort=" not in html[html.index('class="download"') :].split("</p>")[0]
    download = client.get(
        reverse("exports:recommendations-csv"), {"topic": "youth", "phase": "not-started"}
    )
    assert download.status_code == 200


def test_a_search_lists_best_matches_first_unless_a_sort_is_chosen(client):
    in_text = RecommendationFactory(
        code="1", order=1, title="Training", text="Adopt a crisis plan."
    )
    in_title = RecommendationFactory(code="2", order=2, title="Crisis teams")
    assert order(client, q="crisis") == ["2", "1"]
    assert order(client, q="crisis", sort="code") == ["1", "2"]
    assert in_text and in_title
