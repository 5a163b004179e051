"""Staff pages of our own, under /admin/ with the admin's layout, sign-in and permissions
(each view is wrapped in admin.site.admin_view and checks its own permission)."""

from django.contrib import admin
from django.urls import path

from . import import_views, weekly

app_name = "staff"

urlpatterns = [
    path("weekly/", admin.site.admin_view(weekly.weekly_update), name="weekly-update"),
    path("import/", admin.site.admin_view(import_views.upload), name="import-progress"),
    path(
        "import/confirm/",
        admin.site.admin_view(import_views.confirm),
        name="import-progress-confirm",
    ),
]
