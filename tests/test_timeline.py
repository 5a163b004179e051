import datetime
import re

import pytest
from django.urls import reverse

from milestones.models import Milestone, Precision
from pages.views import MILESTONES_PER_PAGE
from tests.factories import MilestoneFactory, RecommendationFactory, UserFactory
from tests.public_pages import SIZES, build_portfolio

pytestmark = pytest.mark.django_db

URL = reverse("pages:timeline")


def years(html):
    return [int(y) for y in re.findall(r'<h2 id="year-(\d+)">', html)]


def year_links(html):
    return [
        int(y) for y in re.findall(r'<a (?:aria-current="page" )?href="\?[^"]*year=(\d+)', html)
    ]


def test_the_timeline_shows_one_year_at_a_time_in_date_order_with_links_to_the_others(client):
    later = MilestoneFactory(title="Second", date=datetime.date(2023, 8, 1))
    earlier = MilestoneFactory(title="First", date=datetime.date(2022, 3, 1))
    same_year = MilestoneFactory(title="Third", date=datetime.date(2023, 12, 1))
    html = client.get(URL).content.decode()
    assert years(html) == [2022]  # read oldest first, it begins with the first year
    assert year_links(html) == [2022, 2023]
    assert f'id="milestone-{earlier.pk}"' in html and f'id="milestone-{later.pk}"' not in html
    html = client.get(URL, {"year": 2023}).content.decode()
    assert years(html) == [2023]
    positions = [html.index(f'id="milestone-{m.pk}"') for m in (later, same_year)]
    assert positions == sorted(positions)
    assert '<a aria-current="page" href="?year=2023">2023</a>' in html


def test_the_timeline_reads_newest_first_on_request_descriptions_included(client):
    earlier = MilestoneFactory(title="First", date=datetime.date(2022, 3, 1))
    later = MilestoneFactory(
        title="Second", date=datetime.date(2023, 8, 1), description="The board met."
    )
    same_year = MilestoneFactory(title="Third", date=datetime.date(2023, 12, 1))
    html = client.get(URL).content.decode()
    assert 'href="?order=newest">Read it newest first</a>' in html
    html = client.get(URL, {"order": "newest"}).content.decode()
    assert years(html) == [2023]  # newest first, it begins with the latest year
    assert year_links(html) == [2023, 2022]
    assert html.index(f'id="milestone-{same_year.pk}"') < html.index(f'id="milestone-{later.pk}"')
    assert "The board met." in html
    assert "newest first" in html and 'href="?order=oldest">Read it oldest first</a>' in html
    html = client.get(URL, {"order": "newest", "year": 2022}).content.decode()
    assert f'id="milestone-{earlier.pk}"' in html
    assert 'href="?year=2022&amp;order=oldest">Read it oldest first</a>' in html
    assert client.get(URL, {"order": "sideways"}).status_code == 400


@pytest.mark.parametrize("year", ["abc", "0", "99999", "2023.5"])
def test_a_malformed_year_is_a_bad_request(client, year):
    MilestoneFactory(date=datetime.date(2023, 8, 1))
    assert client.get(URL, {"year": year}).status_code == 400


def test_a_year_without_milestones_or_a_page_past_the_last_is_not_found(client):
    MilestoneFactory(date=datetime.date(2023, 8, 1))
    assert client.get(URL, {"year": 2019}).status_code == 404
    assert client.get(URL, {"year": 2023, "page": 2}).status_code == 404


def test_a_busy_year_is_paged_and_the_upcoming_milestones_stay_on_top(client):
    upcoming = MilestoneFactory(
        title="Coming soon", date=datetime.date.today().replace(year=datetime.date.today().year + 1)
    )
    MilestoneFactory.create_batch(MILESTONES_PER_PAGE + 1, date=datetime.date(2023, 8, 1))
    first = client.get(URL).content.decode()
    assert first.count('id="milestone-') == MILESTONES_PER_PAGE + 1  # the page and upcoming
    assert f'id="milestone-{upcoming.pk}"' in first
    assert 'rel="next" href="?page=2"' in first
    second = client.get(URL, {"page": 2}).content.decode()
    assert second.count('id="milestone-') == 1 + 1
    assert years(second) == [2023]


def test_dates_are_printed_only_as_precisely_as_they_are_known(client):
    MilestoneFactory(date=datetime.date(2021, 1, 15), date_precision=Precision.MONTH)
    MilestoneFactory(date=datetime.date(2020, 6, 16), date_precision=Precision.DAY)
    MilestoneFactory(date=datetime.date(2019, 5, 5), date_precision=Precision.YEAR)
    html = "".join(client.get(URL, {"year": year}).content.decode() for year in (2019, 2020, 2021))
    assert '<time datetime="2021-01">January 2021</time>' in html
    assert '<time datetime="2020-06-16">June 16, 2020</time>' in html
    assert '<time datetime="2019">2019</time>' in html
    assert "Jan. 15, 2021" not in html


def test_a_milestone_links_its_published_recommendations_and_its_source(client):
    shown = RecommendationFactory(title="Advisory board")
    hidden = RecommendationFactory(title="Secret item", is_published=False)
    milestone = MilestoneFactory(
        sources=[{"label": "City news release", "url": "https://www.okc.gov/news/1"}]
    )
    milestone.recommendations.set([shown, hidden])
    html = client.get(URL).content.decode()
    assert shown.get_absolute_url() in html
    assert "Secret item" not in html
    assert '<a href="https://www.okc.gov/news/1" rel="external">City news release</a>' in html


def test_unpublished_milestones_are_hidden_from_the_public_and_marked_for_staff(client):
    MilestoneFactory(title="Draft event", is_published=False)
    assert "Draft event" not in client.get(URL).content.decode()
    client.force_login(UserFactory(is_staff=True))
    response = client.get(URL)
    assert "Draft event" in response.content.decode()
    assert "Unpublished" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_the_timeline_of_the_city_shows_every_published_milestone_year_by_year(client, okc):
    html = client.get(URL).content.decode()
    html += "".join(client.get(URL, {"year": y}).content.decode() for y in year_links(html))
    for milestone in Milestone.objects.published():
        assert milestone.display_date in html


@pytest.mark.parametrize("size", SIZES)
def test_the_timeline_runs_a_fixed_number_of_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    build_portfolio(make_portfolio, size)
    # 1 the years with past milestones, 2 how many that year has (its pages), 3 the year's
    # milestones, 4 their published recommendations with their plan, 5 the upcoming ones (none
    # here, so no recommendations to read), 6 the city.
    with django_assert_num_queries(6):
        response = client.get(URL, {"order": "newest"})
    first_year = Milestone.objects.order_by("-date").first().date.year
    assert response.content.decode().count('id="milestone-') == (
        Milestone.objects.filter(date__year=first_year).count()
    )
