from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from plans.models import Plan
from recommendations.models import Recommendation, Topic


class LanguagesSitemap(Sitemap):
    """Each page in every configured language, each entry naming the others as alternates."""

    i18n = True
    alternates = True
    x_default = True


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
    def items(self):
        return (
            Recommendation.objects.published()
            .select_related("plan")
            .annotate(last_record=Max("status_updates__effective_date"))
        )

    def lastmod(self, recommendation):
        return recommendation.last_record


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
