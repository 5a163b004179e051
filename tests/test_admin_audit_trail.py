"""Every add, change and delete made in the admin is in the history, with who and when; the
history itself can be read but not changed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from milestones.models import Milestone
from recommendations.models import Recommendation, StatusUpdate, Topic
from tests.admin_forms import form_data
from tests.factories import (
    MilestoneFactory,
    PartyFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    status,
)

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def row_of(data, update):
    """The prefix of `update`'s row in the status update inline."""
    return next(
        k.removesuffix("-id")
        for k, v in data.items()
        if k.startswith("status_updates-") and k.endswith("-id") and v == str(update.pk)
    )


@pytest.fixture
def update():
    return StatusUpdateFactory(note="Work moved forward.")


def test_a_status_update_added_on_the_recommendation_page_records_its_author(
    manager, manager_client
):
    rec = RecommendationFactory()
    data = form_data(manager_client.get(change_url(rec)))
    data.update(
        {
            "status_updates-0-status": str(status("planning").pk),
            "status_updates-0-effective_date": "2024-03-01",
            "status_updates-0-note": "Action plan approved.",
        }
    )
    assert manager_client.post(change_url(rec), data).status_code == 302

    update = StatusUpdate.objects.get()
    assert update.created_by == manager
    assert update.corrected_at is None
    row = update.history.get()
    assert (row.history_type, row.history_user) == ("+", manager)


def test_a_new_recommendation_and_its_first_status_update_are_recorded_together(
    manager, manager_client
):
    topic = RecommendationFactory().topic
    police = PartyFactory(slug="police", name="Police Department")
    url = reverse("admin:recommendations_recommendation_add")
    data = form_data(manager_client.get(url))
    data.update(
        {
            "plan": str(topic.plan_id),
            "code": "40",
            "order": "40",
            "title": "Quarterly report to council",
            "topic": str(topic.pk),
            "text": "The City should report to council every quarter.",
            "responsibilities-0-party": str(police.pk),
            "responsibilities-0-role": "lead",
            "status_updates-0-status": str(status("initiation").pk),
            "status_updates-0-effective_date": "2024-03-01",
            "status_updates-0-note": "Work began.",
        }
    )
    assert manager_client.post(url, data).status_code == 302

    rec = Recommendation.objects.with_progress().get(plan=topic.plan, code="40")
    assert rec.current_status == status("initiation")
    # The first status record raised the new recommendation's version, and says so.
    assert [
        (r.history_type, r.history_user, r.history_change_reason) for r in rec.history.all()
    ] == [
        ("~", manager, "Status record added: Initiation, March 1, 2024"),
        ("+", manager, None),
    ]
    assert [(r.party, r.role) for r in rec.responsibilities.all()] == [(police, "lead")]
    assert rec.responsibilities.get().history.get().history_user == manager
    update = rec.status_updates.get()
    assert (update.created_by, update.history.get().history_user) == (manager, manager)


def test_a_status_update_added_on_its_own_page_records_its_author(manager, manager_client):
    rec = RecommendationFactory()
    url = reverse("admin:recommendations_statusupdate_add")
    data = form_data(manager_client.get(url))
    data.update(
        recommendation=str(rec.pk),
        status=str(status("planning").pk),
        effective_date="2024-03-01",
        progress="35",
        note="Planning began.",
    )
    response = manager_client.post(url, data)
    update = StatusUpdate.objects.get()
    assert response.url == reverse("admin:recommendations_statusupdate_changelist")
    assert (update.created_by, update.progress) == (manager, 35)
    assert update.history.get().history_user == manager


def test_correcting_a_status_update_marks_it_corrected_and_records_who(
    manager, manager_client, update
):
    before = timezone.now()
    data = form_data(manager_client.get(change_url(update.recommendation)))
    data[f"{row_of(data, update)}-note"] = "Work moved forward in March."
    data[f"{row_of(data, update)}-correction_reason"] = "The month was missing."
    manager_client.post(change_url(update.recommendation), data)

    update.refresh_from_db()
    assert update.note == "Work moved forward in March."
    assert update.corrected_at >= before
    latest, original = update.history.all()
    assert (latest.history_type, latest.history_user, latest.note) == (
        "~",
        manager,
        "Work moved forward in March.",
    )
    assert original.note == "Work moved forward."


def test_the_public_page_shows_the_correction_with_its_date(manager_client, client, update):
    data = form_data(manager_client.get(change_url(update.recommendation)))
    data[f"{row_of(data, update)}-progress"] = "15"
    data[f"{row_of(data, update)}-correction_reason"] = "The progress was mistyped."
    manager_client.post(change_url(update.recommendation), data)

    page = " ".join(client.get(update.recommendation.get_absolute_url()).content.decode().split())
    today = timezone.localdate()
    assert f'Corrected on <time datetime="{today.isoformat()}">' in page
    assert "The progress was mistyped." in page
    assert "15% complete" in page


def test_saving_a_page_without_changes_writes_no_history_and_corrects_nothing(
    manager_client, update
):
    url = change_url(update.recommendation)
    assert manager_client.post(url, form_data(manager_client.get(url))).status_code == 302
    update.refresh_from_db()
    assert update.corrected_at is None
    assert update.history.count() == 1
    assert update.recommendation.history.count() == 1


def test_a_deleted_status_update_stays_in_the_history_with_who_deleted_it(
    manager, manager_client, update
):
    data = form_data(manager_client.get(change_url(update.recommendation)))
    data[f"{row_of(data, update)}-DELETE"] = "on"
    assert manager_client.post(change_url(update.recommendation), data).status_code == 302

    assert not StatusUpdate.objects.exists()
    deleted = StatusUpdate.history.get(history_type="-")
    assert (deleted.history_user, deleted.note) == (manager, "Work moved forward.")

    listing = manager_client.get(reverse("admin:recommendations_historicalstatusupdate_changelist"))
    rows = list(listing.context["cl"].result_list)
    assert [(r.history_type, r.id) for r in rows] == [("-", update.pk), ("+", update.pk)]
    assert "Deleted" in listing.content.decode()


def test_a_status_update_deleted_from_its_own_page_is_recorded(manager, manager_client, update):
    url = reverse("admin:recommendations_statusupdate_delete", args=[update.pk])
    assert manager_client.post(url, form_data(manager_client.get(url))).status_code == 302
    assert StatusUpdate.history.get(history_type="-").history_user == manager


def history_page(client, rec):
    response = client.get(reverse("admin:recommendations_recommendation_history", args=[rec.pk]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_a_recommendation_change_is_in_its_history_page(manager, manager_client):
    rec = RecommendationFactory(title="Fewer citations")
    data = form_data(manager_client.get(change_url(rec)))
    data.update(title="Fewer citations for minor offences", title_es="Menos multas")
    manager_client.post(change_url(rec), data)

    row = Recommendation.history.filter(id=rec.pk).first()
    assert (row.history_type, row.history_user, row.title) == (
        "~",
        manager,
        "Fewer citations for minor offences",
    )
    page = history_page(manager_client, rec)
    arrow = "&nbsp;&rarr;&nbsp;&nbsp;"
    assert f"<strong>Title:</strong> Fewer citations {arrow}Fewer citations for minor" in page
    assert f"<strong>Translations:</strong> none {arrow}title (Español): Menos multas" in page
    assert manager.username in page


def test_a_change_of_the_parties_alone_is_in_the_recommendations_history(manager, manager_client):
    city, police = PartyFactory(slug="city", name="City"), PartyFactory(name="Police")
    rec = RecommendationFactory(leads=[city])
    data = form_data(manager_client.get(change_url(rec)))
    data.update({"responsibilities-1-party": str(police.pk), "responsibilities-1-role": "support"})
    data["responsibilities-0-DELETE"] = "on"
    assert manager_client.post(change_url(rec), data).status_code == 302

    assert [(r.party, r.role) for r in rec.responsibilities.all()] == [(police, "support")]
    rec.refresh_from_db()
    assert rec.version == 2  # a page opened before cannot overwrite the parties unseen
    latest = rec.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        manager,
        "Responsible parties: removed City (Lead); added Police (Support)",
    )
    assert "Responsible parties: removed City (Lead); added Police (Support)" in history_page(
        manager_client, rec
    )
    removed = city.responsibilities.model.history.get(history_type="-")
    assert (removed.party, removed.history_user) == (city, manager)


def test_adding_changing_and_deleting_a_milestone_are_each_recorded(manager, manager_client):
    rec = RecommendationFactory()
    add_url = reverse("admin:milestones_milestone_add")
    data = form_data(manager_client.get(add_url))
    data.update(date="2024-05-01", date_precision="month", title="Council vote")
    data.setlist("recommendations", [str(rec.pk)])
    assert manager_client.post(add_url, data).status_code == 302
    milestone = Milestone.objects.get()
    assert list(milestone.recommendations.all()) == [rec]

    data = form_data(manager_client.get(change_url(milestone)))
    data["title"] = "Council vote on the plan"
    data.setlist("recommendations", [])
    manager_client.post(change_url(milestone), data)
    delete_url = reverse("admin:milestones_milestone_delete", args=[milestone.pk])
    manager_client.post(delete_url, form_data(manager_client.get(delete_url)))

    assert not Milestone.objects.exists()
    rows = list(Milestone.history.order_by("history_date", "history_id"))
    assert {r.history_user for r in rows} == {manager}
    assert rows[0].history_type == "+"
    assert [r.history_type for r in rows[-2:]] == ["~", "-"]
    changed = rows[-2]
    assert changed.title == "Council vote on the plan"
    assert list(changed.recommendations.all()) == []


def test_a_topic_change_is_recorded(manager, manager_client):
    topic = RecommendationFactory().topic
    data = form_data(manager_client.get(change_url(topic)))
    data["description"] = "Better words."
    manager_client.post(change_url(topic), data)
    assert Topic.history.filter(id=topic.pk).first().history_user == manager


def test_the_manager_can_read_but_not_change_or_delete_history(manager_client, update):
    row = update.history.get()
    listing = reverse("admin:recommendations_historicalstatusupdate_changelist")
    change = reverse("admin:recommendations_historicalstatusupdate_change", args=[row.pk])
    delete = reverse("admin:recommendations_historicalstatusupdate_delete", args=[row.pk])

    page = manager_client.get(listing)
    assert page.status_code == 200
    assert page.context["action_form"] is None  # no "delete selected" either
    detail = manager_client.get(change)
    assert detail.status_code == 200
    assert not detail.context["has_change_permission"]
    assert manager_client.post(change, {"note": "Rewritten."}).status_code == 403
    assert manager_client.get(delete).status_code == 403
    assert manager_client.post(delete, {"post": "yes"}).status_code == 403
    manager_client.post(listing, {"action": "delete_selected", "_selected_action": row.pk})
    assert update.history.get().note == "Work moved forward."


def test_nobody_can_revert_from_a_history_page(superuser_client, update):
    first = update.history.get()
    update.note = "Later words."
    update.save()
    url = reverse("admin:recommendations_statusupdate_simple_history", args=[update.pk, first.pk])
    assert superuser_client.get(url).status_code == 200
    response = superuser_client.post(url, {"note": "Work moved forward.", "_save": "Save"})
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.note == "Later words."


def test_a_milestone_deleted_long_ago_is_still_listed(manager_client):
    milestone = MilestoneFactory(title="Town hall")
    milestone.delete()
    listing = manager_client.get(reverse("admin:milestones_historicalmilestone_changelist"))
    assert "Town hall" in listing.content.decode()
    assert [r.history_type for r in listing.context["cl"].result_list] == ["-", "+"]


def test_a_correction_without_a_reason_is_refused_and_nothing_is_saved(manager_client, update):
    data = form_data(manager_client.get(change_url(update.recommendation)))
    data[f"{row_of(data, update)}-progress"] = "15"
    response = manager_client.post(change_url(update.recommendation), data)
    assert response.status_code == 200
    assert "Say why this record is corrected" in response.content.decode()
    update.refresh_from_db()
    assert (update.progress, update.corrected_at) != (15, None) and update.progress != 15


def test_a_new_status_update_without_a_note_is_refused(manager_client):
    rec = RecommendationFactory()
    data = form_data(manager_client.get(change_url(rec)))
    data.update(
        {
            "status_updates-0-status": str(status("planning").pk),
            "status_updates-0-effective_date": "2024-03-01",
        }
    )
    response = manager_client.post(change_url(rec), data)
    assert response.status_code == 200
    assert "every new status record needs a public note" in response.content.decode()
    assert not StatusUpdate.objects.exists()
