from django.views.generic import ListView

from recommendations.views import StaffPreviewMixin

from .models import Milestone


class TimelineView(StaffPreviewMixin, ListView):
    """The milestones in date order; the template groups them by year."""

    template_name = "milestones/timeline.html"
    context_object_name = "milestones"

    def get_queryset(self):
        return Milestone.objects.visible_to(self.request.user).for_timeline(
            recommendations=self.recommendations().only(
                "number", "title", "title_es", "is_published"
            )
        )
