"""Every public page of the Oklahoma City data, including its error and empty states."""

from plans.models import Plan
from recommendations.models import Phase, Recommendation, Topic


def public_paths():
    """Paths read from the loaded data (call inside a test, after the `okc` fixture)."""
    recs = Recommendation.objects.published().with_progress()
    implemented = recs.in_phase(Phase.IMPLEMENTED).first()
    not_started = recs.in_phase(Phase.NOT_STARTED).first()
    return [
        "/",
        "/recommendations/",
        "/recommendations/?phase=started&q=officers",
        "/recommendations/?topic=no-such-topic",  # the 400 error state
        "/recommendations/?q=zeppelin",  # the empty state
        implemented.get_absolute_url(),
        not_started.get_absolute_url(),
        Plan.objects.published().first().get_absolute_url(),
        "/topics/",
        Topic.objects.first().get_absolute_url(),
        "/timeline/",
        "/about/",
        implemented.get_absolute_url() + "follow/",
        "/contact/",
        "/accessibility/",
        implemented.get_absolute_url() + "feedback/",
        "/no-such-page/",  # the 404 page
    ]


# Names for the parametrized tests; the test checks that the list above has as many.
PAGE_NAMES = [
    "home",
    "list",
    "list-filtered",
    "list-invalid-filter",
    "list-empty",
    "detail-implemented",
    "detail-not-started",
    "plan",
    "topics",
    "topic",
    "timeline",
    "about",
    "follow",
    "contact",
    "accessibility",
    "feedback",
    "not-found",
]
