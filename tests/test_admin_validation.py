"""Mistakes in the admin forms are refused on the form, in plain words, and nothing is saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from milestones.models import Milestone
from recommendations.models import StatusUpdate
from tests.admin_forms import form_data
from tests.factories import RecommendationFactory, StatusUpdateFactory, status

pytestmark = pytest.mark.django_db

PROGRESS_ERROR = "Progress is a percentage: enter a whole number from 0 to 100."


@pytest.fixture
def rec():
    return RecommendationFactory()


def rec_url(rec):
    return reverse("admin:recommendations_recommendation_change", args=[rec.pk])


def add_row(client, rec, **values):
    """Post the recommendation's page with the empty status update row filled in."""
    data = form_data(client.get(rec_url(rec)))
    row = f"status_updates-{int(data['status_updates-TOTAL_FORMS']) - 1}"
    data.update({f"{row}-{name}": str(value) for name, value in values.items()})
    return client.post(rec_url(rec), data)


def errors(response):
    """The error messages shown on the page, in order."""
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the error" in page
    return page


def test_a_new_status_update_dated_tomorrow_is_refused(manager_client, rec):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = add_row(manager_client, rec, status=status("planning").pk, effective_date=tomorrow)
    assert "The effective date cannot be in the future." in errors(response)
    assert not StatusUpdate.objects.exists()


@pytest.mark.parametrize("progress", ["101", "-5", "40%"])
def test_progress_outside_0_to_100_is_refused_in_plain_words(manager_client, rec, progress):
    response = add_row(
        manager_client,
        rec,
        status=status("planning").pk,
        effective_date="2024-02-01",
        progress=progress,
    )
    assert PROGRESS_ERROR in errors(response)
    assert not StatusUpdate.objects.exists()


def test_a_new_status_update_defaults_to_today_and_to_the_status_progress(manager_client, rec):
    data = form_data(manager_client.get(rec_url(rec)))
    assert data["status_updates-0-effective_date"] == timezone.localdate().isoformat()
    response = add_row(
        manager_client, rec, status=status("planning").pk, effective_date="2024-02-01"
    )
    assert response.status_code == 302
    update = StatusUpdate.objects.get()
    assert update.progress == status("planning").default_progress


def test_moving_a_later_record_before_the_first_one_is_refused(manager_client, rec):
    StatusUpdateFactory(recommendation=rec, effective_date=datetime.date(2023, 4, 1))
    later = StatusUpdateFactory(recommendation=rec, effective_date=datetime.date(2024, 6, 1))
    data = form_data(manager_client.get(rec_url(rec)))
    row = next(k for k, v in data.items() if k.endswith("-id") and v == str(later.pk))[:-3]

    data[f"{row}-effective_date"] = "2004-06-01"
    page = errors(manager_client.post(rec_url(rec), data))

    assert (
        "This date is before the recommendation&#x27;s first status record (April 1, 2023). "
        "Check the year." in page
    )
    later.refresh_from_db()
    assert later.effective_date == datetime.date(2024, 6, 1)


def test_the_first_record_itself_may_move_earlier(manager_client, rec):
    first = StatusUpdateFactory(recommendation=rec, effective_date=datetime.date(2023, 4, 1))
    StatusUpdateFactory(recommendation=rec, effective_date=datetime.date(2024, 6, 1))
    data = form_data(manager_client.get(rec_url(rec)))
    row = next(k for k, v in data.items() if k.endswith("-id") and v == str(first.pk))[:-3]
    data[f"{row}-effective_date"] = "2023-03-01"
    assert manager_client.post(rec_url(rec), data).status_code == 302
    first.refresh_from_db()
    assert first.effective_date == datetime.date(2023, 3, 1)


def test_the_status_update_page_refuses_a_future_date_too(manager_client, rec):
    url = reverse("admin:recommendations_statusupdate_add")
    data = form_data(manager_client.get(url))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data.update(
        recommendation=str(rec.pk),
        status=str(status("planning").pk),
        effective_date=tomorrow.isoformat(),
    )
    assert "The effective date cannot be in the future." in errors(manager_client.post(url, data))
    assert not StatusUpdate.objects.exists()


def test_a_recommendation_number_already_used_is_refused(manager_client, rec):
    other = RecommendationFactory()
    data = form_data(manager_client.get(rec_url(rec)))
    data["number"] = str(other.number)
    page = errors(manager_client.post(rec_url(rec), data))
    assert "Recommendation with this Number already exists." in page


def test_a_milestone_with_a_broken_source_link_is_refused(manager_client):
    url = reverse("admin:milestones_milestone_add")
    data = form_data(manager_client.get(url))
    data.update(date="2024-05-01", title="Council vote", source_url="okc.gov news")
    assert "Enter a valid URL." in errors(manager_client.post(url, data))
    assert not Milestone.objects.exists()
