"""The Atom feed of status updates and milestones, newest first; at /es/feeds/updates/ in
Spanish, English shown where a translation is missing being followed by the marker."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext, gettext_lazy

from core.translations import plain_text
from milestones.models import Milestone
from plans.models import City, Plan
from recommendations.models import StatusUpdate

ITEMS = 30


def _start_of(day):
    """A date as the start of that day in the city's time zone (feeds need a moment)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class UpdatesFeed(Feed):
    feed_type = Atom1Feed
    subtitle = gettext_lazy("Status updates on the recommendations, and partnership milestones.")

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
        if isinstance(item, StatusUpdate):
            return plain_text(item.translated("note"))
        return plain_text(item.translated("description")) or item.display_date

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
