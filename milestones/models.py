"""The partnership timeline: dated events, some known only to the month or the year."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.dates import Precision, display_date, iso_date
from core.translations import Translatable
from core.versioning import version_field


class MilestoneQuerySet(models.QuerySet):
    def published(self):
        """Published, and not in an unpublished plan."""
        return self.filter(
            models.Q(plan=None) | models.Q(plan__is_published=True), is_published=True
        )

    def visible_to(self, user):
        """What a visitor may see: the published milestones; staff also see the others."""
        return self if user.is_staff else self.published()

    def for_timeline(self, *, recommendations):
        """Milestones with their links among the given recommendations, in one more query."""
        return self.prefetch_related(models.Prefetch("recommendations", queryset=recommendations))


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
        help_text="For a month or a year, any day in it; only the precision below is shown."
    )
    date_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation", blank=True, related_name="milestones"
    )
    source_url = models.URLField(blank=True, max_length=500, help_text="Where this is reported.")
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
            )
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
