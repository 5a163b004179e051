"""Signing in as staff through the real forms: the password, then the second step."""

import re

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct horse battery staple"  # the factories' password


def sign_in_with_password(client, username, password=PASSWORD, **meta):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        **meta,
    )


def code_for(device, steps_ahead=0):
    """The code the authenticator app shows now (or `steps_ahead` 30-second steps later)."""
    t0 = device.t0 - steps_ahead * device.step
    return f"{totp(device.bin_key, step=device.step, t0=t0, digits=device.digits):06d}"


def enter_code(client, code, url=None, **meta):
    return client.post(
        url or reverse("accounts:second-step"), {"token": code, "next": "/admin/"}, **meta
    )


def enrol(client, user):
    """Opens the enrolment page and confirms it with the app's code; returns the page of
    backup codes, and the codes."""
    page = client.get(reverse("accounts:enrol"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = enter_code(client, code_for(device), url=reverse("accounts:enrol"))
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    return response, codes


def text(response):
    return " ".join(response.content.decode().split())
