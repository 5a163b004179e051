"""The recommendations, their topics, the status scale and the dated status records.

Every public figure (a recommendation's current status, the started and implemented counts)
is derived from StatusUpdate rows; nothing here stores a count or a "current status" column.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import EARLIEST_DATE, validate_not_too_early
from core.sources import SourcesField
from core.translations import Translatable
from core.versioning import version_field

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class Phase(models.TextChoices):
    """The three phases every city's status scale maps onto; the public counts use them."""

    NOT_STARTED = "not-started", _("Not started")
    IN_PROGRESS = "in-progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")


STARTED_PHASES = [Phase.IN_PROGRESS, Phase.IMPLEMENTED]


class RecordPrecision(models.TextChoices):
    """How well a status record's date is known. Counts "as of" a day use the stored date."""

    DAY = "day", "On this day"
    MONTH = "month", "In this month (any day of it is stored)"
    BY = "by", "On or before this date (the exact date is not known)"


@dataclass(frozen=True)
class KnownDate:
    """A date printed only as precisely as it is known: "Sept. 25, 2025", "September 2025",
    "by October 2025"; `iso` for a <time datetime>: 2025-09-25 or 2025-09."""

    day: datetime.date
    precision: str

    def __str__(self):
        if self.precision == RecordPrecision.DAY:
            return formats.date_format(self.day, "DATE_FORMAT")
        month = formats.date_format(self.day, "YEAR_MONTH_FORMAT")
        if self.precision == RecordPrecision.MONTH:
            return month
        return gettext("by %(date)s") % {"date": month}

    @property
    def iso(self):
        if self.precision == RecordPrecision.DAY:
            return self.day.isoformat()
        return f"{self.day.year:04d}-{self.day.month:02d}"


def known_date(day, precision):
    """A KnownDate, or None without a date (annotations of recommendations without records)."""
    return KnownDate(day, precision or RecordPrecision.DAY) if day else None


def month_end(day):
    """The last day of `day`'s month."""
    next_month = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return next_month - datetime.timedelta(days=1)


# The uncertainty rule, once in Python and once as SQL, side by side (a test checks that they
# agree). A record is uncertain on a day when its true date could fall on either side of it:
# - precision "month": the day is in the record's month but is not its last day (the record
#   happened on some day of that month, which may be before or after this one);
# - precision "by": the day is before the stored date (the record happened on or before it).
# A record known to the day is never uncertain. A recommendation's figure on a day is
# uncertain when any of its records, whatever its date, is uncertain on that day.


def record_uncertain_on(effective_date, precision, day):
    """Whether a record stored at `effective_date` with `precision` (a RecordPrecision) could
    have happened on either side of `day` (see the rule above)."""
    if precision == RecordPrecision.MONTH:
        same_month = (day.year, day.month) == (effective_date.year, effective_date.month)
        return same_month and day != month_end(day)
    if precision == RecordPrecision.BY:
        return day < effective_date
    return False


def uncertain_records_q(day):
    """The status records uncertain on `day`, as a filter on StatusUpdate: the same rule as
    record_uncertain_on. E.g. a recommendation's figure is uncertain on `day` when
    Exists(StatusUpdate.objects.filter(uncertain_records_q(day), recommendation=OuterRef("pk")))."""
    uncertain = Q(date_precision=RecordPrecision.BY, effective_date__gt=day)
    if day != month_end(day):
        uncertain |= Q(
            date_precision=RecordPrecision.MONTH,
            effective_date__gte=day.replace(day=1),
            effective_date__lte=month_end(day),
        )
    return uncertain


class TopicQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Topic(Translatable):
    """A group of a plan's recommendations. Its slug is unique across plans, so a topic's
    address and the topic filter need no plan."""

    translated_fields = ("name", "description")

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="topics")
    number = models.PositiveSmallIntegerField(help_text="Its position in the plan.")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    version = version_field()

    history = HistoricalRecords()
    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["plan__order", "plan_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="topic_number_unique_in_plan")
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("pages:topic-detail", args=[self.slug])


class StatusQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Status(Translatable):
    """One step of the city's status scale, kept as data so another city can use its own."""

    translated_fields = ("name", "definition")

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(unique=True, help_text="Position on the scale.")
    definition = models.TextField(help_text="Public text shown on the About page.")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    default_progress = models.PositiveSmallIntegerField(
        validators=PERCENT_VALIDATORS,
        help_text="Progress (0-100) suggested for a new status update at this status.",
    )
    min_progress = models.PositiveSmallIntegerField(
        default=0,
        validators=PERCENT_VALIDATORS,
        help_text="The lowest progress a record at this status may give.",
    )
    max_progress = models.PositiveSmallIntegerField(
        default=100,
        validators=PERCENT_VALIDATORS,
        help_text="The highest progress a record at this status may give. An implemented status "
        "means 100 (both 100).",
    )

    history = HistoricalRecords()
    objects = StatusQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        verbose_name_plural = "statuses"
        constraints = [
            models.CheckConstraint(
                condition=Q(default_progress__lte=100), name="status_default_progress_max_100"
            ),
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="status_phase_valid"),
            models.CheckConstraint(
                condition=Q(min_progress__lte=F("default_progress"))
                & Q(default_progress__lte=F("max_progress"))
                & Q(max_progress__lte=100),
                name="status_progress_range_valid",
                violation_error_message="The usual progress must lie within the range.",
            ),
            models.CheckConstraint(
                condition=~Q(phase=Phase.IMPLEMENTED) | Q(min_progress=100),
                name="status_implemented_means_100",
                violation_error_message="An implemented status means 100%: set its range to 100.",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def is_started(self):
        return self.phase in STARTED_PHASES

    @property
    def progress_range(self):
        """ "70–99%", or "100%" where the range is one figure."""
        if self.min_progress == self.max_progress:
            return f"{self.min_progress}%"
        return f"{self.min_progress}–{self.max_progress}%"

    @property
    def is_implemented(self):
        return self.phase == Phase.IMPLEMENTED


@dataclass(frozen=True)
class Progress:
    """The three public counts for a set of recommendations, and `uncertain`: how many of them
    have a record whose date, known only to the month or as "by" a date, could fall on either
    side of the day counted (see record_uncertain_on). They are counted by their stored date."""

    total: int
    started: int
    implemented: int
    uncertain: int = 0

    def __add__(self, other):
        return Progress(
            self.total + other.total,
            self.started + other.started,
            self.implemented + other.implemented,
            self.uncertain + other.uncertain,
        )

    @property
    def started_percent(self):
        return round(100 * self.started / self.total) if self.total else 0

    @property
    def implemented_percent(self):
        return round(100 * self.implemented / self.total) if self.total else 0


NO_PROGRESS = Progress(total=0, started=0, implemented=0)


# A recommendation's current record as of a day: its latest record by effective date, ties
# going to the record created last. The index statusupdate_current_idx has this order, so
# finding it is one index probe per recommendation (the plan of a lateral join): measured at
# 5,000 recommendations and 50,000 records, cheaper than a window over all the records.
CURRENT_FIRST = ("-effective_date", "-created_at", "-pk")


def _records_until(as_of, recommendation_ref=None):
    """Status records of the outer recommendation effective on or before `as_of` (if given)."""
    records = StatusUpdate.objects.filter(recommendation=recommendation_ref or OuterRef("pk"))
    if as_of is not None:
        records = records.filter(effective_date__lte=as_of)
    return records


def _latest_records(as_of):
    """The outer recommendation's records as of a date, the current one first."""
    return _records_until(as_of).order_by(*CURRENT_FIRST)


def _current_phase(as_of):
    """The current record's phase; not started without one. Reference it once per query (a
    GROUP BY or a filter), as _progress_by does: each reference is one probe per row."""
    return Coalesce(
        Subquery(_latest_records(as_of).values("status__phase")[:1]),
        Value(Phase.NOT_STARTED.value),
    )


class RecommendationQuerySet(models.QuerySet):
    def published(self):
        """Published, in a published plan: what the public sees and counts."""
        return self.filter(is_published=True, plan__is_published=True)

    def visible_to(self, user):
        """What a visitor may see: the published recommendations; staff also see the others."""
        return self if user.is_staff else self.published()

    def for_public_list(self, as_of=None):
        """Everything a list of recommendations shows: the derived figures, the plan and the
        topic, and the parties with their roles (one more query)."""
        return (
            self.with_progress(as_of)
            .select_related("plan", "topic")
            .prefetch_related(
                Prefetch(
                    "responsibilities",
                    queryset=Responsibility.objects.select_related("party"),
                )
            )
        )

    def for_detail_page(self, *, milestones):
        """One recommendation's page: its figures, its status history (newest first, each
        with its status) and its links among the given milestones, in a fixed four queries."""
        return self.for_public_list().prefetch_related(
            Prefetch("status_updates", queryset=StatusUpdate.objects.select_related("status")),
            Prefetch("milestones", queryset=milestones),
        )

    def neighbours(self, recommendation):
        """(previous, next) recommendation around `recommendation` in its plan, in this
        queryset; either may be None."""
        rows = (
            self.filter(plan=recommendation.plan_id)
            .select_related("plan")
            .only("plan__slug", "code", "order", "title", "translations")
        )
        here = recommendation.order, recommendation.code
        before = Q(order__lt=here[0]) | Q(order=here[0], code__lt=here[1])
        after = Q(order__gt=here[0]) | Q(order=here[0], code__gt=here[1])
        return (
            rows.filter(before).order_by("-order", "-code").first(),
            rows.filter(after).order_by("order", "code").first(),
        )

    def in_plan(self, plan):
        return self.filter(plan=plan)

    def with_progress(self, as_of=None):
        """Annotate every figure derived from the status records, as of a date (default: now).

        current_status_id, current_phase, current_progress: from the latest record
        (latest effective date; ties go to the record created last). No record: not started.
        start_date: the first record in an in-progress or implemented status.
        implemented_date: the first implemented record with no non-implemented record after it,
        so a regression clears it. last_update_date: the latest record's effective date.
        is_overdue: the estimated completion has passed and it is not implemented.
        Each is one correlated subquery, so the query count does not grow with the data.
        """
        latest = _latest_records(as_of)
        later_regression = (
            _records_until(as_of, OuterRef(OuterRef("pk")))
            .exclude(status__phase=Phase.IMPLEMENTED)
            .filter(
                Q(effective_date__gt=OuterRef("effective_date"))
                | Q(
                    effective_date=OuterRef("effective_date"), created_at__gt=OuterRef("created_at")
                )
                | Q(
                    effective_date=OuterRef("effective_date"),
                    created_at=OuterRef("created_at"),
                    pk__gt=OuterRef("pk"),
                )
            )
        )
        implemented_run = (
            _records_until(as_of)
            .filter(status__phase=Phase.IMPLEMENTED)
            .filter(~Exists(later_regression))
            .order_by("effective_date", "created_at", "pk")
        )
        first_started = (
            _records_until(as_of)
            .filter(status__phase__in=STARTED_PHASES)
            .order_by("effective_date", "created_at", "pk")
        )
        qs = self.annotate(
            current_status_id=Subquery(latest.values("status_id")[:1]),
            current_phase=_current_phase(as_of),
            current_progress=Coalesce(Subquery(latest.values("progress")[:1]), Value(0)),
            last_update_date=Subquery(latest.values("effective_date")[:1]),
            last_update_precision=Subquery(latest.values("date_precision")[:1]),
            start_date=Subquery(first_started.values("effective_date")[:1]),
            start_precision=Subquery(first_started.values("date_precision")[:1]),
            implemented_date=Subquery(implemented_run.values("effective_date")[:1]),
            implemented_precision=Subquery(implemented_run.values("date_precision")[:1]),
        )
        # Overdue: the target date has passed (as of that day) and it is not implemented.
        qs = qs.annotate(
            is_overdue=Case(
                When(
                    Q(estimated_completion__lt=as_of or timezone.localdate())
                    & ~Q(current_phase=Phase.IMPLEMENTED),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        # The current record's status as an object (name, definition, translations): one more
        # query for the whole list, through current_records (see Recommendation.current_status).
        current = StatusUpdate.objects.current(as_of).select_related("status")
        return qs.prefetch_related(Prefetch("status_updates", current, to_attr="current_records"))

    def with_latest_note(self, as_of=None):
        """Annotate latest_note and latest_note_translations: the public note of the current
        status record (see with_progress for "current") and its translations; "" and {}
        without one. A correlated subquery each, no query per row."""
        latest = _latest_records(as_of)
        return self.annotate(
            latest_note=Coalesce(
                Subquery(latest.values("note")[:1]), Value(""), output_field=models.TextField()
            ),
            latest_note_translations=Subquery(
                latest.values("translations")[:1], output_field=models.JSONField()
            ),
        )

    def in_phase(self, phase):
        """Filter an annotated queryset (see with_progress) by phase."""
        return self.filter(current_phase=phase)

    def with_current_phase(self, as_of=None):
        """Annotate current_phase alone (see with_progress): all that the counts need."""
        return self.annotate(current_phase=_current_phase(as_of))

    def with_counted_figures(self, as_of=None):
        """Annotate current_phase (see with_progress) and is_uncertain: a record of the
        recommendation could fall on either side of the day (see record_uncertain_on)."""
        uncertain = StatusUpdate.objects.filter(uncertain_records_q(as_of or timezone.localdate()))
        # Uncorrelated, like the phase: read once per query, whatever the number of rows.
        return self.with_current_phase(as_of).annotate(
            is_uncertain=ExpressionWrapper(
                Q(pk__in=uncertain.values("recommendation_id")), output_field=BooleanField()
            )
        )

    def progress(self, as_of=None):
        """The public counts, in one query: total, started, implemented and uncertain."""
        return self._progress_by(None, as_of).get(None, NO_PROGRESS)

    def progress_by_plan(self, as_of=None):
        """{plan_id: Progress} for the plans that have recommendations here, in one query."""
        return self._progress_by("plan_id", as_of)

    def progress_by_topic(self, as_of=None):
        """{topic_id: Progress} for the topics that have recommendations here, in one query."""
        return self._progress_by("topic_id", as_of)

    def _progress_by(self, key, as_of):
        """{value of `key` (None: one group): Progress}. The recommendations are grouped by
        their phase and uncertainty, which the database works out once each (the GROUP BY names
        them by position), and the groups are added up here."""
        keys = [key] if key else []
        rows = (
            self.with_counted_figures(as_of)
            .order_by()
            .values(*keys, "current_phase", "is_uncertain")
            .annotate(recommendations=Count("pk"))
        )
        counts = {}
        for row in rows:
            phase, n = row["current_phase"], row["recommendations"]
            group = row[key] if key else None
            counts[group] = counts.get(group, NO_PROGRESS) + Progress(
                total=n,
                started=n if phase in STARTED_PHASES else 0,
                implemented=n if phase == Phase.IMPLEMENTED else 0,
                uncertain=n if row["is_uncertain"] else 0,
            )
        return counts

    # Why a recommendation may need the implementation manager's attention (needing_attention).
    attention_reasons = ("not_updated", "overdue", "start_unknown", "untranslated")

    def needing_attention(self, reason=None, *, days=None, today=None):
        """The recommendations that need the implementation manager's attention (the admin
        home, the weekly reminder, the changelist's filter), each annotated with one flag per
        reason, attention_<reason>: True where it applies. All of them, or only those
        `reason` applies to. One query whatever the data: every figure is a subquery.

        Published or not (the manager prepares drafts too), but only in published plans: an
        unpublished plan is still being entered by the superuser and shows nowhere.

        - not_updated: no status record dated within the last `days` days (default: the
          NEEDS_ATTENTION_DAYS setting), or none at all; not once implemented, when there is
          nothing left to report.
        - overdue: the estimated completion is before `today` (default: today) and it is not
          implemented (with_progress's is_overdue).
        - start_unknown: started (in progress or implemented) with no known start date. A
          started recommendation always has a start date (with_progress: its first record in
          a started phase), so this means that date is known only as "by" a day: the work
          had already begun when it was first recorded, and the pages print "by October 2025".
        - untranslated: for a configured language other than the first, the title or the
          text has no translation, or the note of the current status record has none.
        """
        from core.translations import other_languages

        days = settings.NEEDS_ATTENTION_DAYS if days is None else days
        today = today or timezone.localdate()
        latest = _latest_records(None)
        first_started = (
            _records_until(None)
            .filter(status__phase__in=STARTED_PHASES)
            .order_by("effective_date", "created_at", "pk")
        )
        recent = _records_until(None).filter(
            effective_date__gte=today - datetime.timedelta(days=days)
        )
        qs = self.filter(plan__is_published=True).alias(
            attention_phase=_current_phase(None),
            attention_start_precision=Subquery(first_started.values("date_precision")[:1]),
            attention_note=Subquery(latest.values("note")[:1]),
            attention_note_translations=Subquery(
                latest.values("translations")[:1], output_field=models.JSONField()
            ),
        )

        def missing(path):
            return Q(**{f"{path}__isnull": True}) | Q(**{path: ""})

        untranslated = [
            missing(f"translations__{code}__title")
            | missing(f"translations__{code}__text")
            | (Q(attention_note__gt="") & missing(f"attention_note_translations__{code}__note"))
            for code, _name in other_languages()
        ]
        implemented = Q(attention_phase=Phase.IMPLEMENTED)
        conditions = {
            "not_updated": ~Exists(recent) & ~implemented,
            "overdue": Q(estimated_completion__lt=today) & ~implemented,
            "start_unknown": Q(attention_phase__in=STARTED_PHASES)
            & Q(attention_start_precision=RecordPrecision.BY),
            # With one language there is nothing to translate: an always-false condition.
            "untranslated": Q.create(untranslated, connector=Q.OR) if untranslated else Q(pk=None),
        }
        if reason is not None and reason not in conditions:
            raise ValueError(f"No reason for attention named {reason!r}.")
        qs = qs.annotate(
            **{
                f"attention_{name}": Case(
                    When(condition, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
                for name, condition in conditions.items()
            }
        )
        any_reason = Q.create(list(conditions.values()), connector=Q.OR)
        return qs.filter(conditions[reason] if reason else any_reason).select_related("plan")


CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9.-]*$",
    "Letters, digits, dots and hyphens, starting with a letter or digit (e.g. 12, MH1, R-4).",
)


class Recommendation(Translatable):
    """One recommendation of a plan, known by its code within the plan ("12", "MH1")."""

    translated_fields = ("title", "text", "details")

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="recommendations")
    code = models.CharField(
        max_length=20,
        validators=[CODE_VALIDATOR],
        help_text="As the source numbers it, e.g. 12 or MH1; unique within the plan.",
    )
    order = models.PositiveIntegerField(
        help_text="Its position in the plan's lists (so that 10 comes after 9)."
    )
    title = models.CharField(max_length=120, help_text="A short title, a few words.")
    text = models.TextField(help_text="The full recommendation, as the source words it.")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="recommendations")
    parties = models.ManyToManyField(
        "plans.Party", through="Responsibility", related_name="recommendations", blank=True
    )
    details = models.TextField(blank=True, help_text="Background and context, shown publicly.")
    estimated_completion = models.DateField(
        null=True, blank=True, help_text="Target date; shown to the public as month and year."
    )
    is_published = models.BooleanField(default=True)
    version = version_field()

    history = HistoricalRecords()
    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["plan__order", "plan_id", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="recommendation_code_unique")
        ]
        # The source's words are not the manager's to rewrite (staff/admin/recommendations.py);
        # superusers have it, the manager's group does not.
        permissions = [
            (
                "change_official_wording",
                "Can change a recommendation's official text, code, plan and topic",
            )
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"

    def get_absolute_url(self):
        return reverse("pages:detail", args=[self.plan.slug, self.code])

    def clean(self):
        if self.topic_id and self.plan_id and self.topic.plan_id != self.plan_id:
            raise ValidationError(
                {"topic": "This topic belongs to another plan. Choose one of this plan's topics."}
            )

    @property
    def known_start(self):
        """The start date at its precision (a KnownDate), None if not started; needs
        with_progress(). Likewise known_implemented and known_last_update."""
        return known_date(self.start_date, self.start_precision)

    @property
    def known_implemented(self):
        return known_date(self.implemented_date, self.implemented_precision)

    @property
    def known_last_update(self):
        return known_date(self.last_update_date, self.last_update_precision)

    @property
    def current_status(self):
        """The current record's Status, None without one; needs with_progress()."""
        return self.current_records[0].status if self.current_records else None

    @property
    def leads(self):
        """The lead parties; needs for_public_list() (or a prefetch of responsibilities)."""
        return [r.party for r in self.responsibilities.all() if r.role == Role.LEAD]

    @property
    def supports(self):
        return [r.party for r in self.responsibilities.all() if r.role == Role.SUPPORT]


class Role(models.TextChoices):
    LEAD = "lead", _("Lead")
    SUPPORT = "support", _("Support")


class Responsibility(models.Model):
    """A party's role in carrying out a recommendation: it leads it, or supports the lead."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="responsibilities"
    )
    party = models.ForeignKey(
        "plans.Party", on_delete=models.PROTECT, related_name="responsibilities"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.LEAD)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "party__name"]
        verbose_name_plural = "responsibilities"
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "party", "role"],
                name="responsibility_unique",
                violation_error_message="This party is listed twice with the same role.",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="responsibility_role"),
        ]

    def __str__(self):
        return f"{self.party} ({self.get_role_display()})"


class StatusUpdateQuerySet(models.QuerySet):
    def current(self, as_of=None):
        """Each recommendation's current record as of a date (see _latest_records)."""
        latest = _records_until(as_of, OuterRef("recommendation")).order_by(*CURRENT_FIRST)
        return self.filter(pk=Subquery(latest.values("pk")[:1]))

    def published(self):
        """The records of published recommendations (see RecommendationQuerySet.published)."""
        return self.filter(
            recommendation__is_published=True, recommendation__plan__is_published=True
        )

    def newest_first(self):
        """For lists of recent updates: each record with its recommendation and status."""
        return self.select_related("recommendation__plan", "status").order_by(
            "-effective_date", "-created_at", "-pk"
        )


class StatusUpdate(Translatable):
    """A dated status record: on `effective_date` the recommendation reached `status`."""

    translated_fields = ("note", "correction_reason")

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="status_updates"
    )
    status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="updates")
    effective_date = models.DateField(
        validators=[validate_not_too_early],
        help_text="The day the recommendation reached this status; for a month, any day of it; "
        "if only known to be on or before a date, that date.",
    )
    date_precision = models.CharField(
        max_length=5,
        choices=RecordPrecision.choices,
        default=RecordPrecision.DAY,
        help_text="How well the date is known. Pages print only that much.",
    )
    progress = models.PositiveSmallIntegerField(
        validators=PERCENT_VALIDATORS,
        blank=True,
        help_text="Percent complete, 0-100. Left empty, the status's default is used.",
    )
    note = models.TextField(
        blank=True, help_text="Public text: what happened. Required for a new record."
    )
    sources = SourcesField()
    correction_reason = models.TextField(
        blank=True,
        help_text="Why a saved record was corrected; required with a correction and shown "
        "publicly beside its date.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    corrected_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when a saved record is edited later; the public history marks it corrected.",
    )
    version = version_field()

    history = HistoricalRecords()
    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_date", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="statusupdate_progress_max_100"
            ),
            models.CheckConstraint(
                condition=Q(date_precision__in=RecordPrecision.values),
                name="statusupdate_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(effective_date__gte=EARLIEST_DATE),
                name="statusupdate_date_not_too_early",
            ),
        ]
        indexes = [
            # The current record first (CURRENT_FIRST): one probe finds it.
            models.Index(
                fields=["recommendation", "-effective_date", "-created_at", "-id"],
                name="statusupdate_current_idx",
            )
        ]

    def __str__(self):
        return f"{self.recommendation.code}: {self.status} on {self.effective_date}"

    @property
    def known_date(self):
        return KnownDate(self.effective_date, self.date_precision)

    def uncertain_on(self, day):
        """Whether this record could have happened on either side of `day`."""
        return record_uncertain_on(self.effective_date, self.date_precision, day)

    def save(self, *args, **kwargs):
        if self.progress is None:
            self.progress = self.status.default_progress
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self._state.adding and not (self.note or "").strip():
            errors["note"] = "Say what happened: every new status record needs a public note."
        # A date in the city's time zone; the database cannot check "today" reliably.
        if self.effective_date and self.effective_date > timezone.localdate():
            errors["effective_date"] = "The effective date cannot be in the future."
        # The status's own range: a record may not say "Full Implementation, 80%".
        status = self.status if self.status_id else None
        if (
            status is not None
            and self.progress is not None
            and not status.min_progress <= self.progress <= status.max_progress
        ):
            errors["progress"] = (
                f"{status.name} means a progress of {status.progress_range}; "
                f"{self.progress}% is outside it. Change the progress or the status."
            )
        if errors:
            raise ValidationError(errors)
