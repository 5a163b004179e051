"""The recommendations, their topics, the status scale and the dated status records.

Every public figure (a recommendation's current status, the started and implemented counts)
is derived from StatusUpdate rows; nothing here stores a count or a "current status" column.
"""

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
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.translations import Translatable
from core.versioning import version_field

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class Phase(models.TextChoices):
    """The three phases every city's status scale maps onto; the public counts use them."""

    NOT_STARTED = "not-started", _("Not started")
    IN_PROGRESS = "in-progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")


STARTED_PHASES = [Phase.IN_PROGRESS, Phase.IMPLEMENTED]


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
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def is_started(self):
        return self.phase in STARTED_PHASES

    @property
    def is_implemented(self):
        return self.phase == Phase.IMPLEMENTED


@dataclass(frozen=True)
class Progress:
    """The three public counts for a set of recommendations."""

    total: int
    started: int
    implemented: int

    def __add__(self, other):
        return Progress(
            self.total + other.total,
            self.started + other.started,
            self.implemented + other.implemented,
        )

    @property
    def started_percent(self):
        return round(100 * self.started / self.total) if self.total else 0

    @property
    def implemented_percent(self):
        return round(100 * self.implemented / self.total) if self.total else 0


def _records_until(as_of, recommendation_ref=None):
    """Status records of the outer recommendation effective on or before `as_of` (if given)."""
    records = StatusUpdate.objects.filter(recommendation=recommendation_ref or OuterRef("pk"))
    if as_of is not None:
        records = records.filter(effective_date__lte=as_of)
    return records


def _latest_records(as_of):
    """The outer recommendation's records as of a date, the current one first: the latest
    effective date, ties going to the record created last."""
    return _records_until(as_of).order_by("-effective_date", "-created_at", "-pk")


def _current_phase(as_of):
    """The current record's phase; not started without one."""
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
        started = _records_until(as_of).filter(status__phase__in=STARTED_PHASES)
        qs = self.annotate(
            current_status_id=Subquery(latest.values("status_id")[:1]),
            current_phase=_current_phase(as_of),
            current_progress=Coalesce(Subquery(latest.values("progress")[:1]), Value(0)),
            last_update_date=Subquery(latest.values("effective_date")[:1]),
            start_date=Subquery(
                started.order_by()
                .values("recommendation")
                .annotate(d=Min("effective_date"))
                .values("d")
            ),
            implemented_date=Subquery(implemented_run.values("effective_date")[:1]),
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

    def progress(self, as_of=None):
        """The public counts, in one query: total, started and implemented."""
        counts = self.with_current_phase(as_of).aggregate(**_count_expressions("pk"))
        return Progress(**counts)

    def progress_by_plan(self, as_of=None):
        """{plan_id: Progress} for the plans that have recommendations here, in one query."""
        return self._progress_by("plan_id", as_of)

    def progress_by_topic(self, as_of=None):
        """{topic_id: Progress} for the topics that have recommendations here, in one query."""
        return self._progress_by("topic_id", as_of)

    def _progress_by(self, key, as_of):
        rows = (
            self.with_current_phase(as_of)
            .order_by()
            .values(key)
            .annotate(**_count_expressions("pk"))
        )
        return {
            row.pop(key): Progress(**{k: row[k] for k in ("total", "started", "implemented")})
            for row in rows
        }


def _count_expressions(field):
    return {
        "total": Count(field),
        "started": Count(field, filter=Q(current_phase__in=STARTED_PHASES)),
        "implemented": Count(field, filter=Q(current_phase=Phase.IMPLEMENTED)),
    }


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
        latest = _records_until(as_of, OuterRef("recommendation")).order_by(
            "-effective_date", "-created_at", "-pk"
        )
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

    translated_fields = ("note",)

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="status_updates"
    )
    status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="updates")
    effective_date = models.DateField(help_text="The day the recommendation reached this status.")
    progress = models.PositiveSmallIntegerField(
        validators=PERCENT_VALIDATORS,
        blank=True,
        help_text="Percent complete, 0-100. Left empty, the status's default is used.",
    )
    note = models.TextField(blank=True, help_text="Public text: what happened.")
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
        ]
        indexes = [
            models.Index(
                fields=["recommendation", "-effective_date", "-created_at"],
                name="statusupdate_latest_idx",
            )
        ]

    def __str__(self):
        return f"{self.recommendation.code}: {self.status} on {self.effective_date}"

    def save(self, *args, **kwargs):
        if self.progress is None:
            self.progress = self.status.default_progress
        super().save(*args, **kwargs)

    def clean(self):
        # A date in the city's time zone; the database cannot check "today" reliably.
        if self.effective_date and self.effective_date > timezone.localdate():
            raise ValidationError({"effective_date": "The effective date cannot be in the future."})
