"""The admin action "Export selected recommendations as CSV" (added to RecommendationAdmin)."""

from django.contrib import admin
from django.utils import timezone

from recommendations.models import Recommendation

from . import columns, queries, writers


@admin.action(description="Export selected recommendations as CSV", permissions=["view"])
def export_selected_as_csv(modeladmin, request, queryset):
    """The public export's columns for the selected recommendations, published or not, as
    they stand today, plus whether each is published. Four queries whatever the selection
    (the recommendations, the status scale, their parties, the city for the file name)."""
    today = timezone.localdate()
    recs = (
        Recommendation.objects.filter(pk__in=queryset.values("pk"))
        .for_public_list(today)
        .with_latest_note(today)
        .order_by(*queries.RECOMMENDATION_ORDER)
    )
    return writers.csv_response(
        [*columns.RECOMMENDATION_COLUMNS, columns.PUBLISHED_COLUMN],
        recs,
        request,
        writers.filename("recommendations-selected", today, "csv"),
    )
