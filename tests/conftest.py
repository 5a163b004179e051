import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

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


# Tests whose sign-ins go through the password form only, as the manager: written before the
# second factor, they run with it required of superusers only (STAFF_SECOND_FACTOR's other
# production setting). Every other test requires it of all staff, as production does.
PASSWORD_ONLY_SIGN_INS = {
    "tests.test_admin_login_lockout",
    "tests.test_sign_in_behind_proxy",
    "tests.test_create_manager",
    "tests.browser.test_manager_guide",
    "tests.browser.test_round_trip_in_chromium",
    "tests.browser.test_weekly_screen_in_chromium",
}


@pytest.fixture(autouse=True)
def _second_factor_required(request, settings):
    """Settings load with DEBUG on (the second factor off); tests run as production does."""
    module = request.node.module.__name__ if request.node.module else ""
    settings.STAFF_SECOND_FACTOR = "superusers" if module in PASSWORD_ONLY_SIGN_INS else "all"


def verify_session(client, user):
    """Marks `client`'s session as having passed the second step with a confirmed
    authenticator app of `user`'s (made if need be), as django_otp.login does."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture(autouse=True)
def _force_login_completes_the_sign_in(monkeypatch):
    """force_login stands for a complete sign-in: for staff, the second step included (the
    tests of the second step itself sign in through its forms)."""
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if user.is_staff:
            verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


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
        importlib.import_module("accounts.migrations.0002_manager_views_own_sign_ins").add_rights(
            apps, None
        )
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
