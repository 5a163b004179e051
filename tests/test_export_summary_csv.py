"""/export/summary.csv: the counts overall and per topic, the same as the public pages."""

import csv
import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.models import Plan
from recommendations.models import Recommendation, Topic
from recommendations.services import record_status_update
from tests.factories import (
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    status,
)

pytestmark = pytest.mark.django_db

D = datetime.date
URL = reverse("exports:summary-csv")
COUNTS = ("total", "started", "implemented")


def summary(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.getvalue()
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"), newline="")))


def counts(row):
    return tuple(int(row[name]) for name in COUNTS)


def shown_counts(response):
    html = response.getvalue().decode()
    return tuple(int(re.search(rf'data-count="{name}">(\d+)<', html).group(1)) for name in COUNTS)


def test_the_overall_row_equals_the_home_page(client, okc):
    overall = summary(client)[0]
    assert overall["topic"] == "All topics"
    assert counts(overall) == shown_counts(client.get(reverse("pages:home")))


def test_it_follows_a_new_status_record_like_the_home_page(client, okc):
    rec = Recommendation.objects.with_progress().filter(current_phase="in-progress").first()
    record_status_update(
        recommendation=rec,
        status=status("full-implementation"),
        effective_date=rec.last_update_date,
        note="Work moved forward.",
    )
    assert counts(summary(client)[0]) == shown_counts(client.get(reverse("pages:home")))


@pytest.mark.parametrize("as_of", ["2022-03-01", "2023-01-01", "2024-06-30", "2025-10-01"])
def test_the_counts_as_of_a_date_equal_the_models_and_the_report(client, okc, as_of):
    day = D.fromisoformat(as_of)
    overall, *topic_rows = summary(client, as_of=as_of)
    expected = Recommendation.objects.published().progress(day)
    assert counts(overall) == (expected.total, expected.started, expected.implemented)
    assert overall["as_of"] == as_of
    assert counts(overall) == shown_counts(client.get(reverse("exports:report"), {"as_of": as_of}))

    by_topic = Recommendation.objects.published().progress_by_topic(day)
    assert [row["topic_slug"] for row in topic_rows] == [
        t.slug for t in Topic.objects.filter(plan__is_published=True)
    ]
    for row in topic_rows:
        progress = by_topic[Topic.objects.get(slug=row["topic_slug"]).pk]
        assert counts(row) == (progress.total, progress.started, progress.implemented)


def test_a_regression_leaves_the_implemented_count_on_the_day_it_happens(client):
    rec = RecommendationFactory()
    for slug, day in [
        ("planning", D(2023, 1, 1)),
        ("evaluation", D(2023, 6, 1)),
        ("planning", D(2024, 1, 1)),
    ]:
        StatusUpdateFactory(recommendation=rec, status=status(slug), effective_date=day)
    RecommendationFactory()  # never started
    assert counts(summary(client, as_of="2022-12-31")[0]) == (2, 0, 0)
    assert counts(summary(client, as_of="2023-05-31")[0]) == (2, 1, 0)
    assert counts(summary(client, as_of="2023-06-01")[0]) == (2, 1, 1)
    assert counts(summary(client, as_of="2023-12-31")[0]) == (2, 1, 1)
    assert counts(summary(client, as_of="2024-01-01")[0]) == (2, 1, 0)


def test_percentages_are_rounded_like_the_public_pages(client):
    for slug in ["planning", "planning", None]:
        rec = RecommendationFactory()
        if slug:
            StatusUpdateFactory(recommendation=rec, status=status(slug))
    overall = summary(client)[0]
    assert (overall["started_percent"], overall["implemented_percent"]) == ("67", "0")


def test_a_topic_without_published_recommendations_shows_zeros(client):
    empty = TopicFactory(name="Nothing yet")
    RecommendationFactory(topic=empty, is_published=False)
    RecommendationFactory()
    rows = {row["topic"]: row for row in summary(client)}
    assert counts(rows["Nothing yet"]) == (0, 0, 0)
    assert counts(rows["All topics"]) == (1, 0, 0)


def test_filters_narrow_every_row(client, okc):
    rows = summary(client, lead="okcpd")
    expected = (
        Recommendation.objects.published()
        .filter(responsibilities__party__slug="okcpd", responsibilities__role="lead")
        .progress()
    )
    assert counts(rows[0]) == (expected.total, expected.started, expected.implemented)
    assert sum(int(row["total"]) for row in rows[1:]) == expected.total


def test_with_one_plan_the_first_row_names_it_and_topic_rows_follow(client, okc):
    overall, *topic_rows = summary(client)
    (plan,) = Plan.objects.published()
    assert (overall["plan"], overall["topic"], overall["topic_slug"]) == (
        plan.slug,
        "All topics",
        "",
    )
    assert {row["plan"] for row in topic_rows} == {plan.slug}


def test_with_several_plans_each_plan_has_a_row_before_its_topics(client, okc):
    call_command("loaddata", "pilots", verbosity=0)
    overall, *rows = summary(client)
    assert (overall["plan"], overall["topic"]) == ("", "All topics")
    published = Recommendation.objects.published()
    expected = published.progress()
    assert counts(overall) == (expected.total, expected.started, expected.implemented)
    by_plan = published.progress_by_plan()
    plan_rows = [row for row in rows if not row["topic_slug"]]
    assert [row["plan"] for row in plan_rows] == [p.slug for p in Plan.objects.published()]
    for plan in Plan.objects.published():
        (plan_row,) = [row for row in plan_rows if row["plan"] == plan.slug]
        progress = by_plan[plan.pk]
        assert counts(plan_row) == (progress.total, progress.started, progress.implemented)
        # The plan's topics come right after its row, in their order.
        start = rows.index(plan_row) + 1
        topics = [t.slug for t in plan.topics.all()]
        assert [row["topic_slug"] for row in rows[start : start + len(topics)]] == topics


def test_the_plan_filter_covers_that_plan_and_only_its_topics(client, okc):
    call_command("loaddata", "pilots", verbosity=0)
    pilots = Plan.objects.get(slug="pilots")
    overall, *topic_rows = summary(client, plan="pilots")
    expected = Recommendation.objects.published().in_plan(pilots).progress()
    assert counts(overall) == (expected.total, expected.started, expected.implemented)
    assert overall["plan"] == "pilots"
    assert [row["topic_slug"] for row in topic_rows] == [t.slug for t in pilots.topics.all()]


def test_topics_of_an_unpublished_plan_are_left_out(client):
    RecommendationFactory(topic=TopicFactory(slug="public"))
    TopicFactory(slug="private", plan=PlanFactory(is_published=False))
    assert [row["topic_slug"] for row in summary(client)] == ["", "public"]


def test_an_unknown_plan_is_refused(client, okc):
    response = client.get(URL, {"plan": "no-such-plan"})
    assert response.status_code == 400
    assert "<code>plan</code>" in response.getvalue().decode()


def test_the_file_name_carries_the_date(client, okc):
    response = client.get(URL, {"as_of": "2025-10-01"})
    assert response["Content-Disposition"] == 'attachment; filename="okc-summary-2025-10-01.csv"'


def test_a_filtered_summary_says_what_it_covers_in_the_file_and_its_name(client, okc):
    response = client.get(URL, {"as_of": "2025-10-01", "topic": "youth-outreach"})
    assert response["Content-Disposition"] == (
        'attachment; filename="okc-summary-topic-youth-outreach-2025-10-01.csv"'
    )
    overall, *rows = csv.DictReader(
        io.StringIO(response.getvalue().decode("utf-8-sig"), newline="")
    )
    assert overall["topic"] == "Filtered: topic=youth-outreach"  # not "All topics"
    assert "topic=youth-outreach" in overall["topic_es"]  # in Spanish too
    assert {row["filters"] for row in [overall, *rows]} == {"topic=youth-outreach"}
    youth = Recommendation.objects.published().filter(topic__slug="youth-outreach")
    assert counts(overall) == counts_of(youth.progress(D(2025, 10, 1)))


def test_without_filters_the_file_says_all_topics_and_no_filters(client, okc):
    overall, *rows = summary(client)
    assert overall["topic"] == "All topics"
    assert {row["filters"] for row in [overall, *rows]} == {""}


def counts_of(progress):
    return (progress.total, progress.started, progress.implemented)
