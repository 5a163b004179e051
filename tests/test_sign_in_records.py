"""Every sign-in, failure and lockout is recorded with its time, address (as
TRUSTED_PROXY_COUNT defines it) and browser; the superuser reads them all, a manager their
own."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import SignInEvent
from tests.second_factor import sign_in_with_password

pytestmark = pytest.mark.django_db

LIST = reverse("admin:accounts_signinevent_changelist")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 " + "x" * 500


def test_a_sign_in_is_recorded_with_the_address_the_proxy_saw_and_the_browser(
    client, manager, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    sign_in_with_password(
        client,
        manager.username,
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.23",
        HTTP_USER_AGENT=BROWSER,
    )
    event = SignInEvent.objects.get()
    assert (event.event, event.user, event.username) == ("signed-in", manager, "manager")
    assert event.address == "198.51.100.23"
    assert event.browser == BROWSER[:200]


def test_a_failure_records_the_username_tried_and_a_lockout_is_recorded(client, manager):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(client, "manger", "wrong", REMOTE_ADDR="203.0.113.9")
    failures = SignInEvent.objects.filter(event="failed")
    assert failures.count() == settings.AXES_FAILURE_LIMIT
    assert {(e.username, e.user, e.address) for e in failures} == {("manger", None, "203.0.113.9")}
    assert SignInEvent.objects.filter(event="locked-out", username="manger").exists()


def test_the_superuser_sees_everyones_records_and_filters_by_user_and_event(
    superuser, superuser_client, manager
):
    sign_in_with_password(Client(), manager.username)
    sign_in_with_password(Client(), "nobody", "wrong")
    page = superuser_client.get(LIST)
    assert page.status_code == 200
    assert {e.username for e in page.context["cl"].result_list} >= {"manager", "nobody", "admin"}
    only_manager = superuser_client.get(LIST, {"user__id__exact": manager.pk})
    assert {e.username for e in only_manager.context["cl"].result_list} == {"manager"}
    failed = superuser_client.get(LIST, {"event": "failed"})
    assert {e.username for e in failed.context["cl"].result_list} == {"nobody"}


def test_a_manager_sees_only_their_own_records(manager, manager_client, superuser_client):
    sign_in_with_password(Client(), "admin", "wrong")
    page = manager_client.get(LIST)
    assert page.status_code == 200
    events = page.context["cl"].result_list
    assert events and {e.user for e in events} == {manager}
    someone_elses = SignInEvent.objects.exclude(user=manager).first()
    response = manager_client.get(
        reverse("admin:accounts_signinevent_change", args=[someone_elses.pk])
    )
    assert response.status_code == 302  # "does not exist", to them
    assert "admin" not in {e.username for e in manager_client.get(LIST).context["cl"].result_list}


def test_the_records_cannot_be_edited_or_deleted_even_by_the_superuser(superuser_client):
    event = SignInEvent.objects.get()
    change = superuser_client.post(
        reverse("admin:accounts_signinevent_change", args=[event.pk]), {"username": "x"}
    )
    assert change.status_code == 403
    delete = superuser_client.post(
        reverse("admin:accounts_signinevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert SignInEvent.objects.filter(pk=event.pk, username="admin").exists()
