"""The second step of a staff sign-in (and the first-time enrolment), in the admin's layout;
and /.well-known/security.txt."""

from datetime import UTC, timedelta
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from plans.models import City

from . import second_factor
from .models import SignInEvent
from .signals import clear_failures


class CodeForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else reverse("admin:index")


def _guard(request):
    """The response that ends the step before it starts, or None: not signed in with a
    password, nothing to ask for, already passed, or locked out."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return redirect(f"{reverse('admin:login')}?{urlencode({'next': _next(request)})}")
    if not second_factor.is_required(user) or second_factor.is_verified(request):
        return redirect(_next(request))
    if AxesProxyHandler.is_locked(request, {"username": user.get_username()}):
        logout(request)
        return get_lockout_response(request, credentials={"username": user.get_username()})
    return None


def _failed(request, form):
    """A wrong code: recorded, and counted by the sign-in lockout as a failed attempt (which
    turns the response into the lockout page at the limit: axes.middleware.AxesMiddleware)."""
    username = request.user.get_username()
    form.add_error(
        "token",
        "That code is not right, has been used already, or came too soon after a wrong one.",
    )
    user_login_failed.send(
        sender=__name__,
        credentials={"username": username, "event": SignInEvent.Kind.SECOND_STEP_FAILED},
        request=request,
    )
    if getattr(request, "axes_locked_out", False):
        logout(request)


def _passed(request, device):
    otp_login(request, device)
    SignInEvent.record(SignInEvent.Kind.VERIFIED, request=request, user=request.user)
    clear_failures(request, request.user)


def _context(request, title, **extra):
    return {
        **admin.site.each_context(request),
        "title": title,
        "next": _next(request),
        **extra,
    }


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
def second_step(request):
    """Asks for a code from the authenticator app, or a backup code."""
    if response := _guard(request):
        return response
    if second_factor.confirmed_app(request.user) is None:
        return redirect(f"{reverse('accounts:enrol')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = second_factor.verify(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            _passed(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"You used a backup code; {left} left. Each works once: when few are "
                    "left, ask the site administrator to reset your second factor.",
                )
            return redirect(_next(request))
        _failed(request, form)
    context = _context(request, "Enter your code", form=form)
    return render(request, "admin/accounts/second_step.html", context)


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
def enrol(request):
    """The first time: a new secret for the authenticator app (a QR code, and typed out for
    those who cannot scan it), confirmed with a code from the app; then the backup codes,
    shown this once."""
    if response := _guard(request):
        return response
    user = request.user
    if second_factor.confirmed_app(user) is not None:
        step = reverse("accounts:second-step")
        return redirect(f"{step}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    expired = False
    if request.method == "POST":
        since = timezone.now() - timedelta(minutes=settings.SECOND_FACTOR_ENROLMENT_MINUTES)
        expired = not TOTPDevice.objects.devices_for_user(user, confirmed=False).filter(
            created_at__gte=since
        )
    device = second_factor.pending_enrolment(user)
    if form.is_valid() and not expired:
        codes = second_factor.confirm_enrolment(device=device, token=form.cleaned_data["token"])
        if codes is not None:
            _passed(request, device)
            context = _context(request, "Your backup codes", codes=codes)
            return render(request, "admin/accounts/backup_codes.html", context)
        _failed(request, form)
    elif expired:
        form = CodeForm()
    context = _context(
        request,
        "Set up your second factor",
        form=form,
        expired=expired,
        minutes=settings.SECOND_FACTOR_ENROLMENT_MINUTES,
        qr_code=second_factor.qr_svg(device),
        secret=second_factor.typed_secret(device),
        issuer=settings.OTP_TOTP_ISSUER,
    )
    return render(request, "admin/accounts/enrol.html", context)


def security_txt(request):
    """RFC 9116: where to report a vulnerability, until when this says so, in which
    languages. The contact is SECURITY_CONTACT, else the city's contact email."""
    contact = settings.SECURITY_CONTACT or City.current().contact_email
    if contact and "@" in contact and ":" not in contact:
        contact = f"mailto:{contact}"
    expires = timezone.now().replace(microsecond=0) + timedelta(
        days=settings.SECURITY_TXT_EXPIRES_DAYS
    )
    if not contact:
        # RFC 9116 requires a contact: no file rather than one that names no one.
        return HttpResponseNotFound(
            "No security contact is configured (SECURITY_CONTACT, or the city's contact email).\n",
            content_type="text/plain; charset=utf-8",
        )
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        f"Preferred-Languages: {', '.join(code for code, _ in settings.LANGUAGES)}",
        f"Canonical: {request.build_absolute_uri(reverse('security-txt'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
