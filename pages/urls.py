from django.urls import path
from django.views.generic import TemplateView

from feedback.views import FeedbackSentView, FeedbackView
from recommendations import converters  # noqa: F401 (the <code:...> converter)

from . import feeds, preview_views, views

app_name = "pages"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("plans/<slug:slug>/", views.PlanView.as_view(), name="plan"),
    path(
        "plans/<slug:plan>/recommendations/<code:code>/",
        views.RecommendationDetailView.as_view(),
        name="detail",
    ),
    path("recommendations/", views.RecommendationListView.as_view(), name="list"),
    # Addresses from before there were several plans: permanently to the first plan's.
    path("recommendations/<code:code>/", views.MainPlanRedirect.as_view(), name="main-plan-detail"),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("about/", views.AboutView.as_view(), name="about"),
    # From the city's record (plans.City), which every page has as `city`.
    path("contact/", TemplateView.as_view(template_name="contact.html"), name="contact"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
    # Residents tell the city about a recommendation's status (feedback/; never published).
    path(
        "plans/<slug:plan>/recommendations/<code:code>/feedback/",
        FeedbackView.as_view(),
        name="feedback",
    ),
    path(
        "plans/<slug:plan>/recommendations/<code:code>/feedback/sent/",
        FeedbackSentView.as_view(),
        name="feedback-sent",
    ),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    # Feeds to follow one plan, topic or recommendation (the whole portal's: updates-feed).
    path("feeds/plans/<slug:plan>/", feeds.PlanFeed(), name="plan-feed"),
    path("feeds/topics/<slug:slug>/", feeds.TopicFeed(), name="topic-feed"),
    path(
        "feeds/plans/<slug:plan>/recommendations/<code:code>/",
        feeds.RecommendationFeed(),
        name="recommendation-feed",
    ),
    path("feeds/atom.xsl", views.FeedStylesheetView.as_view(), name="feed-stylesheet"),
    # The images of the link previews (pages/previews.py), one per page and language.
    path("previews/home.png", preview_views.HomePreviewView.as_view(), name="home-preview"),
    path(
        "previews/plans/<slug:slug>.png",
        preview_views.PlanPreviewView.as_view(),
        name="plan-preview",
    ),
    path(
        "previews/topics/<slug:slug>.png",
        preview_views.TopicPreviewView.as_view(),
        name="topic-preview",
    ),
    path(
        "previews/plans/<slug:plan>/recommendations/<code:code>.png",
        preview_views.RecommendationPreviewView.as_view(),
        name="recommendation-preview",
    ),
    path(
        "plans/<slug:plan>/follow/",
        views.FollowView.as_view(feed_class=feeds.PlanFeed, feed_url_name="pages:plan-feed"),
        name="plan-follow",
    ),
    path(
        "topics/<slug:slug>/follow/",
        views.FollowView.as_view(feed_class=feeds.TopicFeed, feed_url_name="pages:topic-feed"),
        name="topic-follow",
    ),
    path(
        "plans/<slug:plan>/recommendations/<code:code>/follow/",
        views.FollowView.as_view(
            feed_class=feeds.RecommendationFeed, feed_url_name="pages:recommendation-feed"
        ),
        name="recommendation-follow",
    ),
]
