"""Repeated failed sign-ins pause sign-in for that username (brute force); idle staff
sessions end."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factories' password
PAUSED = "sign-in for this username from your connection is paused for 15 minutes"


def sign_in(client, username, password):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}
    )


def fail_until_locked(client, username):
    responses = [sign_in(client, username, "wrong") for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert all(r.status_code == 200 for r in responses[:-1])
    return responses[-1]


def text(response):
    """The page's text with its whitespace collapsed, as a reader meets it."""
    return " ".join(response.content.decode().split())


def signed_in(client):
    return client.get(reverse("admin:index")).status_code == 200


def test_the_limit_th_failure_shows_a_clear_lockout_page(client, manager):
    response = fail_until_locked(client, manager.username)
    assert response.status_code == 429
    page = text(response)
    assert "Sign-in paused" in page
    assert PAUSED in page
    assert "Your password has not been changed." in page


def test_while_locked_out_even_the_right_password_is_refused(client, manager):
    fail_until_locked(client, manager.username)
    response = sign_in(client, manager.username, PASSWORD)
    assert response.status_code == 429
    assert PAUSED in text(response)
    assert not signed_in(client)


def test_fewer_failures_than_the_limit_still_let_the_manager_in(client, manager):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, manager.username, "wrong")
    assert sign_in(client, manager.username, PASSWORD).status_code == 302
    assert signed_in(client)
    assert not AccessAttempt.objects.exists()  # a success clears the count


def test_guessing_another_username_does_not_lock_the_manager_out(client, manager):
    fail_until_locked(client, "admin")
    assert sign_in(client, manager.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_after_the_pause_the_manager_can_sign_in_again(client, manager):
    fail_until_locked(client, manager.username)
    # Age the failures past the 15-minute pause (the attempts are plain rows, no history).
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1)
    )
    assert sign_in(client, manager.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_every_request_pushes_the_session_expiry_forward(manager_client):
    session = Session.objects.get()
    nearly_expired = timezone.now() + datetime.timedelta(minutes=5)
    Session.objects.filter(pk=session.pk).update(expire_date=nearly_expired)

    assert signed_in(manager_client)

    expiry = Session.objects.get().expire_date
    assert expiry - timezone.now() > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_after_an_idle_hour_the_session_has_ended(manager_client):
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = manager_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_user_who_is_not_staff_is_not_let_into_the_admin(client):
    user = UserFactory(is_staff=False)
    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 200
    assert "Please enter the correct username and password for a staff account" in text(response)


def test_lockouts_do_not_carry_over_to_the_next_test(client, manager):
    # The tests above locked this username out from this address; each test starts clean.
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, manager.username, PASSWORD).status_code == 302
