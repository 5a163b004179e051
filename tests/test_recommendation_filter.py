import pytest

from recommendations.filters import RecommendationFilter
from recommendations.models import Recommendation
from tests.factories import RecommendationFactory


def filtered(**params):
    filterset = RecommendationFilter(params, queryset=Recommendation.objects.with_progress())
    assert filterset.is_valid(), filterset.errors
    return sorted(r.number for r in filterset.qs)


@pytest.mark.django_db
def test_filters_by_topic_status_phase_lead_and_words(okc):
    assert filtered(topic="youth-outreach") == [23, 24, 25, 26]
    assert filtered(status="evaluation") == [9, 26]
    assert filtered(phase="not-started") == [6, 7, 8, 28, 37]
    assert filtered(lead="911 Dispatch") == [22]
    assert filtered(q="advisory board") == [12, 13, 14, 15, 23]
    assert filtered(topic="youth-outreach", phase="implemented") == [23, 24, 26]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params", [{"topic": "nope"}, {"status": "done"}, {"phase": "finished"}, {"lead": "Mayor"}]
)
def test_unknown_values_make_the_filter_invalid(okc, params):
    filterset = RecommendationFilter(params, queryset=Recommendation.objects.with_progress())
    assert not filterset.is_valid()
    assert set(filterset.errors) == set(params)


@pytest.mark.django_db
def test_a_lead_named_only_by_an_unpublished_recommendation_is_not_offered():
    RecommendationFactory(lead="City")
    RecommendationFactory(lead="Secret Task Force", is_published=False)
    filterset = RecommendationFilter({}, queryset=Recommendation.objects.with_progress())
    offered = [value for value, _ in filterset.form.fields["lead"].choices]
    assert "City" in offered
    assert "Secret Task Force" not in offered
