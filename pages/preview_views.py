"""The link preview images (pages/previews.py draws them): one address per page and language,
answered through the page cache like the pages, so a status change gives a new image at the
next request. Only what the public sees: an unpublished plan, topic or recommendation is a 404.

Each image costs a fixed number of queries: the city, then what the card shows.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from plans.models import City, Plan
from recommendations.models import Recommendation, Topic

from . import previews


class PreviewImageView(View):
    """A card's PNG. No Cache-Control of its own: the page cache stores it and sends it with
    the public data version as its ETag, to be revalidated (a 304) on every use."""

    http_method_names = ["get", "head"]

    def get(self, request, **kwargs):
        png = previews.render_png(self.card(City.current(), **kwargs))
        return HttpResponse(png, content_type="image/png")

    def card(self, city, **kwargs):
        raise NotImplementedError


class HomePreviewView(PreviewImageView):
    def card(self, city):
        # The counts of every published plan, as the home page adds them up.
        recommendations = Recommendation.objects.published()
        return previews.home_card(
            city,
            progress=recommendations.progress(),
            plan_count=Plan.objects.published().count(),
        )


class PlanPreviewView(PreviewImageView):
    def card(self, city, slug):
        plan = get_object_or_404(Plan.objects.published(), slug=slug)
        progress = Recommendation.objects.published().in_plan(plan).progress()
        return previews.plan_card(city, plan, progress=progress)


class TopicPreviewView(PreviewImageView):
    def card(self, city, slug):
        topics = Topic.objects.filter(plan__is_published=True).select_related("plan")
        topic = get_object_or_404(topics, slug=slug)
        progress = Recommendation.objects.published().filter(topic=topic).progress()
        return previews.topic_card(city, topic, progress=progress)


class RecommendationPreviewView(PreviewImageView):
    def card(self, city, plan, code):
        recommendation = (
            Recommendation.objects.published()
            .with_progress()
            .filter(plan__slug=plan, code=code)
            .first()
        )
        if recommendation is None:
            raise Http404("No published recommendation has this code in this plan.")
        return previews.recommendation_card(city, recommendation)
