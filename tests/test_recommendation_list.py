import pytest
from django.urls import reverse

from pages.views import RECOMMENDATIONS_PER_PAGE
from recommendations.models import Phase, Recommendation
from tests.factories import (
    PartyFactory,
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    UserFactory,
    status,
)
from tests.public_pages import SIZES, build_portfolio, cards

pytestmark = pytest.mark.django_db

URL = reverse("pages:list")


def listed(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.status_code
    return cards(response)


def test_every_published_recommendation_is_listed_in_the_plans_order(client, okc):
    published = list(Recommendation.objects.published().values_list("code", flat=True))
    assert listed(client) == published


def test_each_card_shows_title_topic_lead_status_and_progress(client):
    rec = RecommendationFactory(
        title="Body cameras for all", leads=[PartyFactory(name="Police Department")]
    )
    StatusUpdateFactory(recommendation=rec, status=status("planning"), progress=45)
    html = client.get(URL).content.decode()
    for text in ("Body cameras", rec.topic.name, "Police Department", "Planning", "45% complete"):
        assert text in html


def test_unpublished_recommendations_are_hidden_from_the_public(client):
    shown = RecommendationFactory()
    RecommendationFactory(is_published=False)
    assert listed(client) == [shown.code]


def test_staff_also_see_unpublished_recommendations_marked_as_such(client):
    hidden = RecommendationFactory(is_published=False)
    client.force_login(UserFactory(is_staff=True))
    response = client.get(URL)
    assert cards(response) == [hidden.code]
    assert "Unpublished" in response.content.decode()
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"topic": "youth-outreach"}, lambda qs: qs.filter(topic__slug="youth-outreach")),
        ({"status": "evaluation"}, lambda qs: qs.filter(current_status_id=status("evaluation").pk)),
        ({"phase": "not-started"}, lambda qs: qs.in_phase(Phase.NOT_STARTED)),
        ({"phase": "started"}, lambda qs: qs.exclude(current_phase=Phase.NOT_STARTED)),
        (
            {"lead": "911-dispatch"},
            lambda qs: qs.filter(
                responsibilities__party__slug="911-dispatch", responsibilities__role="lead"
            ),
        ),
        ({"lead": "city"}, lambda qs: qs.filter(parties__slug="city")),
        ({"q": "advisory"}, lambda qs: qs.filter(text__icontains="advisory")),
    ],
)
def test_each_filter_narrows_the_list(client, okc, params, expected):
    everything = Recommendation.objects.published().with_progress()
    numbers = list(expected(everything).values_list("code", flat=True))
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
    "params",
    [
        {"topic": "nope"},
        {"status": "done"},
        {"phase": "finished"},
        {"lead": "Mayor"},
        {"plan": "nope"},
    ],
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
    # 1 the plans for the plan filter, 2 the number of matches (for the pages), 3 the page of
    # recommendations with their figures, plan and topic, 4 their current records with their
    # status, 5 their parties and roles, 6 the city (names and footer), 7 the topic choices,
    # 8 the status choices, 9 the leads for the lead filter.
    with django_assert_num_queries(9):
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


@pytest.mark.parametrize("size", SIZES)
def test_with_two_plans_the_list_filtered_by_plan_runs_a_fixed_number_of_queries(
    client, make_portfolio, django_assert_num_queries, size
):
    build_portfolio(make_portfolio, size)
    second = PlanFactory(short_name="Pilots")
    RecommendationFactory.create_batch(3, topic=TopicFactory(plan=second))
    # The nine above, and 10 the chosen plan, read to check that it exists.
    with django_assert_num_queries(10):
        response = client.get(URL, {"plan": second.slug})
    html = response.content.decode()
    assert len(cards(response)) == 3
    assert '<select name="plan"' in html
    assert ">Pilots</a>" in html


def test_with_one_plan_the_list_offers_no_plan_filter(client, okc):
    assert '<select name="plan"' not in client.get(URL).content.decode()


def test_the_pilots_are_listed_in_the_sources_order_with_their_roles(client, okc):
    from django.core.management import call_command

    call_command("loaddata", "pilots", verbosity=0)
    response = client.get(URL, {"plan": "pilots"})
    assert cards(response) == ["MH1", "MH2", "MH3", "R4", "R1", "R3", "RS", "MH4"]
    html = response.content.decode()
    mh1 = html[html.index('data-code="MH1"') : html.index('data-code="MH2"')]
    rs = html[html.index('data-code="RS"') : html.index('data-code="MH4"')]
    assert "<dt>Lead</dt><dd>Office of Performance and Innovation</dd>" in mh1
    assert "<dt>Support</dt><dd>Office of Performance and Innovation</dd>" in rs
    assert "<dt>Lead</dt><dd>Not named</dd>" in rs


def test_codes_sort_by_the_plans_order_so_10_comes_after_9(client):
    topic = TopicFactory()
    for order in (10, 9, 11):
        RecommendationFactory(topic=topic, order=order, code=str(order))
    assert listed(client) == ["9", "10", "11"]


def test_the_lead_filter_offers_each_party_once(client, okc):
    html = client.get(URL).content.decode()
    select = html[html.index('<select name="lead"') :]
    select = select[: select.index("</select>")]
    options = [line for line in select.split("<option")[2:]]
    labels = [option.split(">", 1)[1].split("<", 1)[0] for option in options]
    assert len(labels) == len(set(labels))
    assert "City of Oklahoma City" in labels
    assert "Oklahoma City Police Department" in labels
