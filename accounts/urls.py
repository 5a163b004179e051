"""The second step of a staff sign-in, under /admin/ (open to a session that has passed the
password step only: accounts.middleware.SecondFactorMiddleware)."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("second-step/", views.second_step, name="second-step"),
    path("second-step/enrol/", views.enrol, name="enrol"),
]
