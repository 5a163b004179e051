import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    MilestoneFactory,
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    status,
)
from tests.public_pages import SIZES, build_portfolio

pytestmark = pytest.mark.django_db

URL = reverse("updates-feed")
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own response)
    return [
        {
            "title": entry.find(f"{ATOM}title").text,
            "link": entry.find(f"{ATOM}link").get("href"),
            "updated": entry.find(f"{ATOM}updated").text,
            "published": entry.find(f"{ATOM}published").text,
        }
        for entry in feed.iter(f"{ATOM}entry")
    ]


def test_the_feed_has_status_updates_and_milestones_newest_first(client):
    rec = RecommendationFactory(code="5", title="Roll-call training")
    update = StatusUpdateFactory(
        recommendation=rec, status=status("planning"), effective_date=datetime.date(2024, 5, 1)
    )
    MilestoneFactory(title="Board created", date=datetime.date(2023, 8, 1))
    found = entries(client)
    assert [e["title"] for e in found] == [
        "Recommendation 5, Roll-call training: Planning",
        "Milestone: Board created",
    ]
    plan = rec.plan.slug
    assert (
        found[0]["link"] == f"http://testserver/plans/{plan}/recommendations/5/#update-{update.pk}"
    )
    assert found[0]["published"].startswith("2024-05-01")


def test_unpublished_items_stay_out_of_the_feed(client):
    StatusUpdateFactory(recommendation=RecommendationFactory(is_published=False, title="Secret"))
    MilestoneFactory(title="Draft event", is_published=False)
    assert entries(client) == []


def test_a_corrected_record_carries_its_correction_date(client):
    StatusUpdateFactory(
        effective_date=datetime.date(2024, 5, 1),
        corrected_at=timezone.make_aware(datetime.datetime(2025, 1, 2, 9, 30)),
    )
    (entry,) = entries(client)
    assert entry["published"].startswith("2024-05-01")
    assert entry["updated"].startswith("2025-01-02")


def test_pages_point_feed_readers_to_the_feed(client):
    html = client.get(reverse("pages:home")).content.decode()
    assert f'<link rel="alternate" type="application/atom+xml" href="{URL}"' in html


@pytest.mark.parametrize("size", SIZES)
def test_the_feed_runs_a_fixed_number_of_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    build_portfolio(make_portfolio, size)
    # 1 the city (for the title), 2 the newest status updates with their recommendation, plan
    # and status, 3 the newest milestones.
    with django_assert_num_queries(3):
        assert len(entries(client)) == 30


def test_a_plans_feed_has_only_that_plans_updates_and_milestones(client):
    PlanFactory(slug="main", order=1)
    mine = RecommendationFactory(title="Mine", topic=TopicFactory(plan=PlanFactory(slug="mine")))
    StatusUpdateFactory(recommendation=mine)
    StatusUpdateFactory(recommendation=RecommendationFactory(title="Elsewhere"))
    MilestoneFactory(title="Our event", plan=mine.plan)
    MilestoneFactory(title="Their event")
    response = client.get(URL, {"plan": "mine"})
    feed = ET.fromstring(response.content)  # noqa: S314 (our own response)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert len(titles) == 2
    assert any("Mine" in title for title in titles)
    assert "Milestone: Our event" in titles
    assert client.get(URL, {"plan": "nope"}).status_code == 404
