"""Residents' feedback on a recommendation's status. Private: no public page, feed, export or
API reads this app, and feedback/ is not in PUBLIC_DATA_APPS (its saves do not touch the page
cache). No client address is stored: the rate limit keeps only a salted hash, for an hour."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.versioning import version_field

MESSAGE_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 500


class State(models.TextChoices):
    NEW = "new", "New"
    ANSWERED = "answered", "Answered"
    DISMISSED = "dismissed", "Dismissed"


class FeedbackQuerySet(models.QuerySet):
    def new(self):
        return self.filter(state=State.NEW)


class Feedback(models.Model):
    """One message a resident sent from a recommendation's page."""

    # Kept when a recommendation is deleted: the label still says what the message was about.
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.SET_NULL,
        null=True,
        related_name="feedback",
    )
    about = models.CharField(
        max_length=200, help_text="The plan and the recommendation's code, when it was sent."
    )
    message = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    email = models.EmailField(blank=True, help_text="Given for a reply; never published.")
    language = models.CharField(max_length=10, help_text="The language of the page it came from.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    handled_at = models.DateTimeField(null=True, blank=True, editable=False)
    staff_note = models.CharField(
        max_length=NOTE_MAX_LENGTH,
        blank=True,
        help_text="For staff only: what was answered, or why it was dismissed.",
    )
    version = version_field()

    # Who changed the state, and when; the resident's words and address stay out of the
    # history, so deleting a message (an erasure request) deletes them everywhere.
    history = HistoricalRecords(excluded_fields=["message", "email"])
    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "resident feedback"
        verbose_name_plural = "resident feedback"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=State.values), name="feedback_state_valid"
            ),
            models.CheckConstraint(
                condition=GreaterThan(Length("message"), 0)
                & LessThanOrEqual(Length("message"), MESSAGE_MAX_LENGTH),
                name="feedback_message_length",
            ),
            # Handled means someone handled it at some time (the user may since be deleted).
            models.CheckConstraint(
                condition=models.Q(state=State.NEW, handled_at__isnull=True)
                | (~models.Q(state=State.NEW) & models.Q(handled_at__isnull=False)),
                name="feedback_handled_when_not_new",
            ),
        ]

    def __str__(self):
        if self.created_at is None:
            return f"On {self.about}"
        return f"On {self.about}, {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"
