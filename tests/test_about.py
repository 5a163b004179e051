import pytest
from django.urls import reverse

from recommendations.models import Status
from tests.public_pages import SIZES, build_portfolio

pytestmark = pytest.mark.django_db

URL = reverse("pages:about")


def test_the_status_definitions_are_read_from_the_status_table(client):
    planning = Status.objects.get(slug="planning")
    planning.definition = "A plan is written and followed, step by step."
    planning.save()
    html = client.get(URL).content.decode()
    assert "A plan is written and followed, step by step." in html
    for status in Status.objects.all():
        assert status.name in html


def test_each_status_says_how_it_is_counted(client):
    html = client.get(URL).content.decode()
    assert 'Full Implementation <span class="muted">(counted as implemented; progress 100%)' in html
    assert 'On Hold <span class="muted">(counted as not started; progress 0–99%)' in html


def test_the_page_explains_how_the_counts_are_computed(client):
    html = client.get(URL).content.decode()
    assert 'id="counts"' in html
    assert "Started</strong>: those whose current status is in progress or implemented" in html


@pytest.mark.parametrize("size", SIZES)
def test_the_about_page_runs_two_queries(client, make_portfolio, django_assert_num_queries, size):
    build_portfolio(make_portfolio, size)
    # 1 the status scale, 2 the city (names and footer, on every page).
    with django_assert_num_queries(2):
        assert client.get(URL).status_code == 200
