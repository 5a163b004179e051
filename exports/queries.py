"""What each export reads, from validated parameters (see params.py); each is a fixed number of
queries whatever the number of recommendations or plans."""

from dataclasses import dataclass

from django.db.models import JSONField, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Length
from django.utils import timezone

from core.translations import other_languages
from milestones.models import Milestone
from recommendations.models import Progress, Recommendation, Status, StatusUpdate, Topic

from .columns import SummaryRow

# Every list runs in plan order, then the plan's own order (so that 10 comes after 9).
RECOMMENDATION_ORDER = ["plan__order", "plan_id", "order", "code"]
NONE = Progress(total=0, started=0, implemented=0)


def _through_recommendation(order):
    return [f"recommendation__{name}" for name in order]


def recommendations(params, *, history=False, sources=False):
    """The recommendations in scope with every exported figure, their plan, topic and parties:
    one query, one for the status scale, one for the parties and, with history, one for all
    their status records. With `sources`, each has `latest_sources`: the sources of its current
    record (a subquery, no query of its own)."""
    qs = params.recommendations.with_latest_note(params.as_of).order_by(*RECOMMENDATION_ORDER)
    if sources:
        current = StatusUpdate.objects.current(params.as_of).filter(recommendation=OuterRef("pk"))
        qs = qs.annotate(
            latest_sources=Subquery(current.values("sources")[:1], output_field=JSONField())
        )
    if history:
        records = StatusUpdate.objects.filter(effective_date__lte=params.as_of).select_related(
            "status"
        )
        qs = qs.prefetch_related(
            Prefetch("status_updates", queryset=records, to_attr="status_history")
        )
    return qs


def longest_titles(params):
    """{column name: the length of the longest title in scope}, for `title` and each
    `title_<language>` (the spreadsheet's column widths): one query."""
    lengths = {"title": Max(Length("title"))} | {
        f"title_{code}": Max(Length(KT(f"translations__{code}__title")))
        for code, _name in other_languages()
    }
    return {name: length or 0 for name, length in params.counted().aggregate(**lengths).items()}


def with_latest_update(recommendations):
    """The recommendations (of recommendations()), each with `latest_update`: an unsaved
    StatusUpdate holding the latest note and its translations, so templates show the note in
    the page's language as they show any record's. No query of its own."""
    recommendations = list(recommendations)
    for rec in recommendations:
        rec.latest_update = StatusUpdate(
            note=rec.latest_note, translations=rec.latest_note_translations or {}
        )
    return recommendations


def status_updates(params):
    """Every status record of the recommendations in scope up to the as-of date, oldest first
    for each recommendation: one query."""
    return (
        StatusUpdate.objects.filter(
            recommendation__in=params.counted(), effective_date__lte=params.as_of
        )
        .select_related("recommendation__plan", "status")
        .order_by(
            *_through_recommendation(RECOMMENDATION_ORDER), "effective_date", "created_at", "pk"
        )
    )


@dataclass(frozen=True)
class Summary:
    """The counts of the recommendations in scope: overall, per plan and per topic."""

    overall: SummaryRow
    plans: list  # a row per plan in scope, in plan order
    topics: list  # a row per topic of those plans (zeros where it has none in scope)

    def rows(self):
        """The rows of summary.csv: overall, then each plan's topics, each plan's own row first
        when there are several (with one plan it would repeat the overall row)."""
        if len(self.plans) <= 1:
            return [self.overall, *self.topics]
        rows = [self.overall]
        for plan_row in self.plans:
            rows.append(plan_row)
            rows += [row for row in self.topics if row.plan.pk == plan_row.plan.pk]
        return rows

    def plans_with_topics(self):
        """[(plan row, its topic rows)] for the plans with recommendations in scope."""
        return [
            (plan_row, [row for row in self.topics if row.plan.pk == plan_row.plan.pk])
            for plan_row in self.plans
            if plan_row.progress.total
        ]


def summary(params):
    """All recommendations in scope, each plan in scope and each of their topics: three
    queries (overall counts, counts by topic, the topics with their plans). A plan's counts are
    its topics' counts added up: every recommendation has a topic of its own plan."""
    counted = params.counted()
    by_topic = counted.progress_by_topic(params.as_of)
    overall = counted.progress(params.as_of)
    topic_rows = [
        SummaryRow(params.as_of, topic.plan, topic, by_topic.get(topic.pk, NONE), params.filters)
        for topic in topics(params)
    ]
    plans = {} if params.plan is None else {params.plan.pk: params.plan}
    for row in topic_rows:
        plans.setdefault(row.plan.pk, row.plan)
    plan_rows = [
        SummaryRow(
            params.as_of,
            plan,
            None,
            sum((row.progress for row in topic_rows if row.plan.pk == pk), NONE),
            params.filters,
        )
        for pk, plan in plans.items()
    ]
    only_plan = plan_rows[0].plan if len(plan_rows) == 1 else None
    return Summary(
        overall=SummaryRow(params.as_of, only_plan, None, overall, params.filters),
        plans=plan_rows,
        topics=topic_rows,
    )


def status_changes(params, since):
    """What changed after `since` up to the as-of date, oldest first: every status record
    effective in that period (`is_change`), and every record corrected in it (`is_correction`:
    its `corrected_at`, in the city's time zone, falls in the period), whatever its own date up
    to the as-of date, so that a correction to a record an earlier report showed is in the
    next one. A record that is both is listed once.

    Each has `previous_status`: the status it replaced, an unsaved Status with its name and
    translations (None for a first record), and `may_fall_outside`: its date is known only to
    a month or as "by" a date that leaves it on either side of a limit of the period. Records
    are placed by their stored date, as the counts place them. One query."""
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
    # `__date` reads the datetime in the current (the city's) time zone, as the as-of day is.
    corrected = Q(corrected_at__date__gt=since, corrected_at__date__lte=params.as_of)
    changes = list(
        StatusUpdate.objects.filter(
            Q(effective_date__gt=since) | corrected,
            recommendation__in=params.counted(),
            effective_date__lte=params.as_of,
        )
        .select_related("recommendation__plan", "status")
        .annotate(
            previous_status_name=Subquery(previous.values("status__name")[:1]),
            previous_status_translations=Subquery(
                previous.values("status__translations")[:1], output_field=JSONField()
            ),
        )
        .order_by("effective_date", "created_at", "pk")
    )
    for change in changes:
        change.is_change = change.effective_date > since
        change.is_correction = change.corrected_at is not None and (
            since < timezone.localdate(change.corrected_at) <= params.as_of
        )
        change.may_fall_outside = change.is_change and (
            change.uncertain_on(since) or change.uncertain_on(params.as_of)
        )
        change.previous_status = None
        if change.previous_status_name is not None:
            change.previous_status = Status(
                name=change.previous_status_name,
                translations=change.previous_status_translations or {},
            )
    return changes


def milestones(params):
    """The published milestones (of the plan named, if any), each with its plan and its
    published recommendations: two queries."""
    events = Milestone.objects.published().select_related("plan")
    if params.plan is not None:
        events = events.filter(plan=params.plan)
    linked = (
        Recommendation.objects.published().select_related("plan").order_by(*RECOMMENDATION_ORDER)
    )
    return events.prefetch_related(Prefetch("recommendations", queryset=linked))


def topics(params):
    """The topics of the plans in scope, each with its plan: one query."""
    topics = Topic.objects.select_related("plan")
    if params.plan is not None:
        return topics.filter(plan=params.plan)
    return topics.filter(plan__is_published=True)
