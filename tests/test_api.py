"""The read-only JSON API under /api/v1/."""

import datetime

import pytest
from django.urls import reverse

from exports.columns import RECOMMENDATION_COLUMNS
from milestones.models import Milestone
from recommendations.models import Recommendation, Status, Topic
from tests.factories import MilestoneFactory, RecommendationFactory, StatusUpdateFactory, status

pytestmark = pytest.mark.django_db

D = datetime.date


def get(client, name, *args, status_code=200, **params):
    response = client.get(reverse(f"exports:{name}", args=args), params)
    assert response.status_code == status_code, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_the_index_links_every_resource_and_the_documentation(client):
    index = get(client, "api-index")
    for name in ["recommendations", "topics", "statuses", "milestones", "summary", "openapi"]:
        assert client.get(index[name]).status_code == 200
    assert index["documentation"].endswith(reverse("exports:data"))


def test_recommendations_have_the_csv_columns_their_text_and_history(client, okc):
    data = get(client, "api-recommendations")
    expected = Recommendation.objects.published().with_progress()
    assert data["count"] == len(data["results"]) == expected.count()
    first = data["results"][0]
    assert [c.name for c in RECOMMENDATION_COLUMNS] == list(first)[: len(RECOMMENDATION_COLUMNS)]
    rec = expected.get(number=first["number"])
    assert first["text"] == rec.text
    assert first["phase"] == rec.current_phase
    assert [h["effective_date"] for h in first["history"]] == [
        u.effective_date.isoformat() for u in rec.status_updates.all()
    ]


def test_history_and_figures_stand_as_of_the_date(client):
    rec = RecommendationFactory(number=4)
    StatusUpdateFactory(recommendation=rec, status=status("planning"), effective_date=D(2023, 1, 1))
    StatusUpdateFactory(
        recommendation=rec, status=status("full-implementation"), effective_date=D(2023, 6, 1)
    )
    StatusUpdateFactory(recommendation=rec, status=status("planning"), effective_date=D(2024, 1, 1))

    def state(as_of):
        (result,) = get(client, "api-recommendations", as_of=as_of)["results"]
        history = [h["status_slug"] for h in result["history"]]
        return result["phase"], result["implemented_date"], history

    assert state("2022-12-31") == ("not-started", None, [])
    assert state("2023-06-01") == ("implemented", "2023-06-01", ["full-implementation", "planning"])
    assert state("2024-01-01") == (
        "in-progress",
        None,
        ["planning", "full-implementation", "planning"],
    )


def test_one_recommendation_by_number(client):
    RecommendationFactory(number=12, title="Twelve")
    data = get(client, "api-recommendation", "12", as_of="2024-01-01")
    assert data["as_of"] == "2024-01-01"
    assert data["result"]["title"] == "Twelve"


@pytest.mark.parametrize("number", ["99", "abc", "-1", "1e3", "99999999999999999999", "1/2", "٣"])
def test_an_unknown_or_malformed_number_is_a_json_404(client, number):
    RecommendationFactory(number=1)
    data = get(client, "api-recommendation", number, status_code=404)
    assert data == {"errors": {"number": ["No published recommendation has this number."]}}


def test_unpublished_recommendations_are_not_in_the_api(client):
    RecommendationFactory(number=1, is_published=False)
    RecommendationFactory(number=2)
    assert [r["number"] for r in get(client, "api-recommendations")["results"]] == [2]
    get(client, "api-recommendation", "1", status_code=404)


def test_the_filters_apply(client, okc):
    data = get(client, "api-recommendations", topic="youth-outreach", phase="implemented")
    expected = (
        Recommendation.objects.published()
        .with_progress()
        .filter(topic__slug="youth-outreach", current_phase="implemented")
    )
    assert sorted(r["number"] for r in data["results"]) == sorted(r.number for r in expected)


def test_the_summary_equals_the_model_counts_as_of_a_date(client, okc):
    data = get(client, "api-summary", as_of="2024-01-01")
    expected = Recommendation.objects.published().progress(D(2024, 1, 1))
    overall = data["overall"]
    assert (overall["total"], overall["started"], overall["implemented"]) == (
        expected.total,
        expected.started,
        expected.implemented,
    )
    assert [t["topic_slug"] for t in data["topics"]] == [t.slug for t in Topic.objects.all()]


def test_topics_and_statuses_list_what_the_filters_take(client, okc):
    assert [t["slug"] for t in get(client, "api-topics")["results"]] == [
        t.slug for t in Topic.objects.all()
    ]
    statuses = get(client, "api-statuses")["results"]
    assert [(s["slug"], s["phase"]) for s in statuses] == [
        (s.slug, s.phase) for s in Status.objects.all()
    ]


def test_milestones_keep_their_precision_and_name_only_published_recommendations(client):
    public = RecommendationFactory(number=1)
    hidden = RecommendationFactory(number=2, is_published=False)
    milestone = MilestoneFactory(date=D(2025, 9, 14), date_precision="month", title="Committee")
    milestone.recommendations.set([public, hidden])
    MilestoneFactory(title="Draft", is_published=False)
    (result,) = get(client, "api-milestones")["results"]
    assert result["date"] == "2025-09"
    assert result["display_date"] == "September 2025"
    assert result["recommendations"] == [1]
    assert Milestone.objects.count() == 2


def test_errors_are_json_and_name_each_parameter(client):
    data = get(client, "api-recommendations", status_code=400, as_of="yesterday", topic="zz")
    assert set(data["errors"]) == {"as_of", "topic"}
    assert data["errors"]["as_of"] == ["Enter a date as YYYY-MM-DD, for example 2025-10-01."]


def test_resources_without_parameters_refuse_them(client):
    data = get(client, "api-topics", status_code=400, as_of="2024-01-01")
    assert data["errors"]["as_of"] == ["Unknown parameter. This address accepts no parameters."]


def test_any_site_may_read_it_but_nobody_may_write(client):
    response = client.get(reverse("exports:api-topics"))
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.post(reverse("exports:api-topics")).status_code == 405
    assert client.delete(reverse("exports:api-recommendation", args=["1"])).status_code == 405
