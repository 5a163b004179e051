"""The staff's second factor: a code from an authenticator app (django-otp's TOTP device) or
a one-time backup code (its static device), asked for after the password."""

import base64
from datetime import timedelta

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import SignInEvent
from .sessions import end_sessions

BACKUP_CODES = 10
APP_NAME = "Authenticator app"
BACKUP_NAME = "Backup codes"


def is_required(user):
    """Whether this account must pass the second step (STAFF_SECOND_FACTOR)."""
    if not user.is_authenticated or not user.is_staff:
        return False
    mode = settings.STAFF_SECOND_FACTOR
    return mode == "all" or (mode == "superusers" and user.is_superuser)


def is_verified(request):
    """Whether this session passed the second step (django_otp.login noted the device in it).
    Read from the session alone, with no query: a device that is removed or reset takes every
    session of its user with it (accounts.sessions.end_sessions)."""
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def confirmed_app(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_enrolment(user):
    """The user's unconfirmed authenticator device, made anew when there is none or when the
    one there is older than SECOND_FACTOR_ENROLMENT_MINUTES (its secret may have been seen)."""
    oldest = timezone.now() - timedelta(minutes=settings.SECOND_FACTOR_ENROLMENT_MINUTES)
    unconfirmed = TOTPDevice.objects.devices_for_user(user, confirmed=False)
    unconfirmed.filter(created_at__lt=oldest).delete()
    device = unconfirmed.first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


def typed_secret(device):
    """The secret as an authenticator app asks for it: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device):
    """The enrolment address as an inline SVG QR code (no file, no script)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, title="QR code")


@transaction.atomic
def confirm_enrolment(*, device, token):
    """Confirms `device` with a code from the app; on success, makes fresh backup codes and
    returns them (shown once). Returns None for a wrong code."""
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_backup_codes(user=device.user)


def new_backup_codes(*, user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify(*, user, token):
    """The confirmed device that accepts `token` (a code from the app, or an unused backup
    code, which is then used up), or None. A code already accepted once is refused (TOTP's
    last_t), as is any code while the device is throttled after failures."""
    token = "".join(str(token).split()).lower()
    if not token or len(token) > 16:
        return None
    # Six digits are the app's; anything else a backup code (which are letters and digits):
    # only the device the code is meant for counts a failure against itself.
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True):
        with transaction.atomic():
            locked = model.objects.select_for_update().get(pk=device.pk)
            if locked.verify_token(token):
                return locked
    return None


@transaction.atomic
def reset(*, user, request=None):
    """Removes the user's devices (they enrol again at their next sign-in) and ends their
    sessions."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    SignInEvent.record(SignInEvent.Kind.DEVICE_RESET, request=request, user=user)
    end_sessions(user=user, request=request)
