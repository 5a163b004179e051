import datetime
import importlib

import factory
from django.contrib.auth import get_user_model

from milestones.models import Milestone
from plans.models import Party, Plan
from recommendations.models import (
    Recommendation,
    Responsibility,
    Role,
    Status,
    StatusUpdate,
    Topic,
)


def spanish(fields):
    """A `translations` value built from the factory's `<field>_es` parameters, so that tests
    can say RecommendationFactory(title_es="...")."""
    return factory.LazyAttribute(
        lambda obj: (
            {"es": texts}
            if (texts := {f: getattr(obj, f"{f}_es") for f in fields if getattr(obj, f"{f}_es")})
            else {}
        )
    )


def restore_status_scale():
    """The city's status scale as the data migrations leave it (steps, ranges, Spanish), put
    back after a transactional test's flush has emptied it."""
    scale = importlib.import_module("recommendations.migrations.0002_status_scale")
    spanish = importlib.import_module("recommendations.migrations.0006_status_scale_in_spanish")
    ranges = importlib.import_module("recommendations.migrations.0011_status_progress_ranges")
    for order, name, slug, phase, progress, definition in scale.SCALE:
        low, high = ranges.RANGES[slug]
        name_es, definition_es = spanish.SCALE_ES[slug]
        Status.objects.update_or_create(
            slug=slug,
            defaults={
                "order": order,
                "name": name,
                "phase": phase,
                "default_progress": progress,
                "min_progress": low,
                "max_progress": high,
                "definition": definition,
                "translations": {"es": {"name": name_es, "definition": definition_es}},
            },
        )


def status(slug):
    """A status of the city's scale, created by the data migration."""
    return Status.objects.get(slug=slug)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


def main_plan():
    """The plan a test's recommendations belong to unless it names another: the first one
    (Oklahoma City's, when the okc fixture is loaded), made when there is none."""
    return Plan.objects.order_by("order", "pk").first() or PlanFactory(slug="main", order=1)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Plan {n}")
    short_name = factory.LazyAttribute(lambda plan: plan.name)
    slug = factory.Sequence(lambda n: f"plan-{n}")
    order = factory.Sequence(lambda n: 10 + n)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Department {n}")
    short_name = factory.LazyAttribute(lambda party: party.name)
    slug = factory.Sequence(lambda n: f"department-{n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    class Params:
        name_es = ""
        description_es = ""

    translations = spanish(["name", "description"])
    plan = factory.LazyFunction(main_plan)
    number = factory.Sequence(lambda n: 100 + n)
    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    description = "A topic made for a test."


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    topic = factory.SubFactory(TopicFactory)
    plan = factory.LazyAttribute(lambda rec: rec.topic.plan)
    order = factory.Sequence(lambda n: 1000 + n)
    code = factory.LazyAttribute(lambda rec: str(rec.order))

    class Params:
        title_es = ""
        text_es = ""
        details_es = ""

    translations = spanish(["title", "text", "details"])
    title = factory.LazyAttribute(lambda rec: f"Recommendation {rec.code}")
    text = factory.LazyAttribute(lambda rec: f"The city should do thing number {rec.code}.")
    is_published = True

    @factory.post_generation
    def leads(rec, create, parties, **kwargs):
        """The lead parties: `leads=[party, ...]`; one department by default."""
        if create:
            for party in [PartyFactory(slug="city", name="City")] if parties is None else parties:
                Responsibility.objects.create(recommendation=rec, party=party, role=Role.LEAD)


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusUpdate

    recommendation = factory.SubFactory(RecommendationFactory)
    status = factory.LazyFunction(lambda: status("initiation"))
    effective_date = datetime.date(2024, 1, 15)
    progress = factory.LazyAttribute(lambda update: update.status.default_progress)
    note = "Work moved forward."

    class Params:
        note_es = ""

    translations = spanish(["note"])


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    date = datetime.date(2024, 5, 1)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    is_published = True

    class Params:
        title_es = ""
        description_es = ""

    translations = spanish(["title", "description"])
