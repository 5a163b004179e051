from django.urls import path

from recommendations import converters  # noqa: F401 (the <code:...> converter)

from . import views

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
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
]
