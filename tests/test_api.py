"""The read-only JSON API under /api/v1/."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from exports.columns import PLAN_COLUMNS, RECOMMENDATION_COLUMNS
from milestones.models import Milestone
from plans.models import Party, Plan
from recommendations.models import Recommendation, Status, Topic
from tests.factories import (
    MilestoneFactory,
    PartyFactory,
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    status,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def get(client, name, *args, status_code=200, **params):
    response = client.get(reverse(f"exports:{name}", args=args), params)
    assert response.status_code == status_code, response.getvalue()
    assert response["Content-Type"] == "application/json"
    return response.json()


def detail_url(plan, code):
    return reverse("exports:api-recommendation", args=[plan, code])


@pytest.fixture
def pilots(okc):
    call_command("loaddata", "pilots", verbosity=0)
    return Plan.objects.get(slug="pilots")


def test_the_index_links_every_resource_and_the_documentation(client):
    index = get(client, "api-index")
    for name in [
        "plans",
        "recommendations",
        "topics",
        "statuses",
        "milestones",
        "summary",
        "openapi",
    ]:
        assert client.get(index[name]).status_code == 200
    assert index["documentation"].endswith(reverse("exports:data"))


def test_plans_lists_each_published_plan_with_its_translations(client, pilots):
    PlanFactory(slug="draft", is_published=False)
    data = get(client, "api-plans")
    expected = Plan.objects.published()
    assert data["count"] == len(data["results"]) == expected.count()
    assert [p["slug"] for p in data["results"]] == [plan.slug for plan in expected]
    first = data["results"][0]
    assert list(first) == [c.name for c in PLAN_COLUMNS]
    plan = expected.first()
    assert first["name"] == plan.name
    assert first["name_es"] == plan.translated("name", "es").text
    assert first["received"] == plan.received_on.isoformat()[:7]  # known to the month
    assert first["url"] == f"http://testserver{plan.get_absolute_url()}"
    assert "draft" not in {p["slug"] for p in data["results"]}


def test_recommendations_have_the_csv_columns_their_text_and_history(client, okc):
    data = get(client, "api-recommendations")
    expected = Recommendation.objects.published().with_progress()
    assert data["count"] == len(data["results"]) == expected.count()
    first = data["results"][0]
    names = [c.name for c in RECOMMENDATION_COLUMNS]
    assert list(first)[: len(names)] == names
    rec = expected.get(plan__slug=first["plan"], code=first["code"])
    assert first["text"] == rec.text
    assert first["phase"] == rec.current_phase
    assert [h["effective_date"] for h in first["history"]] == [
        u.known_date.iso for u in rec.status_updates.all()
    ]


def test_recommendations_come_in_plan_order_then_their_own_order(client, pilots):
    results = get(client, "api-recommendations")["results"]
    expected = (
        Recommendation.objects.published().select_related("plan").order_by("plan__order", "order")
    )
    assert [(r["plan"], r["code"]) for r in results] == [(r.plan.slug, r.code) for r in expected]
    okc_codes = [r["code"] for r in results if r["plan"] == "okc-2022"]
    assert okc_codes.index("10") == okc_codes.index("9") + 1


def test_leads_and_supports_are_lists_of_names(client, pilots):
    opi = Party.objects.get(slug="opi")
    results = {r["code"]: r for r in get(client, "api-recommendations", plan="pilots")["results"]}
    assert results["MH1"]["leads"] == [opi.name]
    assert results["MH1"]["lead_slugs"] == ["opi"]
    assert opi.name in results["RS"]["supports"]
    assert opi.name not in results["RS"]["leads"]
    # OKC's "City and OKCPD": two leads.
    both = [
        r
        for r in get(client, "api-recommendations", plan="okc-2022")["results"]
        if sorted(r["lead_slugs"]) == ["city", "okcpd"]
    ]
    assert both and all(len(r["leads"]) == 2 for r in both)


def test_the_lead_filter_takes_a_partys_slug(client, pilots):
    results = get(client, "api-recommendations", lead="opi")["results"]
    expected = Recommendation.objects.published().filter(
        responsibilities__party__slug="opi", responsibilities__role="lead"
    )
    assert sorted(r["code"] for r in results) == sorted(r.code for r in expected)
    get(client, "api-recommendations", lead="OKCPD", status_code=400)  # a name is not a slug


def test_the_plan_filter_gives_one_plans_recommendations(client, pilots):
    results = get(client, "api-recommendations", plan="pilots")["results"]
    assert [r["code"] for r in results] == [
        r.code for r in pilots.recommendations.order_by("order")
    ]


@pytest.mark.parametrize(
    "name", ["api-recommendations", "api-summary", "api-topics", "api-milestones"]
)
def test_an_unknown_plan_is_a_json_400(client, okc, name):
    data = get(client, name, status_code=400, plan="no-such-plan")
    assert list(data["errors"]) == ["plan"]


def test_history_and_figures_stand_as_of_the_date(client):
    rec = RecommendationFactory(code="4")
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


def test_one_recommendation_by_plan_and_code(client, pilots):
    data = get(client, "api-recommendation", "pilots", "MH1", as_of="2024-01-01")
    assert data["as_of"] == "2024-01-01"
    rec = pilots.recommendations.get(code="MH1")
    assert (data["result"]["plan"], data["result"]["code"]) == ("pilots", "MH1")
    assert data["result"]["title"] == rec.title


def test_the_same_code_in_two_plans_gives_each_its_own(client):
    RecommendationFactory(code="1", title="Main one")
    RecommendationFactory(
        code="1", title="Other one", topic=TopicFactory(plan=PlanFactory(slug="other"))
    )
    main = Plan.objects.order_by("order").first().slug
    assert get(client, "api-recommendation", main, "1")["result"]["title"] == "Main one"
    assert get(client, "api-recommendation", "other", "1")["result"]["title"] == "Other one"


def test_an_unknown_code_or_plan_is_a_json_404_that_says_which(client, okc):
    data = get(client, "api-recommendation", "okc-2022", "MH99", status_code=404)
    assert list(data["errors"]) == ["code"]
    data = get(client, "api-recommendation", "nowhere", "1", status_code=404)
    assert list(data["errors"]) == ["plan"]


@pytest.mark.parametrize(
    "path",
    [
        "plans/okc-2022/recommendations/-1",
        "plans/okc-2022/recommendations/1e3/x",
        "plans/okc-2022/recommendations/" + "9" * 40,
        "plans/okc-2022/recommendations/%00",
        "plans/okc%00/recommendations/1",
        "plans/okc-2022/recommendations/%D9%A3",
        "plans/okc-2022/recommendations/",
        "recommendations/%00",
        "recommendations/" + "9" * 40,
        "nothing-here",
    ],
)
def test_a_malformed_address_is_a_json_404(client, okc, path):
    response = client.get(f"/api/v1/{path}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "errors" in response.json()


def test_huge_codes_that_fit_the_address_are_plain_404s(client, okc):
    get(client, "api-recommendation", "okc-2022", "9" * 20, status_code=404)


def test_the_old_address_redirects_permanently_to_the_first_plans_recommendation(client, pilots):
    first = Plan.objects.published().first()
    code = first.recommendations.order_by("order").first().code
    response = client.get(f"/api/v1/recommendations/{code}", {"as_of": "2024-01-01"})
    assert response.status_code == 301
    assert response["Location"] == f"{detail_url(first.slug, code)}?as_of=2024-01-01"
    assert client.get(response["Location"]).json()["result"]["code"] == code


def test_the_old_address_at_another_language_redirects_within_it(client, okc):
    response = client.get("/es/api/v1/recommendations/12")
    assert response.status_code == 301
    assert response["Location"] == "/es/api/v1/plans/okc-2022/recommendations/12"


def test_the_old_address_of_another_plans_code_is_a_json_404(client, pilots):
    data = get(client, "api-main-plan-recommendation", "MH1", status_code=404)
    assert list(data["errors"]) == ["code"]


def test_unpublished_recommendations_are_not_in_the_api(client):
    hidden = RecommendationFactory(code="1", is_published=False)
    RecommendationFactory(code="2")
    assert [r["code"] for r in get(client, "api-recommendations")["results"]] == ["2"]
    get(client, "api-recommendation", hidden.plan.slug, "1", status_code=404)


def test_recommendations_of_an_unpublished_plan_are_not_in_the_api(client):
    draft = PlanFactory(slug="draft", is_published=False)
    RecommendationFactory(code="1", topic=TopicFactory(plan=draft))
    assert get(client, "api-recommendations")["results"] == []
    get(client, "api-recommendation", "draft", "1", status_code=404)
    assert "draft" not in {p["slug"] for p in get(client, "api-plans")["results"]}


def test_the_filters_apply(client, okc):
    data = get(client, "api-recommendations", topic="youth-outreach", phase="implemented")
    expected = (
        Recommendation.objects.published()
        .with_progress()
        .filter(topic__slug="youth-outreach", current_phase="implemented")
    )
    assert sorted(r["code"] for r in data["results"]) == sorted(r.code for r in expected)


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


def test_the_summary_has_a_row_per_plan_and_follows_the_plan_filter(client, pilots):
    data = get(client, "api-summary")
    by_plan = Recommendation.objects.published().progress_by_plan()
    assert [row["plan"] for row in data["plans"]] == [p.slug for p in Plan.objects.published()]
    for row in data["plans"]:
        progress = by_plan[Plan.objects.get(slug=row["plan"]).pk]
        assert (row["total"], row["started"], row["implemented"]) == (
            progress.total,
            progress.started,
            progress.implemented,
        )
    assert data["overall"]["plan"] is None
    assert data["overall"]["total"] == sum(row["total"] for row in data["plans"])

    one = get(client, "api-summary", plan="pilots")
    assert one["overall"]["plan"] == "pilots"
    assert one["overall"]["total"] == by_plan[pilots.pk].total
    assert [row["plan"] for row in one["plans"]] == ["pilots"]
    assert [t["topic_slug"] for t in one["topics"]] == [t.slug for t in pilots.topics.all()]


def test_topics_and_statuses_list_what_the_filters_take(client, pilots):
    assert [t["slug"] for t in get(client, "api-topics")["results"]] == [
        t.slug for t in Topic.objects.all()
    ]
    assert [t["slug"] for t in get(client, "api-topics", plan="pilots")["results"]] == [
        t.slug for t in pilots.topics.all()
    ]
    statuses = get(client, "api-statuses")["results"]
    assert [(s["slug"], s["phase"]) for s in statuses] == [
        (s.slug, s.phase) for s in Status.objects.all()
    ]


def test_milestones_keep_their_precision_and_name_only_published_recommendations(client):
    public = RecommendationFactory(code="1")
    hidden = RecommendationFactory(code="2", is_published=False)
    milestone = MilestoneFactory(date=D(2025, 9, 14), date_precision="month", title="Committee")
    milestone.recommendations.set([public, hidden])
    MilestoneFactory(title="Draft", is_published=False)
    (result,) = get(client, "api-milestones")["results"]
    assert result["date"] == "2025-09"
    assert result["display_date"] == "September 2025"
    assert result["recommendations"] == [{"plan": public.plan.slug, "code": "1"}]
    assert Milestone.objects.count() == 2


def test_milestones_follow_the_plan_filter(client):
    rec = RecommendationFactory()
    MilestoneFactory(title="Of the plan", plan=rec.plan)
    MilestoneFactory(title="Of another", plan=PlanFactory(slug="another"))
    results = get(client, "api-milestones", plan=rec.plan.slug)["results"]
    assert [(m["title"], m["plan"]) for m in results] == [("Of the plan", rec.plan.slug)]
    assert len(get(client, "api-milestones")["results"]) == 2


def test_errors_are_json_and_name_each_parameter(client):
    data = get(client, "api-recommendations", status_code=400, as_of="yesterday", topic="zz")
    assert set(data["errors"]) == {"as_of", "topic"}
    assert data["errors"]["as_of"] == ["Enter a date as YYYY-MM-DD, for example 2025-10-01."]


def test_resources_without_parameters_refuse_them(client):
    for name in ("api-statuses", "api-plans"):
        data = get(client, name, status_code=400, as_of="2024-01-01")
        assert data["errors"]["as_of"] == ["Unknown parameter. This address accepts no parameters."]
    data = get(client, "api-topics", status_code=400, as_of="2024-01-01")
    assert data["errors"]["as_of"] == ["Unknown parameter. This address accepts plan."]


def test_a_nul_character_is_a_json_400_not_a_server_error(client, okc):
    for name in ("api-recommendations", "api-summary", "api-topics"):
        data = get(client, name, status_code=400, plan="okc\x00")
        assert list(data["errors"]) == ["plan"]


def test_any_site_may_read_it_but_nobody_may_write(client, okc):
    response = client.get(reverse("exports:api-topics"))
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.post(reverse("exports:api-topics")).status_code == 405
    assert client.delete(detail_url("okc-2022", "1")).status_code == 405


def test_parties_of_unpublished_recommendations_stay_private(client):
    secret = PartyFactory(name="Secret task force", slug="secret")
    RecommendationFactory(leads=[secret], is_published=False)
    RecommendationFactory()
    body = client.get(reverse("exports:api-recommendations")).getvalue().decode()
    assert "Secret task force" not in body
    assert Party.objects.filter(slug="secret").exists()
