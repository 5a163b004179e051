"""`manage.py create_manager USERNAME --email ...` makes a working manager account."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "weekly-update-at-city-hall"


@pytest.fixture
def typed(monkeypatch):
    """What the person at the terminal types at the password prompts."""

    def answers(*passwords):
        replies = iter(passwords)
        monkeypatch.setattr("getpass.getpass", lambda prompt: next(replies))

    return answers


def create(*args, **options):
    call_command("create_manager", *args, verbosity=0, **options)


def test_the_new_account_is_staff_in_the_manager_group_and_nothing_more(typed):
    typed(GOOD_PASSWORD, GOOD_PASSWORD)
    create("maria", email="maria@okc.example", first_name="Maria", last_name="Lopez")
    user = get_user_model().objects.get(username="maria")
    assert user.is_staff and not user.is_superuser
    assert [g.name for g in user.groups.all()] == ["Implementation manager"]
    assert (user.email, user.get_full_name()) == ("maria@okc.example", "Maria Lopez")
    assert user.check_password(GOOD_PASSWORD)


def test_the_new_manager_can_sign_in_and_do_the_job(client, typed):
    typed(GOOD_PASSWORD, GOOD_PASSWORD)
    create("maria", email="maria@okc.example")
    response = client.post(
        reverse("admin:login"),
        {"username": "maria", "password": GOOD_PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:recommendations_recommendation_add")).status_code == 200
    assert client.get(reverse("admin:plans_party_add")).status_code == 200
    assert client.get(reverse("admin:plans_plan_add")).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_mismatched_passwords_are_asked_again(typed):
    typed(GOOD_PASSWORD, "typo", GOOD_PASSWORD, GOOD_PASSWORD)
    create("maria", email="maria@okc.example")
    assert get_user_model().objects.get(username="maria").check_password(GOOD_PASSWORD)


def test_a_weak_password_is_refused_and_nothing_is_created(typed):
    typed("password", "password")
    with pytest.raises(CommandError, match="too common"):
        create("maria", email="maria@okc.example")
    assert not get_user_model().objects.filter(username="maria").exists()


def test_without_a_terminal_the_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("MANAGER_PASSWORD", GOOD_PASSWORD)
    create("maria", "--no-input", email="maria@okc.example")
    assert get_user_model().objects.get(username="maria").check_password(GOOD_PASSWORD)


def test_without_a_terminal_or_a_password_nothing_is_created(monkeypatch):
    monkeypatch.delenv("MANAGER_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="MANAGER_PASSWORD"):
        create("maria", "--no-input", email="maria@okc.example")
    assert not get_user_model().objects.filter(username="maria").exists()


def test_an_existing_username_is_refused_and_left_alone():
    existing = UserFactory(username="maria", is_staff=False)
    with pytest.raises(CommandError, match="already exists"):
        create("maria", email="maria@okc.example")
    existing.refresh_from_db()
    assert not existing.is_staff


def test_a_malformed_email_is_refused():
    with pytest.raises(CommandError, match="not an email address"):
        create("maria", email="maria at city hall")


def test_a_dry_run_creates_nothing(monkeypatch):
    monkeypatch.setenv("MANAGER_PASSWORD", GOOD_PASSWORD)
    create("maria", "--no-input", "--dry-run", email="maria@okc.example")
    assert not get_user_model().objects.filter(username="maria").exists()
