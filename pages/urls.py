from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("recommendations/", views.RecommendationListView.as_view(), name="list"),
    path("recommendations/<int:number>/", views.RecommendationDetailView.as_view(), name="detail"),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
]
