from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.generic import TemplateView

from accounts.views import security_txt
from pages.feeds import UpdatesFeed
from pages.sitemaps import SITEMAPS
from portal.views import healthz

handler403 = "staff.views.permission_denied"  # the admin's layout under /admin/

# Not translated: the admin (in English), the probes, robots.txt and the sitemap (which lists
# the pages in both languages).
urlpatterns = [
    path("admin/", include("accounts.urls")),
    path("admin/", include("staff.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path(".well-known/security.txt", security_txt, name="security-txt"),
    # The index of the sections, each a sitemap of its own in pages (pages/sitemaps.py).
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]

# The public pages, the feed and the open data: English at /..., Spanish at /es/....
urlpatterns += i18n_patterns(
    path("", include("pages.urls")),
    path("", include("exports.urls")),
    path("", include("subscriptions.urls")),
    path("feeds/updates/", UpdatesFeed(), name="updates-feed"),
    prefix_default_language=False,
)
