"""The partnership timeline: dated events, some known only to the month or the year."""

from django.db import models
from django.urls import reverse
from django.utils import formats
from simple_history.models import HistoricalRecords

from core.translations import SPANISH_HELP, TranslatedFieldsMixin
from core.versioning import VERSION_HELP


class Precision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


# How a date prints at each precision, in the active language's format: "Sept. 25, 2025",
# "September 2025", "2025"; in Spanish "25 de septiembre de 2025", "septiembre de 2025".
DATE_FORMATS = {
    Precision.DAY: "DATE_FORMAT",
    Precision.MONTH: "YEAR_MONTH_FORMAT",
    Precision.YEAR: "Y",
}


class MilestoneQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """What a visitor may see: the published milestones; staff also see the others."""
        return self if user.is_staff else self.published()

    def for_timeline(self, *, recommendations):
        """Milestones with their links among the given recommendations, in one more query."""
        return self.prefetch_related(models.Prefetch("recommendations", queryset=recommendations))


class Milestone(TranslatedFieldsMixin, models.Model):
    date = models.DateField(
        help_text="For a month or a year, any day in it; only the precision below is shown."
    )
    date_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    title = models.CharField(max_length=200)
    title_es = models.CharField(
        "title (Spanish)", max_length=200, blank=True, help_text=SPANISH_HELP
    )
    description = models.TextField(blank=True)
    description_es = models.TextField("description (Spanish)", blank=True, help_text=SPANISH_HELP)
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation", blank=True, related_name="milestones"
    )
    source_url = models.URLField(blank=True, max_length=500, help_text="Where this is reported.")
    is_published = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1, editable=False, help_text=VERSION_HELP)

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
        return formats.date_format(self.date, DATE_FORMATS[self.date_precision])
