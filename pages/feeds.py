"""Atom feeds of status updates and milestones, newest first: the whole portal (?plan= for one
plan), and one per plan, per topic and per recommendation, so a resident can follow just what
they care about. At /es/... in Spanish, English shown where a translation is missing being
followed by the marker. Each names a stylesheet (templates/feeds/atom.xsl) that a browser
uses to show the feed as a page saying what a feed is and how to use it."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Stylesheet
from django.utils.translation import gettext, gettext_lazy
from django.utils.xmlutils import SimplerXMLGenerator

from core.translations import plain_text
from milestones.models import Milestone
from plans.models import City, Plan
from recommendations.models import Recommendation, StatusUpdate, Topic

ITEMS = 30
# What a feed is, for people who have never used one: on the follow page and the stylesheet.
FEED_EXPLAINER = gettext_lazy(
    "This is a news feed: the same updates as the page, in a form a feed reader can follow. "
    "Copy this page's address into a feed reader (for example the one in your email program "
    "or a reader app) and new status updates and milestones will come to you. You do not "
    "need an account."
)


def _start_of(day):
    """A date as the start of that day in the city's time zone (feeds need a moment)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class StyledAtom1Feed(Atom1Feed):
    """Atom with the feed's stylesheets: Django writes them for RSS only."""

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        # Before the first element, as RssFeed.write places them.
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", stylesheet)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class UpdatesFeed(Feed):
    feed_type = StyledAtom1Feed
    subtitle = gettext_lazy("Status updates on the recommendations, and partnership milestones.")

    def stylesheets(self):
        return [Stylesheet(reverse("pages:feed-stylesheet"), mimetype="text/xsl")]

    def get_object(self, request):
        """The plan named by ?plan=, None for every plan; an unknown plan is a 404."""
        self.city = City.current()
        slug = request.GET.get("plan")
        if slug is None:
            return None
        return get_object_or_404(Plan.objects.published(), slug=slug)

    def title(self, plan):
        name = plain_text(self.city.translated("partnership_name"))
        if plan is None:
            return gettext("%(name)s: updates") % {"name": name}
        return gettext("%(name)s: updates on %(plan)s") % {
            "name": name,
            "plan": plain_text(plan.translated("short_name")),
        }

    def link(self, plan):
        return plan.get_absolute_url() if plan else reverse("pages:home")

    def items(self, plan):
        updates = StatusUpdate.objects.published().newest_first()
        milestones = Milestone.objects.published().past().order_by("-date", "-pk")
        if plan is not None:
            updates = updates.filter(recommendation__plan=plan)
            milestones = milestones.filter(plan=plan)
        return self.newest(updates, milestones)

    def newest(self, updates, milestones):
        """The ITEMS newest of both lists, in two queries."""
        items = sorted([*updates[:ITEMS], *milestones[:ITEMS]], key=self._date, reverse=True)
        return items[:ITEMS]

    @staticmethod
    def _date(item):
        return item.effective_date if isinstance(item, StatusUpdate) else item.date

    def item_title(self, item):
        if isinstance(item, StatusUpdate):
            return gettext("Recommendation %(number)s, %(title)s: %(status)s") % {
                "number": item.recommendation.code,
                "title": plain_text(item.recommendation.translated("title")),
                "status": plain_text(item.status.translated("name")),
            }
        return gettext("Milestone: %(title)s") % {"title": plain_text(item.translated("title"))}

    def item_description(self, item):
        # The date as precisely as it is known: a feed's timestamps are whole days, and a
        # record known only "by" a date must not read as news of that day.
        if isinstance(item, StatusUpdate):
            return f"{item.known_date}: {plain_text(item.translated('note'))}"
        description = plain_text(item.translated("description"))
        return f"{item.display_date}: {description}" if description else str(item.display_date)

    def item_link(self, item):
        if isinstance(item, StatusUpdate):
            return item.recommendation.get_absolute_url() + f"#update-{item.pk}"
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return _start_of(self._date(item))

    def item_updateddate(self, item):
        if isinstance(item, StatusUpdate) and item.corrected_at:
            return item.corrected_at
        return self.item_pubdate(item)


class PlanFeed(UpdatesFeed):
    """/feeds/plans/<plan>/: the updates of one published plan (as /feeds/updates/?plan=)."""

    def get_object(self, request, plan):
        self.city = City.current()
        return get_object_or_404(Plan.objects.published(), slug=plan)


class TopicFeed(UpdatesFeed):
    """/feeds/topics/<slug>/: status updates of the topic's recommendations, and the milestones
    linked to them."""

    def get_object(self, request, slug):
        self.city = City.current()
        return get_object_or_404(
            Topic.objects.filter(plan__is_published=True).select_related("plan"), slug=slug
        )

    def title(self, topic):
        return gettext("%(name)s: updates on %(topic)s") % {
            "name": plain_text(self.city.translated("partnership_name")),
            "topic": plain_text(topic.translated("name")),
        }

    def link(self, topic):
        return topic.get_absolute_url()

    def items(self, topic):
        updates = StatusUpdate.objects.published().filter(recommendation__topic=topic)
        milestones = (
            Milestone.objects.published()
            .past()
            .filter(recommendations__in=Recommendation.objects.published().filter(topic=topic))
        )
        return self.newest(updates.newest_first(), milestones.distinct().order_by("-date", "-pk"))


class RecommendationFeed(UpdatesFeed):
    """/feeds/plans/<plan>/recommendations/<code>/: one recommendation's status records
    (a correction shows as an update of its entry) and the milestones linked to it."""

    def get_object(self, request, plan, code):
        self.city = City.current()
        return get_object_or_404(
            Recommendation.objects.published().select_related("plan"), plan__slug=plan, code=code
        )

    def title(self, recommendation):
        return gettext("%(name)s: updates on recommendation %(number)s, %(title)s") % {
            "name": plain_text(self.city.translated("partnership_name")),
            "number": recommendation.code,
            "title": plain_text(recommendation.translated("title")),
        }

    def link(self, recommendation):
        return recommendation.get_absolute_url()

    def items(self, recommendation):
        updates = recommendation.status_updates.select_related(
            "recommendation__plan", "status"
        ).order_by("-effective_date", "-created_at", "-pk")
        milestones = recommendation.milestones.published().past().order_by("-date", "-pk")
        return self.newest(updates, milestones)
