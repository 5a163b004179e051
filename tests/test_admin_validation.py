"""Mistakes in the admin forms are refused on the form, in plain words, and nothing is saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from milestones.models import Milestone
from recommendations.models import Recommendation, Responsibility, StatusUpdate, Topic
from tests.admin_forms import form_data
from tests.factories import (
    PartyFactory,
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    status,
)

pytestmark = pytest.mark.django_db

PROGRESS_ERROR = "Progress is a percentage: enter a whole number from 0 to 100."


@pytest.fixture
def rec():
    return RecommendationFactory()


def rec_url(rec):
    return reverse("admin:recommendations_recommendation_change", args=[rec.pk])


ADD_URL = reverse("admin:recommendations_recommendation_add")


def new_recommendation(client, in_topic, **values):
    """The add page's form filled in with a new recommendation in `in_topic` and its plan."""
    data = form_data(client.get(ADD_URL))
    data.update(
        plan=str(in_topic.plan_id),
        code="40",
        order="40",
        title="Quarterly report to council",
        topic=str(in_topic.pk),
        text="The City should report to council every quarter.",
    )
    data.update({name: str(value) for name, value in values.items()})
    return data


def with_parties(data, *rows):
    """`data` with new responsible party rows, each (party, role), after the saved ones."""
    start = int(data["responsibilities-INITIAL_FORMS"])
    for i, (party, role) in enumerate(rows, start=start):
        data[f"responsibilities-{i}-party"] = str(party.pk)
        data[f"responsibilities-{i}-role"] = role
    data["responsibilities-TOTAL_FORMS"] = str(start + len(rows))
    return data


def add_row(client, rec, **values):
    """Post the recommendation's page with the empty status update row filled in."""
    data = form_data(client.get(rec_url(rec)))
    row = f"status_updates-{int(data['status_updates-TOTAL_FORMS']) - 1}"
    data.update({f"{row}-{name}": str(value) for name, value in values.items()})
    return client.post(rec_url(rec), data)


def status_row(data, update):
    """The prefix of `update`'s row in the status update inline."""
    return next(
        k.removesuffix("-id")
        for k, v in data.items()
        if k.startswith("status_updates-") and k.endswith("-id") and v == str(update.pk)
    )


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
        manager_client,
        rec,
        status=status("planning").pk,
        effective_date="2024-02-01",
        note="Planning began.",
    )
    assert response.status_code == 302
    update = StatusUpdate.objects.get()
    assert update.progress == status("planning").default_progress


def test_moving_a_later_record_before_the_first_one_is_refused(manager_client, rec):
    StatusUpdateFactory(recommendation=rec, effective_date=datetime.date(2023, 4, 1))
    later = StatusUpdateFactory(recommendation=rec, effective_date=datetime.date(2024, 6, 1))
    data = form_data(manager_client.get(rec_url(rec)))
    row = status_row(data, later)

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
    row = status_row(data, first)
    data[f"{row}-effective_date"] = "2023-03-01"
    data[f"{row}-correction_reason"] = "It began in March."
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


# The code, the plan and the topic of a saved recommendation are the superuser's to change
# (the manager's page shows them read-only: test_admin_manager_form.py).


def test_a_code_already_used_in_the_plan_is_refused_and_nothing_is_saved(superuser_client, rec):
    other = RecommendationFactory(topic=rec.topic)
    data = form_data(superuser_client.get(rec_url(rec)))
    data.update(code=other.code, title="A new title")
    page = errors(superuser_client.post(rec_url(rec), data))
    assert "This plan already has a recommendation with this code." in page
    saved = Recommendation.objects.get(pk=rec.pk)
    assert (saved.code, saved.title, saved.version) == (rec.code, rec.title, 1)


def test_a_new_recommendation_with_a_code_already_used_in_the_plan_is_refused(manager_client, rec):
    data = new_recommendation(manager_client, rec.topic, code=rec.code)
    page = errors(manager_client.post(ADD_URL, data))
    assert "This plan already has a recommendation with this code." in page
    assert Recommendation.objects.count() == 1


def test_the_same_code_may_be_used_in_another_plan(manager_client, rec):
    pilots = TopicFactory(plan=PlanFactory(slug="pilots"))
    data = new_recommendation(manager_client, pilots, code=rec.code)
    assert manager_client.post(ADD_URL, data).status_code == 302
    assert Recommendation.objects.filter(code=rec.code).count() == 2


def test_a_topic_of_another_plan_is_refused_on_the_form_and_nothing_is_saved(superuser_client, rec):
    elsewhere = TopicFactory(plan=PlanFactory(slug="pilots"))
    data = form_data(superuser_client.get(rec_url(rec)))
    data.update(topic=str(elsewhere.pk), title="A new title")
    page = errors(superuser_client.post(rec_url(rec), data))
    assert "This topic belongs to another plan. Choose one of this plan&#x27;s topics." in page
    saved = Recommendation.objects.get(pk=rec.pk)
    assert (saved.topic, saved.title, saved.version) == (rec.topic, rec.title, 1)


def test_a_new_recommendation_with_a_topic_of_another_plan_is_refused(manager_client, rec):
    elsewhere = TopicFactory(plan=PlanFactory(slug="pilots"))
    data = new_recommendation(manager_client, rec.topic, topic=elsewhere.pk)
    assert "This topic belongs to another plan." in errors(manager_client.post(ADD_URL, data))
    assert Recommendation.objects.count() == 1


def test_the_topics_are_grouped_by_plan_when_there_are_several(superuser_client, rec):
    TopicFactory(plan=PlanFactory(slug="pilots", short_name="Pilots"))
    page = superuser_client.get(rec_url(rec)).content.decode()
    assert '<optgroup label="Pilots">' in page
    assert f'<optgroup label="{rec.plan.short_name}">' in page


def test_a_party_listed_twice_with_the_same_role_is_refused_and_nothing_is_saved(
    manager_client, rec
):
    lead = rec.responsibilities.get()
    data = with_parties(form_data(manager_client.get(rec_url(rec))), (lead.party, "lead"))
    data["title"] = "A new title"
    page = errors(manager_client.post(rec_url(rec), data))
    assert "This party is listed twice with the same role." in page
    assert list(Responsibility.objects.all()) == [lead]
    saved = Recommendation.objects.get(pk=rec.pk)
    assert (saved.title, saved.version) == (rec.title, 1)


def test_a_new_recommendation_with_a_party_twice_in_the_same_role_is_refused(manager_client, rec):
    police = PartyFactory(slug="police")
    data = with_parties(
        new_recommendation(manager_client, rec.topic), (police, "support"), (police, "support")
    )
    page = errors(manager_client.post(ADD_URL, data))
    assert "This party is listed twice with the same role. Remove one of the two rows." in page
    assert Recommendation.objects.count() == 1
    assert not police.responsibilities.exists()


def test_a_party_already_saved_in_that_role_by_someone_else_is_refused(manager_client, rec):
    # Saved since this page was opened (here not through the admin, so the recommendation's
    # version did not change): the check against the database names it too.
    police = PartyFactory(slug="police")
    data = with_parties(form_data(manager_client.get(rec_url(rec))), (police, "support"))
    Responsibility.objects.create(recommendation=rec, party=police, role="support")
    page = errors(manager_client.post(rec_url(rec), data))
    assert "This party is listed twice with the same role." in page
    assert police.responsibilities.count() == 1


def test_a_topic_with_recommendations_cannot_move_to_another_plan(manager_client, rec):
    url = reverse("admin:recommendations_topic_change", args=[rec.topic.pk])
    data = form_data(manager_client.get(url))
    data["plan"] = str(PlanFactory(slug="pilots").pk)
    assert "This topic has recommendations of its plan" in errors(manager_client.post(url, data))
    assert Topic.objects.get(pk=rec.topic.pk).plan == rec.plan


def test_a_milestone_with_a_broken_source_link_is_refused(manager_client):
    url = reverse("admin:milestones_milestone_add")
    data = form_data(manager_client.get(url))
    data.update(date="2024-05-01", title="Council vote", sources="Council news | okc.gov news")
    assert "Line 1: “okc.gov news” is not a web address a reader can open" in errors(
        manager_client.post(url, data)
    )
    assert not Milestone.objects.exists()
