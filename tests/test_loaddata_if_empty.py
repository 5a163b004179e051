import pytest
from django.core.management import call_command

from recommendations.models import Recommendation, StatusUpdate
from tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db


def test_loads_the_city_data_into_an_empty_database_with_initial_history():
    call_command("loaddata_if_empty", "okc", verbosity=0)
    assert Recommendation.objects.count() == Recommendation.history.count() > 0
    assert StatusUpdate.objects.count() == StatusUpdate.history.count() > 0


def test_leaves_a_database_with_recommendations_alone():
    RecommendationFactory()
    call_command("loaddata_if_empty", "okc", verbosity=0)
    assert Recommendation.objects.count() == 1
