import datetime

import factory
from django.contrib.auth import get_user_model

from milestones.models import Milestone
from recommendations.models import Recommendation, Status, StatusUpdate, Topic


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


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    number = factory.Sequence(lambda n: 100 + n)
    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    description = "A topic made for a test."


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    number = factory.Sequence(lambda n: 1000 + n)
    title = factory.LazyAttribute(lambda rec: f"Recommendation {rec.number}")
    text = factory.LazyAttribute(lambda rec: f"The city should do thing number {rec.number}.")
    topic = factory.SubFactory(TopicFactory)
    lead = "City"
    is_published = True


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusUpdate

    recommendation = factory.SubFactory(RecommendationFactory)
    status = factory.LazyFunction(lambda: status("initiation"))
    effective_date = datetime.date(2024, 1, 15)
    progress = factory.LazyAttribute(lambda update: update.status.default_progress)
    note = "Work moved forward."


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    date = datetime.date(2024, 5, 1)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    is_published = True
