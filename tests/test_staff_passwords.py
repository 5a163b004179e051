"""Staff passwords: at least 12 characters, not common, not like the account's names, not only
digits; the manager changes their own in the admin."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.second_factor import PASSWORD, sign_in_with_password

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-pass1", "at least 12 characters"),
        ("password1234", "too common"),
        ("849302758475", "entirely numeric"),
        ("maria.lopez.okc", "too similar"),
    ],
)
def test_weak_passwords_are_refused(manager, password, reason):
    manager.username, manager.email = "maria.lopez", "maria.lopez@okc.example"
    with pytest.raises(ValidationError, match=reason):
        validate_password(password, manager)


def test_the_manager_changes_their_own_password_from_the_admin(manager, manager_client):
    index = manager_client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("admin:password_change")}"' in index
    form = manager_client.get(reverse("admin:password_change"))
    assert form.status_code == 200
    new = "a quieter passphrase for 2027"
    response = manager_client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert manager_client.get(reverse("admin:index")).status_code == 200  # still signed in
    manager.refresh_from_db()
    assert manager.check_password(new)
    assert sign_in_with_password(Client(), manager.username, new).status_code == 302


def test_a_short_new_password_is_refused_in_the_admin(manager, manager_client):
    response = manager_client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": "short-pass1", "new_password2": "short-pass1"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    manager.refresh_from_db()
    assert manager.check_password(PASSWORD)
