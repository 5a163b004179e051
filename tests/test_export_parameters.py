"""Bad parameters on any download or the report: a 400 page saying what to fix, never a file
with the wrong figures and never a 5xx."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PlanFactory, RecommendationFactory, TopicFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "exports:recommendations-csv",
    "exports:recommendations-xlsx",
    "exports:updates-csv",
    "exports:summary-csv",
    "exports:report",
]


def problems(response):
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    return response.getvalue().decode()


@pytest.mark.parametrize("name", PAGES)
def test_a_malformed_date_is_refused_with_the_expected_format(client, name):
    html = problems(client.get(reverse(name), {"as_of": "1/10/2025"}))
    assert "<code>as_of</code>: Enter a date as YYYY-MM-DD" in html


@pytest.mark.parametrize("name", PAGES)
def test_an_impossible_date_is_refused(client, name):
    problems(client.get(reverse(name), {"as_of": "2025-02-30"}))


@pytest.mark.parametrize("name", PAGES)
def test_a_future_date_is_refused_because_the_portal_does_not_forecast(client, name):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    html = problems(client.get(reverse(name), {"as_of": tomorrow.isoformat()}))
    assert "is after today" in html


@pytest.mark.parametrize("name", PAGES)
def test_today_is_a_valid_as_of_date(client, name):
    RecommendationFactory()
    response = client.get(reverse(name), {"as_of": timezone.localdate().isoformat()})
    assert response.status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_an_unknown_filter_value_is_refused_not_ignored(client, name):
    html = problems(client.get(reverse(name), {"topic": "no-such-topic"}))
    assert "<code>topic</code>" in html


@pytest.mark.parametrize("name", PAGES)
def test_an_unknown_plan_is_refused_with_a_readable_message(client, name):
    RecommendationFactory()
    html = problems(client.get(reverse(name), {"plan": "no-such-plan"}))
    assert "<code>plan</code>: Select a valid choice." in html


@pytest.mark.parametrize("name", PAGES)
def test_an_unpublished_plan_is_refused_like_an_unknown_one(client, name):
    RecommendationFactory(topic=TopicFactory(plan=PlanFactory(slug="draft", is_published=False)))
    problems(client.get(reverse(name), {"plan": "draft"}))


@pytest.mark.parametrize("name", PAGES)
def test_a_known_plan_is_accepted(client, name):
    rec = RecommendationFactory()
    assert client.get(reverse(name), {"plan": rec.plan.slug}).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_a_misspelt_parameter_is_refused_rather_than_giving_todays_figures(client, name):
    html = problems(client.get(reverse(name), {"asof": "2024-01-01"}))
    assert "<code>asof</code>: Unknown parameter. This address accepts as_of, q, plan" in html


@pytest.mark.parametrize("name", PAGES)
def test_a_repeated_parameter_is_refused(client, name):
    html = problems(client.get(f"{reverse(name)}?as_of=2024-01-01&as_of=2025-01-01"))
    assert "only once" in html


@pytest.mark.parametrize("name", PAGES)
def test_every_problem_is_listed_at_once(client, name):
    html = problems(client.get(reverse(name), {"as_of": "soon", "phase": "finished"}))
    assert "<code>as_of</code>" in html
    assert "<code>phase</code>" in html


@pytest.mark.parametrize("name", PAGES)
def test_empty_filters_from_a_form_mean_no_filter(client, name):
    RecommendationFactory()
    response = client.get(reverse(name), {"q": "", "topic": "", "as_of": ""})
    assert response.status_code == 200


def test_since_is_refused_on_the_downloads_and_accepted_by_the_report(client):
    problems(client.get(reverse("exports:summary-csv"), {"since": "2024-01-01"}))
    assert client.get(reverse("exports:report"), {"since": "2024-01-01"}).status_code == 200


def test_since_after_the_as_of_date_is_refused(client):
    html = problems(
        client.get(reverse("exports:report"), {"as_of": "2024-01-01", "since": "2024-06-01"})
    )
    assert "<code>since</code>" in html


PARAMETER = st.sampled_from(
    ["as_of", "since", "q", "plan", "topic", "status", "phase", "lead", "x"]
)
HOSTILE = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["\x00", "0000-00-00", "9999-12-31", "-1", "2024-13-01", "' OR 1=1 --", "9" * 30]
    ),
)


@pytest.mark.parametrize("name", PAGES)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.dictionaries(PARAMETER, HOSTILE, max_size=3))
def test_hostile_parameters_never_cause_a_server_error(client, name, query):
    response = client.get(reverse(name), query)
    assert response.status_code in (200, 400)
