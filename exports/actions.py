"""The admin action "Export selected recommendations as CSV" (added to RecommendationAdmin)."""

from django.contrib import admin
from django.utils import timezone

from recommendations.models import Recommendation

from . import columns, writers


@admin.action(description="Export selected recommendations as CSV", permissions=["view"])
def export_selected_as_csv(modeladmin, request, queryset):
    """The public export's columns for the selected recommendations, published or not, as
    they stand today, plus whether each is published. Three queries whatever the selection."""
    today = timezone.localdate()
    recs = (
        Recommendation.objects.filter(pk__in=queryset.values("pk"))
        .with_progress(today)
        .with_latest_note(today)
        .select_related("topic")
        .order_by("number")
    )
    return writers.csv_response(
        [*columns.RECOMMENDATION_COLUMNS, columns.PUBLISHED_COLUMN],
        recs,
        request,
        writers.filename("recommendations-selected", today, "csv"),
    )
