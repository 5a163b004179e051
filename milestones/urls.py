from django.urls import path

from . import views

app_name = "milestones"

urlpatterns = [
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
]
