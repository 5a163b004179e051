"""Progress over time: the series of month ends (recommendations.trajectory), the uncertainty
rule it marks (recommendations.models.record_uncertain_on and uncertain_records_q), and the
chart with its table on the home page, the plan and topic pages and the report."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from plans.models import Plan
from recommendations.models import (
    Recommendation,
    RecordPrecision,
    StatusUpdate,
    Topic,
    record_uncertain_on,
    uncertain_records_q,
)
from recommendations.trajectory import (
    ProgressChart,
    month_ends,
    monthly_progress,
    monthly_progress_by_plan,
)
from tests.factories import (
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    status,
)
from tests.public_pages import SIZES

pytestmark = pytest.mark.django_db

D = datetime.date
MONTH, BY, DAY = RecordPrecision.MONTH, RecordPrecision.BY, RecordPrecision.DAY


def record(rec, slug, day, precision=DAY, **kwargs):
    return StatusUpdateFactory(
        recommendation=rec,
        status=status(slug),
        effective_date=day,
        date_precision=precision,
        **kwargs,
    )


def assert_agrees_with_the_counts(points, recommendations):
    for point in points:
        counts = recommendations.progress(as_of=point.day)
        expected = (counts.total, counts.started, counts.implemented)
        assert (point.total, point.started, point.implemented) == expected, point.day


def shown_rows(html, table_id="chart-table"):
    """{day: (started, implemented, uncertain)} from the chart's table in `html`."""
    table = re.search(rf'<table class="chart-table" id="{table_id}">(.*?)</table>', html, re.S)
    assert table, f"no table {table_id}"
    rows = re.findall(
        r'<tr data-day="([\d-]+)">.*?data-figure="started">(\d+)<.*?'
        r'data-figure="implemented">(\d+)<.*?data-figure="uncertain">(\d+)<',
        table.group(1),
        re.S,
    )
    return {D.fromisoformat(day): tuple(map(int, figures)) for day, *figures in rows}


def figures(points):
    return {point.day: (point.started, point.implemented, point.uncertain) for point in points}


# The series


def test_the_oklahoma_city_series_agrees_with_the_counts_at_every_month_end(okc):
    plan = Plan.objects.get()
    published = Recommendation.objects.published()
    points = monthly_progress(recommendations=published, start=plan.received_on)
    assert points[0].day == D(2022, 3, 31)  # from the month the council received it
    assert points[-1].day == timezone.localdate()
    assert len(points) == len(month_ends(plan.received_on, timezone.localdate()))
    assert_agrees_with_the_counts(points, published)
    # Before October 2025 most figures rest on records dated only "by" October 2025.
    assert points[0].uncertain > 0
    assert points[-1].uncertain == 0


def test_the_possible_range_never_exceeds_what_the_records_allow(okc):
    plan = Plan.objects.get()
    published = Recommendation.objects.published()
    ever_implemented = published.filter(status_updates__status__phase="implemented").distinct()
    ever_started = published.exclude(status_updates=None).filter(
        status_updates__status__phase__in=["in-progress", "implemented"]
    )
    points = monthly_progress(recommendations=published, start=plan.received_on)
    for point in points:
        assert point.certain_implemented <= point.implemented <= point.possible_implemented
        assert point.possible_implemented <= ever_implemented.count()
        assert point.certain_started <= point.started <= point.possible_started
        assert point.possible_started <= ever_started.distinct().count()


def test_the_series_agrees_with_the_counts_on_made_up_records(make_portfolio):
    make_portfolio(40)
    plan = Plan.objects.get()
    topic = TopicFactory(plan=plan)
    regression = RecommendationFactory(topic=topic)
    record(regression, "initiation", D(2023, 1, 10))
    record(regression, "full-implementation", D(2023, 3, 5))
    record(regression, "planning", D(2023, 6, 30))  # on a month end: counted that day
    tie = RecommendationFactory(topic=topic)
    now = timezone.now()
    record(tie, "full-implementation", D(2023, 2, 1), created_at=now)
    record(tie, "initiation", D(2023, 2, 1), created_at=now + datetime.timedelta(hours=1))
    early = RecommendationFactory(topic=topic)
    record(early, "evaluation", D(2022, 11, 15))  # before the start: counted from the first point
    RecommendationFactory(topic=topic)  # no record: not started
    hidden = RecommendationFactory(topic=topic, is_published=False)
    record(hidden, "full-implementation", D(2023, 4, 2))
    vague = RecommendationFactory(topic=topic)
    record(vague, "full-implementation", D(2023, 4, 1), MONTH)
    record(vague, "on-hold", D(2023, 8, 1), BY)
    published = Recommendation.objects.published()

    points = monthly_progress(recommendations=published, start=D(2023, 1, 1), today=D(2024, 2, 10))

    assert [point.day for point in points][:3] == [D(2023, 1, 31), D(2023, 2, 28), D(2023, 3, 31)]
    assert points[-1].day == D(2024, 2, 10)
    assert_agrees_with_the_counts(points, published)


def test_without_a_start_the_series_begins_with_the_earliest_record(make_portfolio):
    make_portfolio(5)
    record(Recommendation.objects.first(), "initiation", D(2021, 7, 4))
    points = monthly_progress(
        recommendations=Recommendation.objects.published(), today=D(2022, 1, 1)
    )
    assert points[0].day == D(2021, 7, 31)
    assert points[-1].day == D(2022, 1, 1)


def test_without_a_start_or_a_record_there_is_no_series_and_no_chart(db):
    RecommendationFactory.create_batch(3)
    points = monthly_progress(recommendations=Recommendation.objects.published())
    assert points == []
    assert not ProgressChart(points)


def test_the_uncertain_count_follows_the_rule_on_a_made_up_case(db):
    plan = PlanFactory(received_on=D(2024, 3, 1))
    topic = TopicFactory(plan=plan)
    in_may = RecommendationFactory(topic=topic)
    record(in_may, "initiation", D(2024, 5, 10), MONTH)  # some day of May 2024
    by_august = RecommendationFactory(topic=topic)
    record(by_august, "full-implementation", D(2024, 8, 1), BY)  # on or before August 1
    in_september = RecommendationFactory(topic=topic)
    record(in_september, "initiation", D(2024, 9, 1), MONTH)  # some day of September 2024
    known = RecommendationFactory(topic=topic)
    record(known, "planning", D(2024, 4, 2))
    published = Recommendation.objects.published()

    points = monthly_progress(
        recommendations=published, start=plan.received_on, today=D(2024, 9, 15)
    )

    assert figures(points) == {
        #             started, implemented, uncertain
        D(2024, 3, 31): (0, 0, 1),  # "by August": it may already be implemented
        D(2024, 4, 30): (1, 0, 1),
        D(2024, 5, 31): (2, 0, 1),  # May's last day: the May record is certainly before it
        D(2024, 6, 30): (2, 0, 1),
        D(2024, 7, 31): (2, 0, 1),
        D(2024, 8, 31): (3, 1, 0),  # after August 1: certain
        D(2024, 9, 15): (4, 1, 1),  # mid-September: the September record may be later
    }
    # Certain: every recommendation but the uncertain ones; the range is from that up.
    assert (points[0].certain_started, points[0].certain_implemented) == (0, 0)
    assert (points[-1].certain_started, points[-1].certain_implemented) == (3, 1)
    # The SQL version of the rule counts the same recommendations.
    for point in points:
        uncertain = StatusUpdate.objects.filter(
            uncertain_records_q(point.day), recommendation=OuterRef("pk")
        )
        assert published.filter(Exists(uncertain)).count() == point.uncertain, point.day
    # On May 20 the May record may be either side of the day.
    assert (
        monthly_progress(recommendations=published, start=plan.received_on, today=D(2024, 5, 20))[
            -1
        ].uncertain
        == 2
    )


@pytest.mark.parametrize("precision", RecordPrecision.values)
def test_record_uncertain_on_and_uncertain_records_q_agree(db, precision):
    dates = [D(2024, 2, 1), D(2024, 2, 15), D(2024, 2, 29), D(2024, 3, 1), D(2024, 12, 31)]
    records = [record(RecommendationFactory(), "initiation", day, precision) for day in dates]
    days = [
        D(2024, 1, 31),
        D(2024, 2, 1),
        D(2024, 2, 14),
        D(2024, 2, 15),
        D(2024, 2, 16),
        D(2024, 2, 28),
        D(2024, 2, 29),
        D(2024, 3, 1),
        D(2024, 12, 30),
        D(2024, 12, 31),
        D(2025, 1, 1),
    ]
    some_uncertain = False
    for day in days:
        in_python = {
            r.pk for r in records if record_uncertain_on(r.effective_date, r.date_precision, day)
        }
        in_sql = set(
            StatusUpdate.objects.filter(uncertain_records_q(day)).values_list("pk", flat=True)
        )
        assert in_python == in_sql, day
        some_uncertain |= bool(in_python)
    assert some_uncertain == (precision != DAY)


def test_the_rule_in_words():
    assert record_uncertain_on(D(2024, 2, 1), MONTH, D(2024, 2, 28))  # February 2024 has 29
    assert not record_uncertain_on(D(2024, 2, 1), MONTH, D(2024, 2, 29))
    assert not record_uncertain_on(D(2024, 2, 1), MONTH, D(2024, 3, 1))
    assert record_uncertain_on(D(2024, 8, 1), BY, D(2024, 7, 31))
    assert not record_uncertain_on(D(2024, 8, 1), BY, D(2024, 8, 1))
    assert not record_uncertain_on(D(2024, 8, 1), DAY, D(2024, 7, 31))


@pytest.mark.parametrize("size", SIZES)
def test_a_series_costs_one_query_whatever_the_data(
    make_portfolio, django_assert_num_queries, size
):
    make_portfolio(size)
    for rec in Recommendation.objects.all()[::3]:
        record(rec, "evaluation", D(2024, 6, 1), BY)
    second = PlanFactory(received_on=D(2023, 1, 1))
    for rec in RecommendationFactory.create_batch(size // 10, topic=TopicFactory(plan=second)):
        record(rec, "planning", D(2023, 5, 1), MONTH)
    plans = list(Plan.objects.all())
    published = Recommendation.objects.published()
    with django_assert_num_queries(1):
        points = monthly_progress(recommendations=published, start=D(2023, 1, 1))
    with django_assert_num_queries(1):
        by_plan = monthly_progress_by_plan(recommendations=published, plans=plans)
    assert points[-1].total == size + size // 10
    assert by_plan[second.pk][0].day == D(2023, 1, 31)
    assert by_plan[second.pk][-1].total == size // 10
    for plan in plans:
        assert_agrees_with_the_counts(by_plan[plan.pk], published.in_plan(plan))


# The pages


def test_the_home_page_shows_the_chart_and_its_table_with_the_same_figures(client, okc):
    plan = Plan.objects.get()
    html = client.get(reverse("pages:home")).content.decode()
    points = monthly_progress(
        recommendations=Recommendation.objects.published(), start=plan.received_on
    )
    assert '<svg class="chart-svg"' in html
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
    assert "<summary>The figures, month by month</summary>" in html
    assert shown_rows(html) == figures(points)
    assert '<time datetime="2022-03">March 2022</time>' in html
    assert "Computed from the dated status records by the same rule as the counts" in html
    assert (
        f"Up to {max(p.uncertain for p in points)} recommendations' figures are uncertain" in html
    )


def test_the_home_page_in_spanish_shows_the_chart_in_spanish(client, okc):
    html = client.get("/es/").content.decode()
    assert '<svg class="chart-svg"' in html
    assert "<summary>Las cifras, mes a mes</summary>" in html
    assert "marzo de 2022</time>" in html
    assert "The figures, month by month" not in html


def test_with_two_plans_the_home_page_shows_a_chart_for_each(client, okc):
    call_command("loaddata", "pilots", verbosity=0)
    html = client.get(reverse("pages:home")).content.decode()
    published = Recommendation.objects.published()
    for plan in Plan.objects.published():
        points = monthly_progress(recommendations=published.in_plan(plan), start=plan.received_on)
        assert shown_rows(html, f"chart-{plan.slug}-table") == figures(points)


def test_the_plan_and_topic_pages_show_their_own_chart(client, okc):
    plan = Plan.objects.get()
    html = client.get(plan.get_absolute_url()).content.decode()
    assert shown_rows(html) == figures(
        monthly_progress(recommendations=Recommendation.objects.published(), start=plan.received_on)
    )
    topic = Topic.objects.first()
    html = client.get(topic.get_absolute_url()).content.decode()
    mine = Recommendation.objects.published().filter(topic=topic)
    assert shown_rows(html) == figures(
        monthly_progress(recommendations=mine, start=plan.received_on)
    )


def test_the_report_shows_the_chart_up_to_its_as_of_date(client, okc):
    html = client.get(reverse("exports:report"), {"as_of": "2024-06-15"}).content.decode()
    rows = shown_rows(html)
    assert list(rows)[0] == D(2022, 3, 31)
    assert list(rows)[-1] == D(2024, 6, 15)
    counts = Recommendation.objects.published().progress(as_of=D(2024, 6, 15))
    assert rows[D(2024, 6, 15)][:2] == (counts.started, counts.implemented)
    assert f'data-count="started">{counts.started}<' in html
    assert '<svg class="chart-svg"' in html


def test_the_report_of_a_day_before_the_plan_has_no_chart(client, okc):
    html = client.get(reverse("exports:report"), {"as_of": "2022-01-15"}).content.decode()
    assert "chart-svg" not in html


def test_a_plan_without_published_recommendations_shows_no_chart(client, db):
    plan = PlanFactory(received_on=D(2024, 1, 1))
    assert "chart-svg" not in client.get(plan.get_absolute_url()).content.decode()
