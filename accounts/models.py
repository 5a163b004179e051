"""What the staff's sign-ins leave behind: a record of each event, and each open session."""

import ipaddress

from django.conf import settings
from django.db import models

from core.http import client_address

USER_AGENT_LENGTH = 200


class SignInEvent(models.Model):
    """One sign-in event: who (or which username was tried), what, when, from where."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed-in", "Signed in (password)"
        VERIFIED = "verified", "Second step passed"
        FAILED = "failed", "Wrong password"
        SECOND_STEP_FAILED = "second-step-failed", "Wrong code"
        LOCKED_OUT = "locked-out", "Locked out"
        DEVICE_RESET = "device-reset", "Second factor reset"
        SESSIONS_ENDED = "sessions-ended", "Sessions ended"

    time = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sign_in_events",
    )
    username = models.CharField(max_length=150, help_text="As typed, for a failure.")
    event = models.CharField(max_length=20, choices=Kind)
    address = models.GenericIPAddressField(null=True, blank=True)
    browser = models.CharField(max_length=USER_AGENT_LENGTH, blank=True)

    class Meta:
        ordering = ["-time", "-pk"]
        verbose_name = "sign-in record"

    def __str__(self):
        return f"{self.get_event_display()}: {self.username} ({self.time:%Y-%m-%d %H:%M})"

    @classmethod
    def record(cls, event, *, request=None, user=None, username=""):
        """Writes one record; the address and browser come from the request, if any."""
        meta = getattr(request, "META", {})
        address = client_address(request) if meta else ""
        try:
            address = str(ipaddress.ip_address(address))
        except ValueError:  # a test request or a proxy header holding something else
            address = None
        return cls.objects.create(
            event=event,
            user=user if user is not None and user.pk else None,
            username=(username or (user.get_username() if user is not None else ""))[:150],
            address=address,
            browser=meta.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH],
        )


class StaffSession(models.Model):
    """A session a user signed in with, so that all of them can be ended at once without
    reading every session in the store (accounts.sessions.end_sessions)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.user} since {self.created:%Y-%m-%d %H:%M}"
