import datetime
import re

import pytest
from django.urls import reverse

from milestones.models import Milestone, Precision
from tests.factories import MilestoneFactory, RecommendationFactory, UserFactory
from tests.public_pages import SIZES, build_portfolio

pytestmark = pytest.mark.django_db

URL = reverse("pages:timeline")


def years(html):
    return [int(y) for y in re.findall(r'<h2 id="year-(\d+)">', html)]


def test_milestones_are_in_date_order_grouped_by_year(client):
    later = MilestoneFactory(title="Second", date=datetime.date(2023, 8, 1))
    earlier = MilestoneFactory(title="First", date=datetime.date(2022, 3, 1))
    same_year = MilestoneFactory(title="Third", date=datetime.date(2023, 12, 1))
    html = client.get(URL).content.decode()
    assert years(html) == [2022, 2023]
    positions = [html.index(f'id="milestone-{m.pk}"') for m in (earlier, later, same_year)]
    assert positions == sorted(positions)


def test_the_timeline_reads_newest_first_on_request_descriptions_included(client):
    earlier = MilestoneFactory(title="First", date=datetime.date(2022, 3, 1))
    later = MilestoneFactory(
        title="Second", date=datetime.date(2023, 8, 1), description="The board met."
    )
    html = client.get(URL).content.decode()
    assert 'href="?order=newest">Read it newest first</a>' in html
    html = client.get(URL, {"order": "newest"}).content.decode()
    assert years(html) == [2023, 2022]
    assert html.index(f'id="milestone-{later.pk}"') < html.index(f'id="milestone-{earlier.pk}"')
    assert "The board met." in html
    assert "newest first" in html and 'href="?order=oldest">Read it oldest first</a>' in html
    assert client.get(URL, {"order": "sideways"}).status_code == 400


def test_dates_are_printed_only_as_precisely_as_they_are_known(client):
    MilestoneFactory(date=datetime.date(2021, 1, 15), date_precision=Precision.MONTH)
    MilestoneFactory(date=datetime.date(2020, 6, 16), date_precision=Precision.DAY)
    MilestoneFactory(date=datetime.date(2019, 5, 5), date_precision=Precision.YEAR)
    html = client.get(URL).content.decode()
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


def test_the_timeline_of_the_city_shows_every_published_milestone(client, okc):
    html = client.get(URL).content.decode()
    for milestone in Milestone.objects.published():
        assert milestone.display_date in html


@pytest.mark.parametrize("size", SIZES)
def test_the_timeline_runs_a_fixed_number_of_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    build_portfolio(make_portfolio, size)
    # 1 the milestones, 2 their published recommendations with their plan, 3 the city.
    with django_assert_num_queries(3):
        response = client.get(URL)
    assert response.content.decode().count('id="milestone-') == size // 10
