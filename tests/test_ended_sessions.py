"""Deactivating a staff account, resetting its password or its second factor signs it out
everywhere at once; the superuser can also sign someone out without deactivating them."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SignInEvent, StaffSession
from tests.factories import UserFactory
from tests.second_factor import PASSWORD

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def signed_in(client):
    return client.get(INDEX).status_code == 200


@pytest.fixture
def two_sessions(manager):
    """The manager signed in twice: at the office and on a phone."""
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(manager)
    assert all(signed_in(client) for client in clients)
    return clients


def test_deactivating_the_manager_signs_them_out_at_their_next_request(
    manager, two_sessions, superuser_client
):
    page = superuser_client.get(reverse("admin:auth_user_change", args=[manager.pk]))
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None and key not in {"password", "last_login", "groups"}
    }
    data.update(
        groups=[group.pk for group in manager.groups.all()],
        is_active="",
        date_joined_0=manager.date_joined.strftime("%Y-%m-%d"),
        date_joined_1=manager.date_joined.strftime("%H:%M:%S"),
    )
    data.pop("is_active")
    data.pop("user_permissions", None)
    response = superuser_client.post(
        reverse("admin:auth_user_change", args=[manager.pk]), {**data, "is_staff": "on"}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    manager.refresh_from_db()
    assert not manager.is_active
    for client in two_sessions:
        response = client.get(INDEX)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    assert not Session.objects.filter(
        session_key__in=[client.session.session_key for client in two_sessions]
    ).exists()
    assert not StaffSession.objects.filter(user=manager).exists()


def test_the_superuser_ends_a_managers_sessions_and_the_account_stays_usable(
    manager, two_sessions, superuser_client
):
    response = superuser_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "end_all_sessions", "_selected_action": [manager.pk]},
        follow=True,
    )
    assert "2 session(s) ended." in response.content.decode()
    assert not any(signed_in(client) for client in two_sessions)
    manager.refresh_from_db()
    assert manager.is_active
    assert signed_in(superuser_client)  # the superuser's own session is untouched
    assert SignInEvent.objects.filter(user=manager, event="sessions-ended").exists()
    again = Client()
    again.force_login(manager)
    assert signed_in(again)


def test_a_password_set_by_the_superuser_signs_the_manager_out(
    manager, two_sessions, superuser_client
):
    response = superuser_client.post(
        reverse("admin:auth_user_password_change", args=[manager.pk]),
        {
            "password1": "a new and long passphrase 2026",
            "password2": "a new and long passphrase 2026",
        },
    )
    assert response.status_code == 302
    assert not any(signed_in(client) for client in two_sessions)


def test_a_manager_cannot_end_anyone_elses_sessions(manager_client, superuser_client, superuser):
    response = manager_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "end_all_sessions", "_selected_action": [superuser.pk]},
    )
    assert response.status_code == 403
    assert signed_in(superuser_client)


def test_signing_in_again_forgets_the_sessions_that_have_expired(manager):
    first = Client()
    first.force_login(manager)
    Session.objects.all().delete()  # expired and cleared away
    second = Client()
    second.force_login(manager)
    assert list(StaffSession.objects.values_list("session_key", flat=True)) == [
        second.session.session_key
    ]


def test_someone_who_is_not_staff_has_no_sessions_to_end(superuser_client):
    user = UserFactory()
    response = superuser_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "end_all_sessions", "_selected_action": [user.pk]},
        follow=True,
    )
    assert "0 session(s) ended." in response.content.decode()


def test_after_changing_their_password_the_manager_can_still_be_signed_out(
    manager, manager_client, superuser_client
):
    new = "a quieter passphrase for 2027"
    manager_client.post(
        reverse("admin:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": new,
            "new_password2": new,
        },
    )
    assert signed_in(manager_client)  # the new session key is registered on this request
    superuser_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "end_all_sessions", "_selected_action": [manager.pk]},
    )
    assert not signed_in(manager_client)


def test_removing_a_managers_app_anywhere_ends_their_sessions(manager, two_sessions):
    TOTPDevice.objects.filter(user=manager).delete()
    assert not any(signed_in(client) for client in two_sessions)
