import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.models import Plan
from recommendations.models import Recommendation, Topic
from recommendations.services import record_status_update
from tests.factories import (
    MilestoneFactory,
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    status,
)
from tests.public_pages import SIZES, build_portfolio, cards

pytestmark = pytest.mark.django_db

COUNTS = ("total", "started", "implemented")


def shown_counts(response):
    return shown_counts_in(response.content.decode())


def shown_counts_in(html):
    """The first three counts in `html`."""
    return tuple(int(re.search(rf'data-count="{name}">(\d+)<', html).group(1)) for name in COUNTS)


def count_links(response):
    """{count name: the href of the link around it}."""
    html = response.content.decode()
    return {
        name: re.search(rf'<a href="([^"]+)"><strong data-count="{name}">', html).group(1)
        for name in COUNTS
    }


def home(client):
    return client.get(reverse("pages:home"))


def test_home_shows_the_counts_computed_from_the_records(client, okc):
    progress = Recommendation.objects.published().progress()
    assert shown_counts(home(client)) == (progress.total, progress.started, progress.implemented)


def test_a_full_implementation_record_moves_the_implemented_count(client, okc):
    before = shown_counts(home(client))
    rec = Recommendation.objects.with_progress().filter(current_phase="in-progress").first()
    record_status_update(
        recommendation=rec,
        status=status("full-implementation"),
        effective_date=rec.last_update_date,
        note="Work moved forward.",
    )
    assert shown_counts(home(client)) == (before[0], before[1], before[2] + 1)


def test_each_count_links_to_exactly_the_list_it_counts(client, okc):
    response = home(client)
    for name, shown in zip(COUNTS, shown_counts(response), strict=True):
        listed = client.get(count_links(response)[name])
        assert listed.status_code == 200
        assert len(cards(listed)) == shown, name


def test_unpublished_recommendations_are_not_counted(client):
    StatusUpdateFactory(status=status("full-implementation"))
    StatusUpdateFactory(
        recommendation=RecommendationFactory(is_published=False),
        status=status("full-implementation"),
    )
    assert shown_counts(home(client)) == (1, 1, 1)


def test_the_overall_bar_has_its_text_equivalent(client, okc):
    progress = Recommendation.objects.published().progress()
    html = home(client).content.decode()
    text = (
        f"{progress.implemented} of {progress.total} implemented, {progress.implemented_percent}%"
    )
    assert text in html
    assert (
        f'<progress class="bar bar-implemented" max="100" value="{progress.implemented_percent}"'
        in html
    )


def test_every_topic_shows_its_own_counts(client, okc):
    html = home(client).content.decode()
    for topic in Topic.objects.all():
        p = Recommendation.objects.published().filter(topic=topic).progress()
        assert topic.name in html
        assert f"{p.implemented} of {p.total} implemented, {p.implemented_percent}%" in html
        assert f"{p.started} of {p.total} started, {p.started_percent}%" in html


def test_the_latest_status_updates_come_newest_first_with_the_date_of_the_latest_change(client):
    old = StatusUpdateFactory(effective_date=datetime.date(2023, 1, 5), status=status("planning"))
    new = StatusUpdateFactory(
        effective_date=datetime.date(2024, 6, 7), status=status("full-implementation")
    )
    hidden = StatusUpdateFactory(
        recommendation=RecommendationFactory(is_published=False, title="Secret plan"),
        effective_date=datetime.date(2025, 1, 1),
    )
    html = home(client).content.decode()
    assert html.index(f"#update-{new.pk}") < html.index(f"#update-{old.pk}")
    assert "Full Implementation" in html
    assert hidden.recommendation.title not in html
    assert 'Latest status change: <time datetime="2024-06-07">June 7, 2024</time>' in html


def test_the_newest_milestones_are_shown_and_unpublished_ones_are_not(client):
    MilestoneFactory(title="Council vote", date=datetime.date(2022, 3, 1))
    MilestoneFactory(title="Draft not yet public", is_published=False)
    html = home(client).content.decode()
    assert "Council vote" in html
    assert "Draft not yet public" not in html


@pytest.mark.parametrize("size", SIZES)
def test_home_runs_a_fixed_number_of_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    build_portfolio(make_portfolio, size)
    # 1 the counts by topic (each plan's three counts are their sum), 2 the topics, 3 the plans,
    # 4 every plan's progress over time (the recommendations with their status records), 5 the
    # latest status updates (with their recommendation, plan and status), 6 the newest past
    # milestones, 7 the upcoming milestones, 8 the city (names and footer, on every page).
    with django_assert_num_queries(8):
        assert home(client).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_home_with_two_plans_runs_the_same_number_of_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    build_portfolio(make_portfolio, size)
    second = PlanFactory()
    RecommendationFactory.create_batch(size // 10, topic=TopicFactory(plan=second))
    # The eight above: one query for both plans' progress over time.
    with django_assert_num_queries(8):
        html = home(client).content.decode()
    assert second.name in html


def test_with_the_pilots_the_home_page_shows_each_plan_and_the_city_counts_are_unchanged(
    client, okc
):
    before = shown_counts(home(client))
    call_command("loaddata", "pilots", verbosity=0)
    html = home(client).content.decode()
    for plan in Plan.objects.published():
        progress = Recommendation.objects.published().in_plan(plan).progress()
        section = html[html.index(f'id="plan-{plan.slug}-heading"') :]
        assert plan.name in section[:2000]
        assert shown_counts_in(section) == (progress.total, progress.started, progress.implemented)
        assert f'href="{plan.get_absolute_url()}"' in section[:500]
    okc_plan = Plan.objects.get(slug="okc-2022")
    okc_section = html[html.index(f'id="plan-{okc_plan.slug}-heading"') :]
    assert shown_counts_in(okc_section) == before


def test_with_two_plans_each_count_links_to_the_list_it_counts(client, okc):
    call_command("loaddata", "pilots", verbosity=0)
    html = home(client).content.decode()
    for plan in Plan.objects.published():
        section = html[html.index(f'id="plan-{plan.slug}-heading"') :]
        for name in COUNTS:
            href = re.search(rf'<a href="([^"]+)"><strong data-count="{name}">', section).group(1)
            shown = int(re.search(rf'data-count="{name}">(\d+)<', section).group(1))
            listed = client.get(href.replace("&amp;", "&"))
            assert listed.status_code == 200
            assert len(cards(listed)) == shown, (plan.slug, name)


def test_the_pilots_page_lists_them_in_the_sources_order_with_lead_or_support(client, okc):
    call_command("loaddata", "pilots", verbosity=0)
    response = client.get(Plan.objects.get(slug="pilots").get_absolute_url())
    assert cards(response) == ["MH1", "MH2", "MH3", "R4", "R1", "R3", "RS", "MH4"]
    html = response.content.decode()
    mh1 = html[html.index('data-code="MH1"') : html.index('data-code="MH2"')]
    rs = html[html.index('data-code="RS"') : html.index('data-code="MH4"')]
    assert "<dt>Lead</dt><dd>Office of Performance and Innovation</dd>" in mh1
    assert "<dt>Support</dt><dd>Office of Performance and Innovation</dd>" in rs
    assert "November 2021" in html  # the goal, as precisely as the source gives it
