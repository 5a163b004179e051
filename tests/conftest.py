import pytest
from django.core.management import call_command

from tests.factories import RecommendationFactory, StatusUpdateFactory, TopicFactory, status


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def okc(db):
    """The Oklahoma City data, loaded the way bin/serve loads it."""
    call_command("loaddata_if_empty", "okc", verbosity=0)


@pytest.fixture
def make_portfolio(db):
    """Builds `size` published recommendations over four topics, each in a different state."""

    def make(size):
        topics = TopicFactory.create_batch(4)
        cycle = [None, "initiation", "planning", "full-implementation", "evaluation"]
        for i in range(size):
            rec = RecommendationFactory(topic=topics[i % len(topics)])
            slug = cycle[i % len(cycle)]
            if slug:
                StatusUpdateFactory(recommendation=rec, status=status(slug))
        return topics

    return make
