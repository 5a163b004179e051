"""Behind the reverse proxy, sign-in failures count per username and the visitor's address (the
one the proxy saw, TRUSTED_PROXY_COUNT entries from the right of X-Forwarded-For), so failures
from one address never lock the manager out from another."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factories' password
PROXY = "127.0.0.1"  # every request reaches the app from the proxy
ADDRESS_A, ADDRESS_B = "198.51.100.23", "203.0.113.9"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def sign_in(client, username, password, forwarded_for):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def fail_until_locked(client, username, forwarded_for):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, username, "wrong", forwarded_for)
    assert response.status_code == 429
    return response


def test_failures_from_one_address_do_not_lock_the_manager_out_from_another(client, manager):
    fail_until_locked(client, manager.username, ADDRESS_A)
    assert sign_in(client, manager.username, PASSWORD, ADDRESS_B).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_address_that_failed_stays_locked_out(client, manager):
    fail_until_locked(client, manager.username, ADDRESS_A)
    assert sign_in(client, manager.username, PASSWORD, ADDRESS_A).status_code == 429


def test_an_address_made_up_in_the_header_does_not_escape_the_lockout(client, manager):
    # The proxy appends the address it saw; what the visitor wrote before it counts for nothing.
    fail_until_locked(client, manager.username, ADDRESS_A)
    response = sign_in(client, manager.username, PASSWORD, f"10.1.2.3, {ADDRESS_A}")
    assert response.status_code == 429


def test_without_a_trusted_proxy_the_header_is_ignored(client, manager, settings):
    # A visitor who reaches the app directly cannot choose an address to fail from.
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, manager.username, "wrong", f"192.0.2.{number}")
    response = sign_in(client, manager.username, "wrong", "192.0.2.200")
    assert response.status_code == 429
