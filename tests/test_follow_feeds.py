"""Following one plan, topic or recommendation: an Atom feed for each, linked from its page, and
a stylesheet that shows a feed opened in a browser as a readable page."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

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

ATOM = "{http://www.w3.org/2005/Atom}"
D = datetime.date


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return response


def titles(response):
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    return [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]


def summaries(response):
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    return [entry.find(f"{ATOM}summary").text for entry in root.iter(f"{ATOM}entry")]


def rec_feed_url(rec):
    return reverse("pages:recommendation-feed", args=[rec.plan.slug, rec.code])


def test_a_recommendations_feed_has_its_records_and_its_past_milestones_only(client):
    rec = RecommendationFactory(code="5", title="Crisis team")
    other = RecommendationFactory(code="6", title="Other")
    StatusUpdateFactory(recommendation=rec, status=status("planning"))
    StatusUpdateFactory(recommendation=other, status=status("evaluation"))
    linked = MilestoneFactory(title="Team funded", date=D(2024, 6, 1))
    linked.recommendations.add(rec)
    ahead = MilestoneFactory(title="Review due", date=D.today() + datetime.timedelta(days=40))
    ahead.recommendations.add(rec)
    MilestoneFactory(title="Unrelated")
    found = titles(feed(client, rec_feed_url(rec)))
    assert found == ["Milestone: Team funded", "Recommendation 5, Crisis team: Planning"]


def test_a_topics_feed_has_its_recommendations_records_and_their_milestones(client):
    youth = TopicFactory(slug="youth")
    mine = RecommendationFactory(topic=youth, title="Mentors")
    StatusUpdateFactory(recommendation=mine)
    StatusUpdateFactory(recommendation=RecommendationFactory(title="Elsewhere"))
    event = MilestoneFactory(title="Mentors hired")
    event.recommendations.add(mine)
    MilestoneFactory(title="Unrelated")
    found = titles(feed(client, reverse("pages:topic-feed", args=["youth"])))
    assert len(found) == 2
    assert "Milestone: Mentors hired" in found
    assert any("Mentors: Initiation" in title for title in found)


def test_a_plans_feed_has_only_that_plans_updates(client):
    PlanFactory(slug="main", order=1)
    mine = RecommendationFactory(title="Mine", topic=TopicFactory(plan=PlanFactory(slug="mine")))
    StatusUpdateFactory(recommendation=mine)
    StatusUpdateFactory(recommendation=RecommendationFactory(title="Elsewhere"))
    found = titles(feed(client, reverse("pages:plan-feed", args=["mine"])))
    assert len(found) == 1 and "Mine" in found[0]


def test_unknown_or_unpublished_things_have_no_feed(client):
    hidden = RecommendationFactory(is_published=False)
    draft = PlanFactory(slug="draft", is_published=False)
    assert client.get(rec_feed_url(hidden)).status_code == 404
    assert client.get(reverse("pages:plan-feed", args=[draft.slug])).status_code == 404
    assert client.get(reverse("pages:plan-feed", args=["nope"])).status_code == 404
    assert client.get(reverse("pages:topic-feed", args=["nope"])).status_code == 404


def test_a_record_known_only_by_a_date_does_not_read_as_news_of_that_day(client):
    rec = RecommendationFactory()
    StatusUpdateFactory(
        recommendation=rec,
        effective_date=D(2025, 10, 1),
        date_precision="by",
        note="Implemented in full.",
    )
    (summary,) = summaries(feed(client, rec_feed_url(rec)))
    assert summary == "by October 2025: Implemented in full."


def test_each_page_points_feed_readers_to_its_feed_and_people_to_its_follow_page(client):
    rec = RecommendationFactory()
    StatusUpdateFactory(recommendation=rec)
    scopes = {
        rec.get_absolute_url(): ("recommendation", [rec.plan.slug, rec.code]),
        rec.topic.get_absolute_url(): ("topic", [rec.topic.slug]),
        rec.plan.get_absolute_url(): ("plan", [rec.plan.slug]),
    }
    for page, (kind, args) in scopes.items():
        feed_url = reverse(f"pages:{kind}-feed", args=args)
        follow_url = reverse(f"pages:{kind}-follow", args=args)
        html = client.get(page).content.decode()
        assert f'<link rel="alternate" type="application/atom+xml" href="{feed_url}"' in html
        assert f'<a href="{follow_url}">Follow this {kind} in a feed reader</a>' in html
        follow = client.get(follow_url).content.decode()
        assert "This is a news feed" in follow
        assert f'value="http://testserver{feed_url}"' in follow
        assert (
            f'<a href="{feed_url}" type="application/atom+xml">Open the feed (Atom)</a>' in follow
        )
        assert f'<a href="{page}">Back to the page this feed follows</a>' in follow


def test_the_follow_page_lists_the_feeds_latest_entries_with_honest_dates(client):
    rec = RecommendationFactory(code="5", title="Crisis team")
    StatusUpdateFactory(
        recommendation=rec,
        status=status("full-implementation"),
        effective_date=D(2025, 10, 1),
        date_precision="by",
        note="Implemented in full.",
    )
    url = reverse("pages:recommendation-follow", args=[rec.plan.slug, rec.code])
    html = client.get(url).content.decode()
    assert "Recommendation 5, Crisis team: Full Implementation" in html
    assert '<time datetime="2025-10">by October 2025</time>' in html
    assert "<p>Implemented in full.</p>" in html
    assert "Oct. 1, 2025" not in html


def test_a_follow_page_for_something_unknown_is_a_404(client):
    assert client.get(reverse("pages:topic-follow", args=["nope"])).status_code == 404
    hidden = RecommendationFactory(is_published=False)
    url = reverse("pages:recommendation-follow", args=[hidden.plan.slug, hidden.code])
    assert client.get(url).status_code == 404


def test_a_feed_names_its_stylesheet_which_explains_feeds_in_the_pages_language(client):
    rec = RecommendationFactory()
    body = feed(client, "/es" + rec_feed_url(rec)).content.decode()
    assert '<?xml-stylesheet href="/es/feeds/atom.xsl" media="screen" type="text/xsl"?>' in body
    stylesheet = client.get("/es/feeds/atom.xsl")
    assert stylesheet["Content-Type"] == "text/xsl; charset=utf-8"
    text = stylesheet.content.decode()
    assert '<html lang="es">' in text
    assert "{{" not in text and "lector de noticias" in text
    ET.fromstring(stylesheet.content)  # noqa: S314 (well-formed XSLT)


@pytest.mark.parametrize("size", SIZES)
def test_a_topics_feed_runs_a_fixed_number_of_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    topics = build_portfolio(make_portfolio, size)
    url = reverse("pages:topic-feed", args=[topics[0].slug])
    # The city, the topic, its newest status updates, its newest milestones.
    with django_assert_num_queries(4):
        assert titles(feed(client, url))
