"""The Atom feed of status updates and milestones, newest first; at /es/feeds/updates/ in
Spanish, English shown where a translation is missing being followed by the marker."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext, gettext_lazy

from core.translations import plain_text
from milestones.models import Milestone
from recommendations.models import StatusUpdate

ITEMS = 30


def _start_of(day):
    """A date as the start of that day in the city's time zone (feeds need a moment)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class UpdatesFeed(Feed):
    feed_type = Atom1Feed
    subtitle = gettext_lazy("Status updates on the recommendations, and partnership milestones.")

    def title(self):
        return gettext("%(city)s Public Safety Partnership: updates") % {
            "city": settings.PORTAL_CITY
        }

    def link(self):
        return reverse("pages:home")

    def items(self):
        updates = StatusUpdate.objects.published().newest_first()[:ITEMS]
        milestones = Milestone.objects.published().order_by("-date", "-pk")[:ITEMS]
        items = sorted([*updates, *milestones], key=self._date, reverse=True)
        return items[:ITEMS]

    @staticmethod
    def _date(item):
        return item.effective_date if isinstance(item, StatusUpdate) else item.date

    def item_title(self, item):
        if isinstance(item, StatusUpdate):
            return gettext("Recommendation %(number)s, %(title)s: %(status)s") % {
                "number": item.recommendation.number,
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
