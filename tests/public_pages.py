"""Helpers for the public page tests."""

import datetime
import re

from milestones.models import Milestone
from recommendations.models import Recommendation
from tests.factories import MilestoneFactory

# Data sizes at which every public page must run the same number of queries.
SIZES = [39, 400]


def build_portfolio(make_portfolio, size):
    """`size` recommendations (see make_portfolio) and a milestone for every ten, each linked to
    two recommendations, so lists, links and prefetches all grow with the data."""
    topics = make_portfolio(size)
    numbers = list(Recommendation.objects.order_by("order").values_list("pk", flat=True))
    for i in range(size // 10):
        milestone = MilestoneFactory(date=datetime.date(2021 + i % 5, 1 + i % 12, 1))
        milestone.recommendations.set(numbers[2 * i : 2 * i + 2])
    assert Milestone.objects.count() == size // 10
    return topics


def cards(response):
    """The codes of the recommendations listed as cards, in page order."""
    html = response.content.decode()
    return re.findall(r'<li class="card" data-code="([^"]+)">', html)
