"""The sitemap: an index (/sitemap.xml, named in robots.txt) of one sitemap per section, each
in pages of at most `limit` entries, so that no response grows with the data."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse

from plans.models import Plan
from recommendations.models import Recommendation, StatusUpdate, Topic


class LanguagesSitemap(Sitemap):
    """Each page in every configured language, each entry naming the others as alternates.
    `limit` counts the entries: each page in one language."""

    i18n = True
    alternates = True
    x_default = True
    limit = 300


class PageSitemap(LanguagesSitemap):
    def items(self):
        return [
            "pages:home",
            "pages:list",
            "pages:topic-list",
            "pages:timeline",
            "pages:about",
            "pages:contact",
            "pages:accessibility",
        ]

    def location(self, item):
        return reverse(item)


class RecommendationSitemap(LanguagesSitemap):
    """Plain rows, not model instances: every page of the section reads all of them (the
    sitemap framework pages a list of each item in each language)."""

    def items(self):
        latest = StatusUpdate.objects.filter(recommendation=OuterRef("pk")).order_by(
            "-effective_date"
        )
        return (
            Recommendation.objects.published()
            .annotate(last_record=Subquery(latest.values("effective_date")[:1]))
            .order_by("plan__order", "plan_id", "order", "code")
            .values("plan__slug", "code", "last_record")
        )

    def location(self, row):
        return reverse("pages:detail", args=[row["plan__slug"], row["code"]])

    def lastmod(self, row):
        return row["last_record"]

    def get_latest_lastmod(self):
        """The index's date for the section: the latest published record's, in one query."""
        return StatusUpdate.objects.published().aggregate(latest=Max("effective_date"))["latest"]


class TopicSitemap(LanguagesSitemap):
    def items(self):
        return Topic.objects.filter(plan__is_published=True)


class PlanSitemap(LanguagesSitemap):
    def items(self):
        return Plan.objects.published()


SITEMAPS = {
    "pages": PageSitemap,
    "recommendations": RecommendationSitemap,
    "plans": PlanSitemap,
    "topics": TopicSitemap,
}
