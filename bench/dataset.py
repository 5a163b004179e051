"""The large synthetic dataset, written beside the Oklahoma City data of the bench database: a
plan of its own, with its topics, parties (leads and supports), recommendations, status
records and milestones."""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.dates import Precision
from milestones.models import Milestone
from plans.models import Party, Plan
from portal.caching import bump_public_version
from recommendations.models import (
    Recommendation,
    Responsibility,
    Role,
    Status,
    StatusUpdate,
    Topic,
)

PLAN_SLUG = "synthetic"
TOPICS = 8
PARTIES = ["Police Department", "The City", "911 Dispatch", "Municipal Courts", "Parks"]
EARLIEST = datetime.date(2022, 4, 1)


def _party(name):
    slug = "synthetic-" + name.lower().replace(" ", "-")
    party, _created = Party.objects.get_or_create(
        slug=slug, defaults={"name": f"{name} (synthetic)", "short_name": name}
    )
    return party


@transaction.atomic
def build(*, recommendations, updates, milestones, seed=6):
    """Add a synthetic plan after the city's, with its recommendations, parties, status records
    and milestones, with their history rows.

    Written in bulk (with history, as the audit trail expects), so no save signal fires: the
    public data version is bumped once at the end.
    """
    rng = random.Random(seed)  # noqa: S311 (synthetic data, no secret)
    today = timezone.localdate()
    span = (today - EARLIEST).days
    statuses = list(Status.objects.all())
    last = Plan.objects.order_by("-order").values_list("order", flat=True).first() or 0
    plan = Plan.objects.create(
        name="Synthetic recommendations",
        short_name="Synthetic",
        slug=PLAN_SLUG,
        order=last + 1,
        description="A large synthetic plan for the benchmark.",
    )
    topics = [
        Topic.objects.create(
            plan=plan, number=n, name=f"Synthetic topic {n}", slug=f"synthetic-topic-{n}"
        )
        for n in range(1, TOPICS + 1)
    ]
    parties = [_party(name) for name in PARTIES]

    bulk_create_with_history(
        [
            Recommendation(
                plan=plan,
                code=str(i + 1),
                order=i + 1,
                title=f"Synthetic recommendation {i + 1}",
                text=f"The city should carry out synthetic measure number {i + 1}.",
                topic=rng.choice(topics),
                estimated_completion=EARLIEST + datetime.timedelta(days=rng.randrange(span + 730)),
                is_published=rng.random() > 0.05,
            )
            for i in range(recommendations)
        ],
        Recommendation,
        batch_size=1000,
    )
    recs = list(Recommendation.objects.filter(plan=plan))

    # One or two leads each, and a supporting party for about a third.
    responsibilities = []
    for rec in recs:
        involved = rng.sample(parties, 3)
        leads = involved[: rng.choice([1, 1, 1, 2])]
        responsibilities += [
            Responsibility(recommendation=rec, party=party, role=Role.LEAD) for party in leads
        ]
        if rng.random() < 0.33:
            responsibilities.append(
                Responsibility(recommendation=rec, party=involved[2], role=Role.SUPPORT)
            )
    bulk_create_with_history(responsibilities, Responsibility, batch_size=2000)

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
                plan=plan if i % 2 else None,
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
