"""Sign-in records from Django's and django-axes' signals, the session registry, and the end
of the sessions of an account deactivated or whose device is removed, however it is done
(the admin, a command, the shell)."""

from axes.signals import user_locked_out
from axes.utils import reset as reset_lockout_count
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.http import client_address

from . import second_factor
from .models import SignInEvent, StaffSession
from .sessions import end_sessions, register_session


def clear_failures(request, user):
    """A complete sign-in clears the failures counted for this username and address."""
    if getattr(request, "META", None):
        reset_lockout_count(ip=client_address(request), username=user.get_username())


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    SignInEvent.record(SignInEvent.Kind.SIGNED_IN, request=request, user=user)
    session = getattr(request, "session", None)
    if session is not None:
        register_session(user=user, session=session)
    if not second_factor.is_required(user):
        clear_failures(request, user)


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    event = credentials.get("event", SignInEvent.Kind.FAILED)
    SignInEvent.record(event, request=request, username=username)


@receiver(user_locked_out)
def locked_out(sender, request, username, **kwargs):
    SignInEvent.record(SignInEvent.Kind.LOCKED_OUT, request=request, username=username or "")


@receiver(post_save, sender=get_user_model())
def deactivated(sender, instance, **kwargs):
    if not instance.is_active and StaffSession.objects.filter(user=instance).exists():
        end_sessions(user=instance)


@receiver(post_delete, sender=TOTPDevice)
@receiver(post_delete, sender=StaticDevice)
def device_removed(sender, instance, **kwargs):
    """A session verified with a device is trusted only while the device exists (accounts.
    second_factor.is_verified): removing a confirmed one, however, ends its user's sessions."""
    if instance.confirmed and StaffSession.objects.filter(user_id=instance.user_id).exists():
        end_sessions(user=instance.user, record=False)
