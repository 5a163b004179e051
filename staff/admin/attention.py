"""What needs the implementation manager's attention, as the admin home and the weekly reminder
email show it (the counts by reason, the first rows), and the recommendations changelist's
filter that their links open. The rule is RecommendationQuerySet.needing_attention."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse

from recommendations.models import Recommendation, RecommendationQuerySet

# The most rows listed on the admin home and in the email; a link opens the rest.
LIMIT = 50

# The filter's value for "any reason".
ANY = "any"


def reason_labels():
    """{reason: (label, short label for a row)}, in RecommendationQuerySet.attention_reasons's
    order."""
    days = settings.NEEDS_ATTENTION_DAYS
    return {
        "not_updated": (
            f"No status update for more than {days} days",
            f"no update for {days} days",
        ),
        "overdue": ("Past the estimated completion and not implemented", "overdue"),
        "start_unknown": ("Started, but the start date is not known", "start date unknown"),
        "untranslated": (
            "A translation of the title, text or latest note is missing",
            "translation missing",
        ),
    }


def changelist_url(reason=ANY):
    """The recommendations changelist filtered by `reason` (or by any reason)."""
    return f"{reverse('admin:recommendations_recommendation_changelist')}?attention={reason}"


@dataclass(frozen=True)
class ReasonCount:
    reason: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Attention:
    """The counts by reason and the first `LIMIT` recommendations that need attention, each
    with `attention_labels`: the short labels of its reasons. URLs are paths on the site."""

    total: int
    reasons: list
    rows: list
    url: str

    @property
    def more(self):
        """How many are not listed in `rows`."""
        return self.total - len(self.rows)

    @property
    def several_plans(self):
        """Whether the rows come from more than one plan, so that each names its plan."""
        return len({rec.plan_id for rec in self.rows}) > 1


def needs_attention(*, limit=LIMIT, today=None):
    """What needs attention now, in two queries: the counts, then the first `limit` rows."""
    labels = reason_labels()
    recommendations = Recommendation.objects.needing_attention(today=today)
    counts = recommendations.aggregate(
        total=Count("pk"),
        **{
            reason: Count("pk", filter=Q(**{f"attention_{reason}": True}))
            for reason in RecommendationQuerySet.attention_reasons
        },
    )
    rows = list(recommendations[:limit])
    for rec in rows:
        rec.attention_labels = [
            labels[reason][1]
            for reason in RecommendationQuerySet.attention_reasons
            if getattr(rec, f"attention_{reason}")
        ]
    return Attention(
        total=counts["total"],
        reasons=[
            ReasonCount(reason, labels[reason][0], counts[reason], changelist_url(reason))
            for reason in RecommendationQuerySet.attention_reasons
        ],
        rows=rows,
        url=changelist_url(),
    )


class NeedsAttentionFilter(admin.SimpleListFilter):
    """The recommendations that need attention, for any reason or for one."""

    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        labels = reason_labels()
        return [(ANY, "For any reason")] + [
            (reason, labels[reason][0]) for reason in RecommendationQuerySet.attention_reasons
        ]

    def queryset(self, request, queryset):
        if self.value() == ANY:
            return queryset.needing_attention()
        if self.value() in RecommendationQuerySet.attention_reasons:
            return queryset.needing_attention(self.value())
        return queryset
