"""A milestone dated after today is upcoming: it has its own list (on the home page, a plan's page
and the timeline), soonest first, is never among the newest milestones, and moves to the past
by itself when its day comes. The rule is `upcoming_condition` in milestones/models.py."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.dates import Precision
from milestones.models import Milestone
from plans.models import Plan
from tests.factories import MilestoneFactory, PlanFactory
from tests.public_pages import SIZES, build_portfolio

pytestmark = pytest.mark.django_db

HOME = reverse("pages:home")
TIMELINE = reverse("pages:timeline")
DAY = datetime.timedelta(days=1)


def next_month(today):
    """The first day of the month after `today`'s."""
    return (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def section(html, heading_id):
    """The text of the section labelled by `heading_id`, or None when the page has none."""
    found = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    return found.group(1) if found else None


def year_sections(html):
    """The timeline's past years, as one text."""
    return "".join(re.findall(r'<section aria-labelledby="year-\d+">(.*?)</section>', html, re.S))


def test_a_milestone_dated_next_month_is_upcoming_on_the_home_page_not_among_the_newest(client):
    MilestoneFactory(title="Council vote", date=datetime.date(2022, 3, 1))
    MilestoneFactory(
        title="Academy opens", date=next_month(timezone.localdate()), date_precision=Precision.MONTH
    )
    html = client.get(HOME).content.decode()
    assert "Academy opens" in section(html, "upcoming-heading")
    assert "Academy opens" not in section(html, "milestones-heading")
    assert "Council vote" in section(html, "milestones-heading")


def test_a_milestone_dated_next_month_is_upcoming_on_the_timeline_not_in_the_years(client):
    past = MilestoneFactory(title="Council vote", date=datetime.date(2022, 3, 1))
    ahead = MilestoneFactory(title="Academy opens", date=next_month(timezone.localdate()))
    html = client.get(TIMELINE).content.decode()
    upcoming = section(html, "upcoming-heading")
    assert f'id="milestone-{ahead.pk}"' in upcoming
    assert f'id="milestone-{past.pk}"' not in upcoming
    assert f'id="milestone-{ahead.pk}"' not in year_sections(html)
    assert html.index('id="upcoming-heading"') < html.index('id="year-2022"')


def test_a_milestone_dated_next_month_is_upcoming_on_its_plans_page(client):
    plan = PlanFactory()
    MilestoneFactory(title="Academy opens", plan=plan, date=next_month(timezone.localdate()))
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Academy opens" in section(html, "upcoming-heading")
    assert "Academy opens" not in section(html, "milestones-heading")


def test_a_milestone_dated_today_is_among_the_newest_and_not_upcoming(client):
    MilestoneFactory(title="Report published", date=timezone.localdate())
    html = client.get(HOME).content.decode()
    assert "Report published" in section(html, "milestones-heading")
    assert section(html, "upcoming-heading") is None


def test_upcoming_milestones_come_soonest_first_a_few_on_the_home_page_all_on_the_timeline(
    client,
):
    today = timezone.localdate()
    for days in (40, 10, 30, 20):
        MilestoneFactory(title=f"In {days} days", date=today + days * DAY)
    home = section(client.get(HOME).content.decode(), "upcoming-heading")
    assert re.findall(r"In (\d+) days", home) == ["10", "20", "30"]
    timeline = section(client.get(TIMELINE).content.decode(), "upcoming-heading")
    assert re.findall(r"In (\d+) days", timeline) == ["10", "20", "30", "40"]


def test_the_upcoming_list_is_absent_when_there_is_none(client):
    plan = PlanFactory()
    MilestoneFactory(title="Council vote", plan=plan, date=datetime.date(2022, 3, 1))
    for address in (HOME, TIMELINE, plan.get_absolute_url()):
        html = client.get(address).content.decode()
        assert "Council vote" in html
        assert "upcoming-heading" not in html
        assert "Upcoming" not in html


def test_only_upcoming_milestones_on_the_timeline_still_say_what_is_planned(client):
    MilestoneFactory(title="Academy opens", date=timezone.localdate() + DAY)
    html = client.get(TIMELINE).content.decode()
    assert "Academy opens" in section(html, "upcoming-heading")
    assert "No milestones have been published yet." not in html


def test_an_unpublished_upcoming_milestone_is_hidden_from_the_public(client):
    MilestoneFactory(title="Draft plan", date=timezone.localdate() + DAY, is_published=False)
    for address in (HOME, TIMELINE):
        assert "Draft plan" not in client.get(address).content.decode()


def test_a_milestone_moves_from_upcoming_to_past_when_its_day_comes():
    today = datetime.date(2026, 11, 30)
    tomorrow = MilestoneFactory(date=today + DAY)
    assert list(Milestone.objects.upcoming(today)) == [tomorrow]
    assert not Milestone.objects.past(today).exists()
    assert list(Milestone.objects.past(today + DAY)) == [tomorrow]
    assert not Milestone.objects.upcoming(today + DAY).exists()


def test_a_month_milestone_is_past_once_its_stored_day_has_come():
    today = datetime.date(2026, 11, 20)
    this_month = MilestoneFactory(date=datetime.date(2026, 11, 1), date_precision=Precision.MONTH)
    next_month_ = MilestoneFactory(date=datetime.date(2026, 12, 1), date_precision=Precision.MONTH)
    later_this_year = MilestoneFactory(
        date=datetime.date(2026, 12, 31), date_precision=Precision.YEAR
    )
    assert list(Milestone.objects.past(today)) == [this_month]
    assert list(Milestone.objects.upcoming(today)) == [next_month_, later_this_year]


def test_the_cached_page_moves_the_milestone_to_the_past_when_the_citys_day_comes(
    client, page_cache, settings
):
    # Two time zones 25 hours apart are always on different dates: what is tomorrow in one is
    # today (or yesterday) in the other. Nothing is saved in between.
    settings.TIME_ZONE = "Pacific/Pago_Pago"
    MilestoneFactory(title="Academy opens", date=timezone.localdate() + DAY)
    first = client.get(HOME)
    assert "Academy opens" in section(first.content.decode(), "upcoming-heading")
    assert client.get(HOME)["X-Page-Cache"] == "hit"

    settings.TIME_ZONE = "Pacific/Kiritimati"
    next_day = client.get(HOME, headers={"If-None-Match": first["ETag"]})
    assert next_day.status_code == 200
    html = next_day.content.decode()
    assert "Academy opens" in section(html, "milestones-heading")
    assert section(html, "upcoming-heading") is None


def test_the_upcoming_headings_are_in_spanish(client):
    MilestoneFactory(title="Academy opens", date=timezone.localdate() + DAY)
    with translation.override("es"):
        home, timeline = reverse("pages:home"), reverse("pages:timeline")
    assert "Próximos hitos" in client.get(home).content.decode()
    assert "Próximamente" in client.get(timeline).content.decode()


def with_upcoming(make_portfolio, size):
    """The public pages' portfolio, plus a milestone to come for every ten recommendations, each
    in the main plan and linked to two recommendations, so the upcoming lists grow with it."""
    build_portfolio(make_portfolio, size)
    plan = Plan.objects.get()
    numbers = list(plan.recommendations.order_by("order").values_list("pk", flat=True))
    today = timezone.localdate()
    for i in range(size // 10):
        milestone = MilestoneFactory(plan=plan, date=today + (i + 1) * DAY)
        milestone.recommendations.set(numbers[2 * i : 2 * i + 2])
    return plan


@pytest.mark.parametrize("size", SIZES)
def test_with_upcoming_milestones_the_home_page_runs_the_same_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    with_upcoming(make_portfolio, size)
    # 1 the counts by topic, 2 the topics, 3 the plans, 4 the progress over time (the
    # recommendations with their status records), 5 the latest status updates, 6 the newest past
    # milestones, 7 the upcoming milestones, 8 the city.
    with django_assert_num_queries(8):
        html = client.get(HOME).content.decode()
    assert section(html, "upcoming-heading").count("<li>") == 3


@pytest.mark.parametrize("size", SIZES)
def test_with_upcoming_milestones_a_plans_page_runs_a_fixed_number_of_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    plan = with_upcoming(make_portfolio, size)
    # 1 the plan, 2 its counts by topic, 3 its topics, 4 its progress over time (its
    # recommendations with their status records), 5 its latest status updates, 6 the first page
    # of its recommendations, 7 their current records, 8 their parties, 9 its newest past
    # milestones, 10 its upcoming milestones, 11 the city.
    with django_assert_num_queries(11):
        html = client.get(plan.get_absolute_url()).content.decode()
    assert section(html, "upcoming-heading").count("<li>") == 3


@pytest.mark.parametrize("size", SIZES)
def test_with_upcoming_milestones_the_timeline_runs_the_same_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    with_upcoming(make_portfolio, size)
    # 1 the years with past milestones, 2 how many the first year has (its pages), 3 that
    # year's milestones, 4 their published recommendations with their plan, 5 the upcoming
    # milestones, 6 their recommendations, 7 the city.
    with django_assert_num_queries(7):
        html = client.get(TIMELINE).content.decode()
    assert section(html, "upcoming-heading").count('<li id="milestone-') == size // 10
    # The past, one year at a time: the first year's.
    first = Milestone.objects.filter(date__lt=timezone.localdate()).earliest("date").date.year
    assert year_sections(html).count('<li id="milestone-') == (
        Milestone.objects.filter(date__year=first).count()
    )


def test_the_manager_can_list_only_the_upcoming_or_only_the_past_milestones(manager_client):
    MilestoneFactory(title="Council vote", date=datetime.date(2022, 3, 1))
    MilestoneFactory(title="Academy opens", date=timezone.localdate() + DAY)
    url = reverse("admin:milestones_milestone_changelist")
    upcoming = manager_client.get(url, {"when": "upcoming"}).content.decode()
    assert "Academy opens" in upcoming
    assert "Council vote" not in upcoming
    past = manager_client.get(url, {"when": "past"}).content.decode()
    assert "Council vote" in past
    assert "Academy opens" not in past
