from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("subscriptions/sent/", views.SentView.as_view(), name="sent"),
    path("subscriptions/confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path(
        "subscriptions/unsubscribe/<str:token>/",
        views.UnsubscribeView.as_view(),
        name="unsubscribe",
    ),
]
