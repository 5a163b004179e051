"""The partnership timeline: dated events, some known only to the month or the year."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.dates import EARLIEST_DATE, Precision, display_date, iso_date, validate_not_too_early
from core.sources import SourcesField
from core.translations import Translatable
from core.versioning import version_field


def upcoming_condition(today=None):
    """Upcoming or past: the one rule, which `upcoming()`, `past()` and the timeline share.

    A milestone is upcoming while its stored date is after `today` (by default today in the
    city's time zone), and past from that day on. A milestone known only to the month or the
    year counts by its stored day too: "December 2026" stored as 1 December is past from
    1 December (its month has begun); stored as 15 December, it is upcoming until the 15th. A
    milestone whose month is next month is upcoming all this month.

    Nothing is saved when the day comes: the page cache keys pages by the day
    (portal/caching.py), so a milestone moves from upcoming to past by itself at midnight.
    """
    return models.Q(date__gt=timezone.localdate() if today is None else today)


class MilestoneQuerySet(models.QuerySet):
    def published(self):
        """Published, and not in an unpublished plan."""
        return self.filter(
            models.Q(plan=None) | models.Q(plan__is_published=True), is_published=True
        )

    def visible_to(self, user):
        """What a visitor may see: the published milestones; staff also see the others."""
        return self if user.is_staff else self.published()

    def past(self, today=None):
        """Dated `today` or earlier: what has happened (see upcoming_condition)."""
        return self.exclude(upcoming_condition(today))

    def upcoming(self, today=None):
        """Dated after `today`: still to come (see upcoming_condition)."""
        return self.filter(upcoming_condition(today))

    def newest_first(self):
        return self.order_by("-date", "-pk")

    def for_timeline(self, *, recommendations, today=None):
        """Milestones with their links among the given recommendations, in one more query, each
        with `is_upcoming` (see upcoming_condition), so one list gives both parts of the page."""
        return self.annotate(
            is_upcoming=models.ExpressionWrapper(
                upcoming_condition(today), output_field=models.BooleanField()
            )
        ).prefetch_related(models.Prefetch("recommendations", queryset=recommendations))


class Milestone(Translatable):
    translated_fields = ("title", "description")

    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        help_text="The plan it belongs to; empty for an event that concerns no one plan.",
    )
    date = models.DateField(
        validators=[validate_not_too_early],
        help_text="For a month or a year, any day in it; only the precision below is shown. "
        "A future date is shown as upcoming until that day.",
    )
    date_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation", blank=True, related_name="milestones"
    )
    sources = SourcesField()
    is_published = models.BooleanField(default=True)
    version = version_field()

    history = HistoricalRecords(m2m_fields=[recommendations])
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_precision__in=Precision.values),
                name="milestone_precision_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(date__gte=EARLIEST_DATE), name="milestone_date_not_too_early"
            ),
        ]

    def __str__(self):
        return f"{self.display_date}: {self.title}"

    def get_absolute_url(self):
        return reverse("pages:timeline") + f"#milestone-{self.pk}"

    @property
    def display_date(self):
        return display_date(self.date, self.date_precision)

    @property
    def iso_date(self):
        return iso_date(self.date, self.date_precision)
