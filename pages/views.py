"""The public pages (the Atom feed and the sitemap are beside this file). Each starts from
`published()` (through `visible_to`, which also lets staff preview unpublished items) and runs a
fixed number of queries whatever the amount of data."""

from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from core.views import StaffPreviewMixin
from milestones.models import Milestone
from recommendations.filters import RecommendationFilter
from recommendations.models import Progress, Recommendation, Status, StatusUpdate, Topic

LATEST_UPDATES = 5
# Long enough for Oklahoma City's 39 on one page; a larger portfolio stays light on a phone.
RECOMMENDATIONS_PER_PAGE = 50
NEWEST_MILESTONES = 3
NO_RECOMMENDATIONS = Progress(total=0, started=0, implemented=0)


class RecommendationsPreviewMixin(StaffPreviewMixin):
    """The recommendations this visitor may see (staff: the unpublished ones too)."""

    def recommendations(self):
        return Recommendation.objects.visible_to(self.request.user)


def with_topic_progress(topics):
    """The topics, each with `.progress` counting its published recommendations."""
    by_topic = Recommendation.objects.published().progress_by_topic()
    topics = list(topics)
    for topic in topics:
        topic.progress = by_topic.get(topic.pk, NO_RECOMMENDATIONS)
    return topics


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        latest_updates = list(StatusUpdate.objects.published().newest_first()[:LATEST_UPDATES])
        topics = with_topic_progress(Topic.objects.all())
        return super().get_context_data(
            # Every recommendation has a topic, so the topics' counts add up to the whole: one
            # counting query instead of two.
            progress=sum((topic.progress for topic in topics), NO_RECOMMENDATIONS),
            topics=topics,
            latest_updates=latest_updates,
            latest_change=latest_updates[0].effective_date if latest_updates else None,
            milestones=Milestone.objects.published().order_by("-date", "-pk")[:NEWEST_MILESTONES],
            **kwargs,
        )


class RecommendationListView(RecommendationsPreviewMixin, FilterView):
    """Strict filtering: an unknown value shows the form's error, no results, and a 400."""

    filterset_class = RecommendationFilter
    template_name = "recommendations/recommendation_list.html"
    paginate_by = RECOMMENDATIONS_PER_PAGE

    def get_queryset(self):
        return self.recommendations().for_public_list()

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.is_bound and not self.filterset.is_valid():
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)


class RecommendationDetailView(RecommendationsPreviewMixin, DetailView):
    slug_field = slug_url_kwarg = "number"
    template_name = "recommendations/recommendation_detail.html"

    def get_queryset(self):
        milestones = Milestone.objects.visible_to(self.request.user)
        return self.recommendations().for_detail_page(milestones=milestones)

    def get_context_data(self, **kwargs):
        previous, next_ = self.recommendations().neighbours(self.object.number)
        return super().get_context_data(previous=previous, next=next_, **kwargs)


class TopicListView(RecommendationsPreviewMixin, ListView):
    template_name = "recommendations/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return Topic.objects.all()

    def get_context_data(self, **kwargs):
        topics = with_topic_progress(self.object_list)
        by_topic = {topic.pk: [] for topic in topics}
        for recommendation in self.recommendations().for_public_list():
            by_topic[recommendation.topic_id].append(recommendation)
        for topic in topics:
            topic.listed = by_topic[topic.pk]
        return super().get_context_data(topics=topics, **kwargs)


class TopicDetailView(RecommendationsPreviewMixin, DetailView):
    model = Topic
    template_name = "recommendations/topic_detail.html"
    context_object_name = "topic"

    def get_context_data(self, **kwargs):
        published = Recommendation.objects.published().filter(topic=self.object)
        return super().get_context_data(
            progress=published.progress(),
            recommendations=self.recommendations().filter(topic=self.object).for_public_list(),
            **kwargs,
        )


class AboutView(ListView):
    """What the portal is and how it counts; the status definitions come from the Status table."""

    template_name = "about.html"
    context_object_name = "statuses"

    def get_queryset(self):
        return Status.objects.all()


class TimelineView(RecommendationsPreviewMixin, ListView):
    """The milestones in date order; the template groups them by year."""

    template_name = "milestones/timeline.html"
    context_object_name = "milestones"

    def get_queryset(self):
        return Milestone.objects.visible_to(self.request.user).for_timeline(
            recommendations=self.recommendations().only(
                "number", "title", "title_es", "is_published"
            )
        )
