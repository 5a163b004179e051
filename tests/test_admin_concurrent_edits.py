"""Two people open the same page and both save: the second save is refused, the first stays.

Two real client sessions (two managers) load the change form, and post back what they saw,
the way two browsers would. The version each form was opened at travels in the form.
"""

import pytest
from django.urls import reverse

from milestones.models import Milestone
from recommendations.models import Recommendation, Responsibility, StatusUpdate
from tests.admin_forms import form_data
from tests.factories import (
    MilestoneFactory,
    PartyFactory,
    StatusUpdateFactory,
    status,
)

pytestmark = pytest.mark.django_db

REFUSED = "Maria Lopez saved this {}"
RELOAD = "Open the page again to see the current version, then make your change again."
OPEN_CURRENT = (
    'Someone saved this page after you opened it. <a href="{}">Open the current version</a>'
)


@pytest.fixture
def update():
    return StatusUpdateFactory(note="Work moved forward.", recommendation__title="Old title")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def inline_row(data, update):
    """The prefix of `update`'s row in a recommendation form's status update inline."""
    for key, value in data.items():
        if key.startswith("status_updates-") and key.endswith("-id") and value == str(update.pk):
            return key.removesuffix("-id")
    raise AssertionError("row not found")


def add_party(data, party, role):
    """`data` with `party` in `role` in the empty row of the responsible parties."""
    row = f"responsibilities-{int(data['responsibilities-TOTAL_FORMS']) - 1}"
    return data | {f"{row}-party": str(party.pk), f"{row}-role": role}


def refused(response, name):
    text = response.content.decode()
    return response.status_code == 200 and REFUSED.format(name) in text and RELOAD in text


def test_the_second_save_of_a_recommendation_is_refused_and_the_first_survives(
    manager_client, sam_client, update
):
    url = change_url(update.recommendation)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))

    maria["title"] = "Maria's title"
    assert manager_client.post(url, maria).status_code == 302
    sam["title"] = "Sam's title"
    response = sam_client.post(url, sam)

    assert refused(response, "recommendation")
    assert OPEN_CURRENT.format(url) in response.content.decode()
    rec = Recommendation.objects.get()
    assert rec.title == "Maria's title"
    assert [h.title for h in rec.history.all()] == ["Maria's title", "Old title"]


def test_after_reloading_the_second_person_can_save(manager_client, sam_client, update):
    url = change_url(update.recommendation)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))
    maria["title"] = "Maria's title"
    manager_client.post(url, maria)
    assert sam_client.post(url, sam | {"title": "Sam's title"}).status_code == 200

    reloaded = form_data(sam_client.get(url))
    reloaded["details"] = "Sam's details."
    assert sam_client.post(url, reloaded).status_code == 302
    rec = Recommendation.objects.get()
    assert (rec.title, rec.details) == ("Maria's title", "Sam's details.")


def test_the_second_change_of_the_parties_is_refused_and_the_first_survives(
    manager_client, sam_client, update
):
    url = change_url(update.recommendation)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))
    police, parks = PartyFactory(slug="police"), PartyFactory(slug="parks")

    assert manager_client.post(url, add_party(maria, police, "support")).status_code == 302
    response = sam_client.post(url, add_party(sam, parks, "support"))

    assert refused(response, "recommendation")
    assert OPEN_CURRENT.format(url) in response.content.decode()
    assert [r.party.slug for r in Responsibility.objects.all()] == ["city", "police"]


def test_a_change_of_the_parties_from_a_page_opened_before_another_edit_is_refused(
    manager_client, sam_client, update
):
    url = change_url(update.recommendation)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))
    maria["title"] = "Maria's title"
    assert manager_client.post(url, maria).status_code == 302

    response = sam_client.post(url, add_party(sam, PartyFactory(slug="police"), "lead"))

    assert refused(response, "recommendation")
    assert [r.party.slug for r in Responsibility.objects.all()] == ["city"]


def test_changing_a_party_someone_removed_says_so(manager_client, sam_client, update):
    url = change_url(update.recommendation)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))
    maria["responsibilities-0-DELETE"] = "on"
    assert manager_client.post(url, maria).status_code == 302

    sam["responsibilities-0-role"] = "support"
    response = sam_client.post(url, sam)

    page = " ".join(response.content.decode().split())
    assert "A responsible party on this page was removed by someone else after you opened it" in (
        page
    )
    assert OPEN_CURRENT.format(url) in page
    assert not Responsibility.objects.exists()


def test_the_second_correction_of_a_status_update_is_refused(manager_client, sam_client, update):
    url = change_url(update.recommendation)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))
    row = inline_row(maria, update)

    maria[f"{row}-note"] = "Maria's note."

    maria[f"{row}-correction_reason"] = "A better word."
    assert manager_client.post(url, maria).status_code == 302
    sam[f"{row}-note"] = "Sam's note."
    sam[f"{row}-correction_reason"] = "A better word."
    response = sam_client.post(url, sam)

    assert refused(response, "status update")
    assert OPEN_CURRENT.format(url) in response.content.decode()
    assert StatusUpdate.objects.get().note == "Maria's note."


def test_a_stale_deletion_of_a_status_update_is_refused(manager_client, sam_client, update):
    url = change_url(update.recommendation)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))
    row = inline_row(maria, update)

    maria[f"{row}-note"] = "Maria's note."

    maria[f"{row}-correction_reason"] = "A better word."
    manager_client.post(url, maria)
    sam[f"{row}-DELETE"] = "on"
    response = sam_client.post(url, sam)

    assert refused(response, "status update")
    assert StatusUpdate.objects.get().note == "Maria's note."


def test_editing_a_status_update_someone_deleted_says_so(manager_client, sam_client, update):
    url = change_url(update.recommendation)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))
    row = inline_row(maria, update)
    maria[f"{row}-DELETE"] = "on"
    assert manager_client.post(url, maria).status_code == 302

    sam[f"{row}-note"] = "Sam's note."

    sam[f"{row}-correction_reason"] = "A better word."
    response = sam_client.post(url, sam)

    page = " ".join(response.content.decode().split())
    assert "A status update on this page was deleted by someone else after you opened it" in page
    assert OPEN_CURRENT.format(url) in page
    assert not StatusUpdate.objects.exists()


def test_a_status_update_added_from_a_page_opened_before_another_was_added_is_refused(
    manager_client, sam_client, update
):
    # A recommendation and its status records are one unit: the second addition was made
    # without seeing the first (tests/test_admin_stale_units.py has more).
    url = change_url(update.recommendation)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))
    new = {"status": str(status("planning").pk), "effective_date": "2024-03-01", "note": "Plan."}
    responses = []
    for client, data in [(manager_client, maria), (sam_client, sam)]:
        data.update({f"status_updates-1-{k}": v for k, v in new.items()})
        responses.append(client.post(url, data))
    assert responses[0].status_code == 302
    assert refused(responses[1], "recommendation")
    assert StatusUpdate.objects.filter(note="Plan.").count() == 1


def test_the_second_save_of_a_status_update_on_its_own_page_is_refused(
    manager_client, sam_client, update
):
    url = change_url(update)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))
    maria["progress"] = "15"
    maria["correction_reason"] = "Mistyped."
    assert manager_client.post(url, maria).status_code == 302
    sam["progress"] = "20"
    sam["correction_reason"] = "Mistyped."
    # Maria's correction raised the recommendation's version too, and is named.
    response = sam_client.post(url, sam)
    assert refused(response, "recommendation")
    page = response.content.decode()
    assert "Their change: Status record changed: Initiation, Jan. 15, 2024 (progress, " in page
    assert StatusUpdate.objects.get().progress == 15


def test_the_second_save_of_a_milestone_is_refused_links_included(
    manager_client, sam_client, update
):
    milestone = MilestoneFactory(title="Council vote")
    url = change_url(milestone)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))

    maria.setlist("recommendations", [str(update.recommendation.pk)])
    assert manager_client.post(url, maria).status_code == 302
    sam["title"] = "Council meeting"
    response = sam_client.post(url, sam)

    assert refused(response, "milestone")
    milestone = Milestone.objects.get()
    assert milestone.title == "Council vote"
    assert list(milestone.recommendations.all()) == [update.recommendation]


def test_editing_a_milestone_someone_deleted_is_refused_plainly(manager_client, sam_client):
    milestone = MilestoneFactory()
    url = change_url(milestone)
    sam = form_data(sam_client.get(url))
    delete_url = reverse("admin:milestones_milestone_delete", args=[milestone.pk])
    manager_client.post(delete_url, form_data(manager_client.get(delete_url)))
    assert not Milestone.objects.exists()
    response = sam_client.post(url, sam | {"title": "Too late"})
    # The admin itself says the milestone no longer exists, and nothing is recreated.
    assert response.status_code == 302
    assert not Milestone.objects.exists()


def test_a_form_without_its_version_is_refused(manager_client, update):
    url = change_url(update.recommendation)
    data = form_data(manager_client.get(url))
    del data["loaded_version"]
    response = manager_client.post(url, data | {"title": "New"})
    assert response.status_code == 200
    assert RELOAD in response.content.decode()
    assert Recommendation.objects.get().title == "Old title"
