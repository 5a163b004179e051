"""A resident's email subscription to one plan, topic or recommendation.

Only what sending needs is kept: the address, what it follows, how often, in which language,
and when it was confirmed and last sent. Nothing here is public, exported or cached; an
unconfirmed subscription is deleted after UNCONFIRMED_HOURS, and unsubscribing deletes it.
"""

import datetime

from django.core import signing
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

UNCONFIRMED_HOURS = 48
_CONFIRM_SALT = "subscriptions.confirm"
_UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.exclude(confirmed_at=None)

    def expired(self, now=None):
        """Unconfirmed for longer than UNCONFIRMED_HOURS: to be deleted."""
        limit = (now or timezone.now()) - datetime.timedelta(hours=UNCONFIRMED_HOURS)
        return self.filter(confirmed_at=None, created_at__lt=limit)


class Subscription(models.Model):
    email = models.EmailField()
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.CASCADE)
    topic = models.ForeignKey(
        "recommendations.Topic", null=True, blank=True, on_delete=models.CASCADE
    )
    recommendation = models.ForeignKey(
        "recommendations.Recommendation", null=True, blank=True, on_delete=models.CASCADE
    )
    frequency = models.CharField(max_length=6, choices=Frequency.choices)
    language = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Changes recorded after this moment go into the next digest.
    sent_until = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="subscription_follows_one_thing",
                condition=(
                    Q(plan__isnull=False, topic=None, recommendation=None)
                    | Q(plan=None, topic__isnull=False, recommendation=None)
                    | Q(plan=None, topic=None, recommendation__isnull=False)
                ),
            ),
        ]

    def __str__(self):
        return f"Subscription {self.pk}"  # never the address: it may reach a log

    @property
    def followed(self):
        return self.recommendation or self.topic or self.plan

    def confirm_token(self):
        return signing.dumps(self.pk, salt=_CONFIRM_SALT)

    def unsubscribe_token(self):
        return signing.dumps(self.pk, salt=_UNSUBSCRIBE_SALT)

    def confirm_path(self):
        return reverse("subscriptions:confirm", args=[self.confirm_token()])

    def unsubscribe_path(self):
        return reverse("subscriptions:unsubscribe", args=[self.unsubscribe_token()])

    @classmethod
    def pk_from_confirm_token(cls, token):
        """The subscription's pk; signing.SignatureExpired once the link is too old,
        signing.BadSignature for anything forged or mangled."""
        return signing.loads(token, salt=_CONFIRM_SALT, max_age=UNCONFIRMED_HOURS * 3600)

    @classmethod
    def pk_from_unsubscribe_token(cls, token):
        return signing.loads(token, salt=_UNSUBSCRIBE_SALT)

    def changes(self, until):
        """The published status records of what it follows, recorded or corrected after
        `sent_until` (or the confirmation) and up to `until`, oldest first."""
        from recommendations.models import StatusUpdate

        since = self.sent_until or self.confirmed_at
        records = StatusUpdate.objects.published().select_related("recommendation__plan", "status")
        if self.recommendation_id:
            records = records.filter(recommendation_id=self.recommendation_id)
        elif self.topic_id:
            records = records.filter(recommendation__topic_id=self.topic_id)
        else:
            records = records.filter(recommendation__plan_id=self.plan_id)
        window = Q(created_at__gt=since, created_at__lte=until) | Q(
            corrected_at__gt=since, corrected_at__lte=until
        )
        return records.filter(window).order_by("effective_date", "created_at", "pk")
