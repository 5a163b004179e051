import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from tests.factories import (
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    UserFactory,
    status,
)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_by_default():
    """A request for a Spanish page leaves Spanish active in the test's thread (nothing
    deactivates it), so that reverse() would then give /es/ addresses: each test starts and
    ends in English."""
    translation.activate("en")
    yield
    translation.activate("en")


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


# Personas. django-axes needs the request to authenticate, so Client.login() raises here: log
# in with force_login (as below), or post to /admin/login/ as a browser does.


def manager_group():
    """The "Implementation manager" group from the staff data migrations (put back if a
    transactional test's flush emptied it)."""
    first = importlib.import_module("staff.migrations.0001_implementation_manager_group")
    if not Group.objects.filter(name=first.GROUP).exists():
        first.create_group(apps, None)
        for later in ("0002_manager_rights_on_plans_and_parties", "0003_manager_reviews_feedback"):
            importlib.import_module(f"staff.migrations.{later}").add_rights(apps, None)
    return Group.objects.get(name=first.GROUP)


@pytest.fixture
def manager(db):
    """A staff account in the "Implementation manager" group, as create_manager makes it."""
    user = UserFactory(username="manager", first_name="Maria", last_name="Lopez", is_staff=True)
    user.groups.add(manager_group())
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def manager_client(manager):
    client = Client()
    client.force_login(manager)
    return client


@pytest.fixture
def sam_client(db):
    """A second manager's session, for the tests where two people edit the same thing."""
    sam = UserFactory(username="sam", first_name="Sam", last_name="Ortiz", is_staff=True)
    sam.groups.add(manager_group())
    client = Client()
    client.force_login(sam)
    return client


@pytest.fixture
def superuser_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def page_cache(settings):
    """The public page cache switched on (it is off with DEBUG, so in tests) and empty."""
    settings.PAGE_CACHE = True
    caches["default"].clear()
