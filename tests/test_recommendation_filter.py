import pytest

from recommendations.filters import RecommendationFilter
from recommendations.models import Recommendation
from tests.factories import PartyFactory, RecommendationFactory


def filtered(**params):
    filterset = RecommendationFilter(params, queryset=Recommendation.objects.with_progress())
    assert filterset.is_valid(), filterset.errors
    return [int(r.code) if r.code.isdigit() else r.code for r in filterset.qs]


@pytest.mark.django_db
def test_filters_by_topic_status_phase_lead_and_words(okc):
    assert filtered(topic="youth-outreach") == [23, 24, 25, 26]
    assert filtered(status="evaluation") == [9, 26]
    assert filtered(phase="not-started") == [6, 7, 8, 28, 37]
    assert filtered(lead="911-dispatch") == [22]
    # "City and OKCPD" and "OKCPD and City" are now the same two leads.
    both = [r for r in filtered(lead="city") if r in filtered(lead="okcpd")]
    assert len(both) == 2
    assert filtered(q="advisory board") == [12, 13, 14, 15, 23]
    assert filtered(topic="youth-outreach", phase="implemented") == [23, 24, 26]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"topic": "nope"},
        {"status": "done"},
        {"phase": "finished"},
        {"lead": "Mayor"},
        {"lead": "OKCPD"},
        {"plan": "nope"},
    ],
)
def test_unknown_values_make_the_filter_invalid(okc, params):
    filterset = RecommendationFilter(params, queryset=Recommendation.objects.with_progress())
    assert not filterset.is_valid()
    assert set(filterset.errors) == set(params)


@pytest.mark.django_db
def test_a_lead_named_only_by_an_unpublished_recommendation_is_not_offered():
    RecommendationFactory(leads=[PartyFactory(slug="city", name="City")])
    secret = PartyFactory(slug="secret", name="Secret Task Force")
    RecommendationFactory(leads=[secret], is_published=False)
    filterset = RecommendationFilter({}, queryset=Recommendation.objects.with_progress())
    offered = [str(value) for value, _ in filterset.form.fields["lead"].choices]
    assert "city" in offered
    assert "secret" not in offered


@pytest.mark.django_db
def test_the_lead_filter_finds_where_a_party_leads_not_where_it_supports(okc):
    from django.core.management import call_command

    call_command("loaddata", "pilots", verbosity=0)
    assert filtered(lead="opi") == ["MH1", "MH2", "MH3", "R4"]
    assert filtered(plan="pilots") == ["MH1", "MH2", "MH3", "R4", "R1", "R3", "RS", "MH4"]
    assert (
        len(filtered(plan="okc-2022"))
        == Recommendation.objects.filter(plan__slug="okc-2022").count()
    )
