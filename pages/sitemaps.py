from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from recommendations.models import Recommendation, Topic


class BilingualSitemap(Sitemap):
    """Each page in English and in Spanish, each entry naming the other as its alternate."""

    i18n = True
    alternates = True
    x_default = True


class PageSitemap(BilingualSitemap):
    def items(self):
        return [
            "pages:home",
            "pages:list",
            "pages:topic-list",
            "pages:timeline",
            "pages:about",
        ]

    def location(self, item):
        return reverse(item)


class RecommendationSitemap(BilingualSitemap):
    def items(self):
        return (
            Recommendation.objects.published()
            .annotate(last_record=Max("status_updates__effective_date"))
            .order_by("number")
        )

    def lastmod(self, recommendation):
        return recommendation.last_record


class TopicSitemap(BilingualSitemap):
    def items(self):
        return Topic.objects.all()


SITEMAPS = {
    "pages": PageSitemap,
    "recommendations": RecommendationSitemap,
    "topics": TopicSitemap,
}
