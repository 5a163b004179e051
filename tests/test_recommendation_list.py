import pytest
from django.urls import reverse

from pages.views import RECOMMENDATIONS_PER_PAGE
from recommendations.models import Phase, Recommendation
from tests.factories import RecommendationFactory, StatusUpdateFactory, UserFactory, status
from tests.public_pages import SIZES, build_portfolio, cards

pytestmark = pytest.mark.django_db

URL = reverse("pages:list")


def listed(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.status_code
    return cards(response)


def test_every_published_recommendation_is_listed_in_number_order(client, okc):
    published = list(Recommendation.objects.published().values_list("number", flat=True))
    assert listed(client) == published


def test_each_card_shows_title_topic_lead_status_and_progress(client):
    rec = RecommendationFactory(title="Body cameras for all", lead="OKCPD")
    StatusUpdateFactory(recommendation=rec, status=status("planning"), progress=45)
    html = client.get(URL).content.decode()
    for text in ("Body cameras for all", rec.topic.name, "OKCPD", "Planning", "45% complete"):
        assert text in html


def test_unpublished_recommendations_are_hidden_from_the_public(client):
    shown = RecommendationFactory()
    RecommendationFactory(is_published=False)
    assert listed(client) == [shown.number]


def test_staff_also_see_unpublished_recommendations_marked_as_such(client):
    hidden = RecommendationFactory(is_published=False)
    client.force_login(UserFactory(is_staff=True))
    response = client.get(URL)
    assert cards(response) == [hidden.number]
    assert "Unpublished" in response.content.decode()
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"topic": "youth-outreach"}, lambda qs: qs.filter(topic__slug="youth-outreach")),
        ({"status": "evaluation"}, lambda qs: qs.filter(current_status_id=status("evaluation").pk)),
        ({"phase": "not-started"}, lambda qs: qs.in_phase(Phase.NOT_STARTED)),
        ({"phase": "started"}, lambda qs: qs.exclude(current_phase=Phase.NOT_STARTED)),
        ({"lead": "911 Dispatch"}, lambda qs: qs.filter(lead="911 Dispatch")),
        ({"q": "advisory"}, lambda qs: qs.filter(text__icontains="advisory")),
    ],
)
def test_each_filter_narrows_the_list(client, okc, params, expected):
    everything = Recommendation.objects.published().with_progress()
    numbers = list(expected(everything).values_list("number", flat=True))
    assert 0 < len(numbers) < everything.count()
    assert listed(client, **params) == numbers


def test_the_result_count_is_shown(client, okc):
    response = client.get(URL, {"topic": "youth-outreach"})
    assert f"{len(cards(response))} recommendations</h2>" in response.content.decode()


def test_the_filter_form_keeps_the_chosen_values(client, okc):
    html = client.get(URL, {"topic": "youth-outreach", "q": "youth"}).content.decode()
    assert '<option value="youth-outreach" selected>' in html
    assert 'value="youth"' in html


@pytest.mark.parametrize(
    "params", [{"topic": "nope"}, {"status": "done"}, {"phase": "finished"}, {"lead": "Mayor"}]
)
def test_an_unknown_filter_value_is_a_400_with_a_message_and_no_results(client, okc, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "These filters could not be applied" in html
    assert 'aria-invalid="true"' in html
    assert cards(response) == []


def test_a_null_character_in_the_search_is_refused_not_a_server_error(client, okc):
    assert client.get(URL, {"q": "police\x00"}).status_code == 400


def test_a_very_long_search_is_refused_with_a_message_not_a_server_error(client, okc):
    response = client.get(URL, {"q": " ".join(f"word{i}" for i in range(2000))})
    assert response.status_code == 400
    assert "Search: Ensure this value has at most" in response.content.decode()


def test_a_search_that_matches_nothing_says_so(client, okc):
    response = client.get(URL, {"q": "zeppelin"})
    assert response.status_code == 200
    assert "No recommendation matches these filters." in response.content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_the_list_runs_a_fixed_number_of_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    build_portfolio(make_portfolio, size)
    # 1 the leads for the lead filter, 2 the number of matches (for the pages), 3 the page of
    # recommendations with their figures and topic, 4 the status scale for their current
    # status, 5 the topic choices, 6 the status choices.
    with django_assert_num_queries(6):
        response = client.get(URL, {"phase": "in-progress"})
    in_progress = Recommendation.objects.with_progress().in_phase(Phase.IN_PROGRESS).count()
    assert len(cards(response)) == min(in_progress, RECOMMENDATIONS_PER_PAGE)
    assert f"{in_progress} recommendations</h2>" in response.content.decode()


def test_a_long_list_comes_in_pages_that_keep_the_filters(client, make_portfolio):
    make_portfolio(RECOMMENDATIONS_PER_PAGE * 2 + 10)
    first = client.get(URL, {"q": "thing"})
    html = first.content.decode()
    assert len(cards(first)) == RECOMMENDATIONS_PER_PAGE
    assert 'rel="next" href="?q=thing&amp;page=2"' in html
    assert "Page 1 of 3" in html
    last = client.get(URL, {"q": "thing", "page": 3})
    assert len(cards(last)) == 10
    assert 'rel="prev" href="?q=thing&amp;page=2"' in last.content.decode()
    seen = cards(first) + cards(client.get(URL, {"q": "thing", "page": 2})) + cards(last)
    assert len(set(seen)) == RECOMMENDATIONS_PER_PAGE * 2 + 10


@pytest.mark.parametrize("page", ["4", "0", "last-but-one", "-1"])
def test_a_page_that_does_not_exist_is_a_404(client, make_portfolio, page):
    make_portfolio(RECOMMENDATIONS_PER_PAGE * 2 + 10)
    assert client.get(URL, {"page": page}).status_code == 404


def test_one_page_of_results_shows_no_page_links(client, okc):
    html = client.get(URL).content.decode()
    assert 'class="pagination"' not in html
