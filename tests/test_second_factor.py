"""With the second factor required (as in production), the right password alone does not
reach the admin: the first time the manager sets up an authenticator app, afterwards each
sign-in asks for its code (or a backup code, each good once)."""

import base64
import datetime
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SignInEvent
from tests.factories import RecommendationFactory
from tests.second_factor import code_for, enrol, enter_code, sign_in_with_password, text

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


@pytest.fixture
def enrolled(client, manager):
    """The manager, set up and signed out; their app's device and backup codes."""
    sign_in_with_password(client, manager.username)
    _, codes = enrol(client, manager)
    client.post(reverse("admin:logout"))
    return TOTPDevice.objects.get(user=manager), codes


def test_the_right_password_alone_leads_to_enrolment_not_the_admin(client, manager):
    response = sign_in_with_password(client, manager.username)
    assert response.status_code == 302
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:second-step"))
    assert client.get(response.url).url.startswith(reverse("accounts:enrol"))
    for path in ["/admin/recommendations/recommendation/", "/admin/weekly/"]:
        assert client.get(path).url.startswith(reverse("accounts:second-step")), path


def test_before_the_second_step_public_pages_show_no_unpublished_item(client, manager):
    hidden = RecommendationFactory(is_published=False)
    sign_in_with_password(client, manager.username)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    enrol(client, manager)
    assert client.get(hidden.get_absolute_url()).status_code == 200


def test_enrolment_shows_a_qr_code_and_the_key_typed_out_in_groups(client, manager):
    sign_in_with_password(client, manager.username)
    page = client.get(reverse("accounts:enrol"))
    html = page.content.decode()
    assert "<svg" in html
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    secret = page.context["secret"]
    assert all(len(group) == 4 for group in secret.split()[:-1])
    assert f'<code id="secret" class="secret">{secret}</code>' in html
    # The key typed out is the device's secret.
    typed = secret.replace(" ", "")
    assert base64.b32decode(typed + "=" * (-len(typed) % 8)) == device.bin_key


def test_a_valid_code_confirms_the_app_shows_the_backup_codes_once_and_opens_the_admin(
    client, manager
):
    sign_in_with_password(client, manager.username)
    response, codes = enrol(client, manager)
    assert response.status_code == 200
    assert "the only time they are shown" in text(response)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=manager).confirmed
    assert client.get(INDEX).status_code == 200
    # Back to the enrolment page: nothing to set up, and the codes are not shown again.
    again = client.get(reverse("accounts:enrol"), follow=True)
    assert not any(code in again.content.decode() for code in codes)


def test_a_wrong_code_does_not_confirm_the_enrolment(client, manager):
    sign_in_with_password(client, manager.username)
    client.get(reverse("accounts:enrol"))
    response = enter_code(client, "000000", url=reverse("accounts:enrol"))
    assert response.status_code == 200
    assert "That code is not right" in text(response)
    assert not TOTPDevice.objects.filter(user=manager, confirmed=True).exists()
    assert client.get(INDEX).status_code == 302


def test_an_enrolment_left_for_more_than_ten_minutes_is_discarded(client, manager):
    sign_in_with_password(client, manager.username)
    client.get(reverse("accounts:enrol"))
    old = TOTPDevice.objects.get(user=manager)
    stale = timezone.now() - datetime.timedelta(
        minutes=settings.SECOND_FACTOR_ENROLMENT_MINUTES + 1
    )
    TOTPDevice.objects.filter(pk=old.pk).update(created_at=stale)
    response = enter_code(client, code_for(old), url=reverse("accounts:enrol"))
    assert response.status_code == 200
    assert "was not finished within 10 minutes" in text(response)
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    new = TOTPDevice.objects.get(user=manager)
    assert new.key != old.key and not new.confirmed
    assert client.get(INDEX).status_code == 302


def test_the_next_sign_in_asks_for_the_apps_code_and_a_valid_one_opens_the_admin(client, enrolled):
    device, _ = enrolled
    sign_in_with_password(client, device.user.username)
    page = client.get(reverse("accounts:second-step"))
    assert "type the 6-digit code" in text(page)
    response = enter_code(client, code_for(device, steps_ahead=1))
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get(INDEX).status_code == 200


def test_a_code_already_used_is_refused_the_second_time(client, enrolled):
    device, _ = enrolled
    sign_in_with_password(client, device.user.username)
    code = code_for(device, steps_ahead=1)
    assert enter_code(client, code).status_code == 302
    client.post(reverse("admin:logout"))

    sign_in_with_password(client, device.user.username)
    response = enter_code(client, code)
    assert response.status_code == 200
    assert "has been used already" in text(response)
    assert client.get(INDEX).status_code == 302


def test_a_backup_code_works_once(client, enrolled):
    device, codes = enrolled
    sign_in_with_password(client, device.user.username)
    response = enter_code(client, codes[0].upper())
    assert response.status_code == 302
    assert "You used a backup code; 9 left" in text(client.get(INDEX))
    client.post(reverse("admin:logout"))

    sign_in_with_password(client, device.user.username)
    response = enter_code(client, codes[0])
    assert response.status_code == 200
    assert client.get(INDEX).status_code == 302
    assert StaticToken.objects.filter(device__user=device.user).count() == len(codes) - 1


def test_wrong_codes_count_towards_the_lockout_and_a_locked_account_cannot_continue(
    client, enrolled, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the lockout alone, not the app's own slowing
    device, _ = enrolled
    sign_in_with_password(client, device.user.username)
    responses = [enter_code(client, "000000") for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert all(r.status_code == 200 for r in responses[:-1])
    assert responses[-1].status_code == 429
    assert "Sign-in paused" in text(responses[-1])
    # Signed out: the right code no longer helps, nor does the right password.
    assert enter_code(client, code_for(device)).status_code == 302
    assert client.get(INDEX).url.startswith(reverse("admin:login"))
    assert sign_in_with_password(client, device.user.username).status_code == 429
    failures = SignInEvent.objects.filter(event=SignInEvent.Kind.SECOND_STEP_FAILED)
    assert failures.count() == settings.AXES_FAILURE_LIMIT
    assert SignInEvent.objects.filter(event=SignInEvent.Kind.LOCKED_OUT).exists()


def test_a_locked_out_session_is_refused_at_the_second_step(client, enrolled):
    device, _ = enrolled
    sign_in_with_password(client, device.user.username)
    other = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(other, device.user.username, "wrong")
    response = enter_code(client, code_for(device, steps_ahead=1))
    assert response.status_code == 429
    assert client.get(INDEX).status_code == 302


def test_the_password_step_alone_does_not_clear_the_failures_the_second_step_does(
    client, enrolled, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device, _ = enrolled
    sign_in_with_password(client, device.user.username)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        enter_code(client, "000000")
    client.post(reverse("admin:logout"))
    sign_in_with_password(client, device.user.username)
    assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT - 1
    assert enter_code(client, code_for(device, steps_ahead=1)).status_code == 302
    assert not AccessAttempt.objects.exists()


def test_relaxed_for_managers_the_superuser_is_still_asked(client, manager, superuser, settings):
    settings.STAFF_SECOND_FACTOR = "superusers"
    sign_in_with_password(client, manager.username)
    assert client.get(INDEX).status_code == 200
    admin = Client()
    sign_in_with_password(admin, superuser.username)
    assert admin.get(INDEX).url.startswith(reverse("accounts:second-step"))


def test_the_setting_cannot_be_off_with_debug_off():
    result = subprocess.run(  # noqa: S603 (this interpreter, our settings)
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "false",
            "SECRET_KEY": "x" * 50,
            "STAFF_SECOND_FACTOR": "off",
            "PATH": "/usr/bin:/bin",
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert "STAFF_SECOND_FACTOR cannot be off when DEBUG is off" in result.stderr


def test_the_superuser_resets_a_managers_second_factor_and_ends_their_sessions(
    manager, superuser_client, enrolled
):
    managers = Client()
    managers.force_login(manager)
    assert managers.get(INDEX).status_code == 200
    response = superuser_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [manager.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=manager).exists()
    assert not StaticToken.objects.filter(device__user=manager).exists()
    assert managers.get(INDEX).url.startswith(reverse("admin:login"))
    assert SignInEvent.objects.filter(user=manager, event="device-reset").exists()


def test_a_manager_cannot_reset_anyones_second_factor(manager_client, superuser):
    TOTPDevice.objects.create(user=superuser, name="app", confirmed=True)
    response = manager_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [superuser.pk]},
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=superuser).exists()


def test_the_command_resets_the_superusers_own_second_factor(superuser, capsys):
    TOTPDevice.objects.create(user=superuser, name="app", confirmed=True)
    call_command("reset_second_factor", superuser.username)
    assert not TOTPDevice.objects.filter(user=superuser).exists()
    assert "new authenticator app at their next sign-in" in capsys.readouterr().out


def test_the_command_names_an_unknown_user():
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("reset_second_factor", "nobody")


def test_create_manager_tells_of_the_second_factor_at_first_sign_in(monkeypatch, capsys):
    monkeypatch.setenv("MANAGER_PASSWORD", "weekly-update-at-city-hall")
    call_command("create_manager", "maria", email="maria@okc.example", interactive=False)
    assert "set up an authenticator app" in capsys.readouterr().out
