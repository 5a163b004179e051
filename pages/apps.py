from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The public site: the pages, the Atom feed and the sitemap, built from the
    recommendations and the milestones."""

    name = "pages"
