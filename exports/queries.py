"""What each export reads, from validated parameters (see params.py); each is a fixed number of
queries whatever the number of recommendations."""

from django.db.models import OuterRef, Prefetch, Q, Subquery

from milestones.models import Milestone
from recommendations.models import Progress, Recommendation, StatusUpdate, Topic

from .columns import SummaryRow


def recommendations(params, *, history=False):
    """The recommendations in scope with every exported figure: one query, plus one for the
    status scale and, with history, one for all their status records."""
    qs = (
        params.recommendations.with_latest_note(params.as_of)
        .select_related("topic")
        .order_by("number")
    )
    if history:
        records = StatusUpdate.objects.filter(effective_date__lte=params.as_of).select_related(
            "status"
        )
        qs = qs.prefetch_related(
            Prefetch("status_updates", queryset=records, to_attr="status_history")
        )
    return qs


def status_updates(params):
    """Every status record of the recommendations in scope up to the as-of date, oldest first
    for each recommendation: one query."""
    return (
        StatusUpdate.objects.filter(
            recommendation__in=params.counted(), effective_date__lte=params.as_of
        )
        .select_related("recommendation", "status")
        .order_by("recommendation__number", "effective_date", "created_at", "pk")
    )


def summary(params):
    """All recommendations in scope, then each topic (zeros where it has none): three queries."""
    counted = params.counted()
    by_topic = counted.progress_by_topic(params.as_of)
    none = Progress(total=0, started=0, implemented=0)
    return [
        SummaryRow(params.as_of, None, counted.progress(params.as_of)),
        *(
            SummaryRow(params.as_of, topic, by_topic.get(topic.pk, none))
            for topic in Topic.objects.all()
        ),
    ]


def status_changes(params, since):
    """Every status record effective after `since` up to the as-of date, oldest first, each
    with the status it replaced (previous_status_name and previous_status_name_es, None for a
    first record): one query."""
    previous = (
        StatusUpdate.objects.filter(recommendation=OuterRef("recommendation"))
        .filter(
            Q(effective_date__lt=OuterRef("effective_date"))
            | Q(effective_date=OuterRef("effective_date"), created_at__lt=OuterRef("created_at"))
            | Q(
                effective_date=OuterRef("effective_date"),
                created_at=OuterRef("created_at"),
                pk__lt=OuterRef("pk"),
            )
        )
        .order_by("-effective_date", "-created_at", "-pk")
    )
    return (
        StatusUpdate.objects.filter(
            recommendation__in=params.counted(),
            effective_date__gt=since,
            effective_date__lte=params.as_of,
        )
        .select_related("recommendation", "status")
        .annotate(
            previous_status_name=Subquery(previous.values("status__name")[:1]),
            previous_status_name_es=Subquery(previous.values("status__name_es")[:1]),
        )
        .order_by("effective_date", "created_at", "pk")
    )


def milestones():
    """The published milestones, each with its published recommendations: two queries."""
    return Milestone.objects.published().prefetch_related(
        Prefetch("recommendations", queryset=Recommendation.objects.published().order_by("number"))
    )
