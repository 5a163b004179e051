"""The large synthetic dataset, written beside the Oklahoma City data of the bench database."""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from milestones.models import Milestone, Precision
from portal.caching import bump_public_version
from recommendations.models import Recommendation, Status, StatusUpdate, Topic

FIRST_NUMBER = 1001  # after the city's own numbers
LEADS = ["OKCPD", "The City", "911 Dispatch", "Municipal Courts", "Parks and Recreation"]
EARLIEST = datetime.date(2022, 4, 1)


@transaction.atomic
def build(*, recommendations, updates, milestones, seed=6):
    """Add synthetic recommendations, status records and milestones, with their history rows.

    Written in bulk (with history, as the audit trail expects), so no save signal fires: the
    public data version is bumped once at the end.
    """
    rng = random.Random(seed)  # noqa: S311 (synthetic data, no secret)
    today = timezone.localdate()
    span = (today - EARLIEST).days
    topics = list(Topic.objects.all())
    statuses = list(Status.objects.all())

    bulk_create_with_history(
        [
            Recommendation(
                number=FIRST_NUMBER + i,
                title=f"Synthetic recommendation {FIRST_NUMBER + i}",
                text=f"The city should carry out synthetic measure number {FIRST_NUMBER + i}.",
                topic=rng.choice(topics),
                lead=rng.choice(LEADS),
                estimated_completion=EARLIEST + datetime.timedelta(days=rng.randrange(span + 730)),
                is_published=rng.random() > 0.05,
            )
            for i in range(recommendations)
        ],
        Recommendation,
        batch_size=1000,
    )
    recs = list(Recommendation.objects.filter(number__gte=FIRST_NUMBER))

    records = []
    for rec in rng.choices(recs, k=updates):
        status = rng.choice(statuses)
        records.append(
            StatusUpdate(
                recommendation=rec,
                status=status,
                effective_date=EARLIEST + datetime.timedelta(days=rng.randrange(span)),
                progress=status.default_progress,
                note="Synthetic progress note.",
            )
        )
    bulk_create_with_history(records, StatusUpdate, batch_size=2000)

    bulk_create_with_history(
        [
            Milestone(
                date=EARLIEST + datetime.timedelta(days=rng.randrange(span)),
                date_precision=rng.choice(Precision.values),
                title=f"Synthetic milestone {i}",
                description="A synthetic partnership event.",
                is_published=True,
            )
            for i in range(milestones)
        ],
        Milestone,
        batch_size=1000,
    )
    events = list(Milestone.objects.filter(title__startswith="Synthetic milestone"))
    Link = Milestone.recommendations.through
    Link.objects.bulk_create(
        [
            Link(milestone=event, recommendation=rec)
            for event in events
            for rec in rng.sample(recs, rng.randrange(4))
        ],
        batch_size=2000,
    )
    transaction.on_commit(bump_public_version)
