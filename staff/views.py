from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.urls import reverse
from django.views import defaults


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows once a username is locked out after repeated failures."""
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in paused",
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "admin/locked_out.html", context, status=429)


def permission_denied(request, exception=None):
    """The 403 page (portal/urls.py handler403): in the admin's layout under /admin/ (a manager
    opening the users, say), the public site's elsewhere (templates/403.html)."""
    if not request.path.startswith(reverse("admin:index")) or not hasattr(request, "user"):
        return defaults.permission_denied(request, exception)
    context = {
        **admin.site.each_context(request),
        "title": "You cannot open this page",
        "reason": str(exception or ""),
    }
    return render(request, "admin/403.html", context, status=403)
