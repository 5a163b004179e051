import datetime

import pytest
from django.utils import timezone

from milestones.models import Milestone
from recommendations.models import Recommendation
from tests.factories import (
    MilestoneFactory,
    PartyFactory,
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    UserFactory,
    status,
)
from tests.public_pages import SIZES, build_portfolio

pytestmark = pytest.mark.django_db


def page(client, rec):
    return client.get(rec.get_absolute_url())


def test_the_page_shows_the_recommendation_and_its_current_status_with_its_definition(client):
    rec = RecommendationFactory(
        title="Warning before force",
        text="The police should warn first.",
        leads=[PartyFactory(name="Police Department")],
    )
    StatusUpdateFactory(recommendation=rec, status=status("planning"), progress=45)
    html = page(client, rec).content.decode()
    for text in (
        "Warning before force",
        "The police should warn first.",
        rec.topic.name,
        rec.plan.short_name,
        "Police Department",
        "Planning",
        status("planning").definition,
        "45% complete",
        'value="45"',
    ):
        assert text in html, text


def test_the_history_is_newest_first_with_date_status_progress_and_note(client):
    rec = RecommendationFactory()
    first = StatusUpdateFactory(
        recommendation=rec,
        status=status("initiation"),
        effective_date=datetime.date(2023, 2, 1),
        note="Kick-off meeting held.",
    )
    second = StatusUpdateFactory(
        recommendation=rec,
        status=status("planning"),
        effective_date=datetime.date(2024, 3, 1),
        progress=55,
        note="Action plan adopted.",
    )
    html = page(client, rec).content.decode()
    assert html.index(f'id="update-{second.pk}"') < html.index(f'id="update-{first.pk}"')
    assert "March 1, 2024</time>: Planning" in html
    assert "55% complete" in html
    assert "Kick-off meeting held." in html


def test_a_corrected_record_says_when_it_was_corrected(client):
    update = StatusUpdateFactory(
        corrected_at=timezone.make_aware(datetime.datetime(2025, 2, 3, 10, 0))
    )
    html = page(client, update.recommendation).content.decode()
    assert 'Corrected on <time datetime="2025-02-03">Feb. 3, 2025</time>' in html


def test_a_record_never_corrected_is_not_marked(client):
    update = StatusUpdateFactory()
    assert "Corrected on" not in page(client, update.recommendation).content.decode()


def test_start_and_implementation_dates_are_shown(client):
    rec = RecommendationFactory(estimated_completion=datetime.date(2020, 1, 1))
    StatusUpdateFactory(
        recommendation=rec, status=status("initiation"), effective_date=datetime.date(2022, 9, 1)
    )
    StatusUpdateFactory(
        recommendation=rec,
        status=status("full-implementation"),
        effective_date=datetime.date(2023, 11, 1),
    )
    html = page(client, rec).content.decode()
    assert "Sept. 1, 2022" in html
    assert "Nov. 1, 2023" in html
    assert "Overdue" not in html


def test_a_passed_estimate_on_an_unimplemented_recommendation_is_flagged(client):
    rec = RecommendationFactory(estimated_completion=datetime.date(2024, 1, 1))
    StatusUpdateFactory(recommendation=rec, status=status("planning"))
    html = page(client, rec).content.decode()
    assert "January 2024" in html
    assert "Overdue: the estimated date has passed" in html


def test_an_estimate_still_ahead_is_not_flagged(client):
    ahead = timezone.localdate() + datetime.timedelta(days=400)
    rec = RecommendationFactory(estimated_completion=ahead)
    html = page(client, rec).content.decode()
    assert "Overdue" not in html
    assert "No status has been recorded yet" in html


def test_details_and_related_published_milestones_are_shown(client):
    rec = RecommendationFactory(details="The consultant found gaps.")
    shown = MilestoneFactory(title="Board created", date=datetime.date(2023, 8, 1))
    hidden = MilestoneFactory(title="Draft event", is_published=False)
    shown.recommendations.add(rec)
    hidden.recommendations.add(rec)
    html = page(client, rec).content.decode()
    assert "The consultant found gaps." in html
    assert "Board created" in html
    assert shown.get_absolute_url() in html
    assert "Draft event" not in html


def test_previous_and_next_skip_unpublished_recommendations(client):
    first, hidden, second, third = (
        RecommendationFactory(is_published=published) for published in (True, False, True, True)
    )
    html = page(client, second).content.decode()
    assert f'rel="prev" href="{first.get_absolute_url()}"' in html
    assert f'rel="next" href="{third.get_absolute_url()}"' in html
    assert hidden.get_absolute_url() not in html


def test_the_first_recommendation_has_no_previous_link(client):
    first = RecommendationFactory()
    RecommendationFactory()
    html = page(client, first).content.decode()
    assert 'rel="prev"' not in html
    assert 'rel="next"' in html


def test_an_unpublished_recommendation_is_not_found_by_the_public(client):
    rec = RecommendationFactory(is_published=False)
    response = page(client, rec)
    assert response.status_code == 404
    assert rec.title not in response.content.decode()


def test_staff_see_an_unpublished_recommendation_marked_and_never_shared_by_a_cache(client):
    rec = RecommendationFactory(is_published=False)
    client.force_login(UserFactory(is_staff=True))
    response = page(client, rec)
    assert response.status_code == 200
    assert "Unpublished" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_an_unknown_huge_or_malformed_code_is_not_found(client):
    rec = RecommendationFactory()
    plan = rec.plan.slug
    for code in ("9999", "9" * 40, "%00", "a%20b", "..", "-1"):
        assert client.get(f"/plans/{plan}/recommendations/{code}/").status_code == 404, code
        assert client.get(f"/recommendations/{code}/").status_code == 404, code
    assert client.get(f"/plans/nope/recommendations/{rec.code}/").status_code == 404


def test_the_address_from_before_plans_redirects_permanently_to_the_first_plans(client, okc):
    response = client.get("/recommendations/12/")
    assert response.status_code == 301
    assert response["Location"] == "/plans/okc-2022/recommendations/12/"
    assert client.get(response["Location"]).status_code == 200
    spanish = client.get("/es/recommendations/12/")
    assert spanish.status_code == 301
    assert spanish["Location"] == "/es/plans/okc-2022/recommendations/12/"


def test_a_code_used_in_two_plans_leads_to_each_plans_own_recommendation(client, okc):
    second = PlanFactory(slug="second")
    other = RecommendationFactory(topic=TopicFactory(plan=second), code="12", title="Other 12")
    assert "Other 12" in page(client, other).content.decode()
    assert "Other 12" not in client.get("/plans/okc-2022/recommendations/12/").content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_the_page_runs_a_fixed_number_of_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    build_portfolio(make_portfolio, size)
    codes = list(Recommendation.objects.values_list("code", flat=True))
    rec = Recommendation.objects.get(code=codes[len(codes) // 2])
    for day in range(size // 10):
        StatusUpdateFactory(
            recommendation=rec,
            effective_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=day),
        )
    rec.milestones.set(Milestone.objects.all())
    # 1 the recommendation with its figures, plan and topic, 2 its current record with its
    # status, 3 its parties and roles, 4 its status history with each status (the timeline and
    # the band of time in each status), 5 its milestones (the timeline),
    # 6 the previous one, 7 the next one, 8 the city (names and footer).
    url = rec.get_absolute_url()
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.content.decode().count('id="update-') == rec.status_updates.count()
