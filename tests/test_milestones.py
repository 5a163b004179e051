import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.dates import EARLIEST_DATE
from milestones.models import Milestone, Precision
from milestones.services import save_milestone
from tests.admin_forms import form_data
from tests.factories import MilestoneFactory, RecommendationFactory

D = datetime.date(2025, 9, 1)


@pytest.mark.parametrize(
    ("precision", "shown"),
    [
        (Precision.DAY, "Sept. 1, 2025"),
        (Precision.MONTH, "September 2025"),
        (Precision.YEAR, "2025"),
    ],
)
def test_a_date_prints_at_its_precision(precision, shown):
    assert Milestone(date=D, date_precision=precision, title="x").display_date == shown


@pytest.mark.django_db
def test_only_published_milestones_are_public():
    shown = MilestoneFactory()
    MilestoneFactory(is_published=False)
    assert list(Milestone.objects.published()) == [shown]


# No milestone is dated before 1990 (core.dates.EARLIEST_DATE): refused on the model, in the
# database, by the service and on the admin form, where the message sits on the date field.

TOO_EARLY = "Enter a date on or after Jan. 1, 1990: nothing the portal records is older."
ADD_URL = reverse("admin:milestones_milestone_add")


@pytest.mark.django_db
def test_a_milestone_dated_before_1990_is_refused_by_full_clean():
    milestone = Milestone(date=datetime.date(1989, 12, 31), title="Mistyped year")
    with pytest.raises(ValidationError) as refused:
        milestone.full_clean()
    assert list(refused.value.message_dict) == ["date"]
    assert refused.value.message_dict["date"][0].startswith(TOO_EARLY)


@pytest.mark.django_db
def test_a_milestone_dated_1_january_1990_is_accepted():
    Milestone(date=EARLIEST_DATE, title="First day").full_clean()


@pytest.mark.django_db
def test_the_database_refuses_a_milestone_dated_before_1990():
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.create(date=datetime.date(1989, 12, 31), title="Mistyped year")
    assert not Milestone.objects.exists()


@pytest.mark.django_db
def test_an_edit_dated_before_1990_is_refused_and_nothing_is_half_saved():
    linked = RecommendationFactory()
    milestone = MilestoneFactory(date=datetime.date(2024, 5, 1))
    milestone.recommendations.set([linked])
    milestone.date = datetime.date(1924, 5, 1)
    with pytest.raises(ValidationError):
        save_milestone(
            milestone=milestone, recommendations=[RecommendationFactory()], expected_version=1
        )
    saved = Milestone.objects.get(pk=milestone.pk)
    assert (saved.date, saved.version) == (datetime.date(2024, 5, 1), 1)
    assert list(saved.recommendations.all()) == [linked]


def posted(client, url, **values):
    data = form_data(client.get(url))
    data.update(values)
    return client.post(url, data)


@pytest.mark.django_db
def test_the_admin_shows_a_date_before_1990_as_an_error_on_the_date_field(manager_client):
    response = posted(manager_client, ADD_URL, date="1924-05-01", title="Council vote")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the error below." in page
    assert f'<ul class="errorlist" id="id_date_error"><li>{TOO_EARLY}' in page
    assert not Milestone.objects.exists()


@pytest.mark.django_db
def test_the_admin_refuses_an_edit_dated_before_1990_and_saves_nothing(manager_client):
    milestone = MilestoneFactory(date=datetime.date(2024, 5, 1), title="Council vote")
    url = reverse("admin:milestones_milestone_change", args=[milestone.pk])
    response = posted(manager_client, url, date="1924-05-01", title="A new title")
    assert TOO_EARLY in response.content.decode()
    saved = Milestone.objects.get(pk=milestone.pk)
    assert (saved.date, saved.title, saved.version) == (
        datetime.date(2024, 5, 1),
        "Council vote",
        1,
    )


@pytest.mark.django_db
def test_the_admin_accepts_a_future_date(manager_client):
    next_year = timezone.localdate() + datetime.timedelta(days=365)
    response = posted(manager_client, ADD_URL, date=next_year.isoformat(), title="Academy opens")
    assert response.status_code == 302
    assert Milestone.objects.get().date == next_year
