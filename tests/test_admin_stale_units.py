"""A recommendation and its status records are one unit for editing: a page opened before any
change to either cannot add, change or delete a status record, and a delete confirmation page
opened before a change cannot delete.

Two real client sessions, Maria (the manager) and Sam, load the pages and post back what they
saw, the way two browsers would (as tests/test_admin_concurrent_edits.py).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from milestones.models import Milestone
from recommendations.models import Recommendation, StatusUpdate
from tests.admin_forms import form_data
from tests.factories import MilestoneFactory, StatusUpdateFactory, status

pytestmark = pytest.mark.django_db

RELOAD = "Open the page again to see the current version, then make your change again."
JAN_15 = "Initiation, Jan. 15, 2024"


@pytest.fixture
def update():
    """Recommendation 5's one status record: Initiation on Jan. 15, 2024."""
    return StatusUpdateFactory(recommendation__code="5", recommendation__title="Old title")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def delete_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])


def page_text(response):
    return " ".join(response.content.decode().split())


def add_record(data, slug, note, day="2024-03-01"):
    """`data` with a new status record typed into the empty row of the status updates."""
    row = f"status_updates-{int(data['status_updates-TOTAL_FORMS']) - 1}"
    values = {"status": str(status(slug).pk), "effective_date": day, "note": note}
    return data | {f"{row}-{name}": value for name, value in values.items()}


def row_of(data, update):
    """The prefix of `update`'s row in the status update inline."""
    return next(
        key.removesuffix("-id")
        for key, value in data.items()
        if key.startswith("status_updates-") and key.endswith("-id") and value == str(update.pk)
    )


def refused_by_maria(response, change):
    """The page is shown again with the refusal at its top, naming Maria, her change and when
    she made it (the recommendation's latest history row)."""
    rec = Recommendation.objects.get()
    latest = rec.history.first()
    when = timezone.localtime(latest.history_date)
    text = page_text(response)
    summary = text[text.index('id="error-summary"') :]
    expected = (
        f"Maria Lopez saved this recommendation at {format_datetime(when)}, after you opened "
        f"it. Their change: {change}. Your changes were not saved"
    )
    return response.status_code == 200 and expected in summary and RELOAD in summary


def format_datetime(value):
    return formats.date_format(value, "DATETIME_FORMAT")


def public_status(rec):
    return Recommendation.objects.with_progress().get(pk=rec.pk).current_status.name


def test_a_status_record_added_from_a_stale_page_is_refused_and_nothing_is_saved(
    manager_client, sam_client, update, client
):
    rec = update.recommendation
    url = change_url(rec)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))
    today = timezone.localdate()

    maria = add_record(maria, "evaluation", "Evaluated.", day=today.isoformat())
    assert manager_client.post(url, maria).status_code == 302
    response = sam_client.post(url, add_record(sam, "approaching-implementation", "Sam's note."))

    added = f"Status record added: Evaluation, {format_date(today)}"
    assert refused_by_maria(response, added)
    # What Sam typed is still on the page, to copy after reloading.
    assert "Sam&#x27;s note.</textarea>" in response.content.decode()
    assert [u.note for u in StatusUpdate.objects.all()] == ["Evaluated.", "Work moved forward."]
    assert public_status(rec) == "Evaluation"
    assert "Evaluation" in page_text(client.get(rec.get_absolute_url()))
    assert Recommendation.objects.get().version == 2  # Maria's addition only


def format_date(day):
    return formats.date_format(day, "DATE_FORMAT")


def test_a_status_record_changed_from_a_stale_page_is_refused(manager_client, sam_client, update):
    url = change_url(update.recommendation)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))
    assert (
        manager_client.post(url, add_record(maria, "planning", "Plan approved.")).status_code == 302
    )
    row = row_of(sam, update)

    sam[f"{row}-progress"] = "30"
    sam[f"{row}-correction_reason"] = "Mistyped."
    response = sam_client.post(url, sam)

    assert refused_by_maria(response, "Status record added: Planning, March 1, 2024")
    update.refresh_from_db()
    assert (update.progress, update.corrected_at, update.version) == (10, None, 1)
    assert public_status(update.recommendation) == "Planning"


def test_a_status_record_deleted_from_a_stale_page_is_refused(manager_client, sam_client, update):
    url = change_url(update.recommendation)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))
    row = row_of(maria, update)
    maria[f"{row}-note"] = "Work began in January."
    maria[f"{row}-correction_reason"] = "Clearer."
    assert manager_client.post(url, maria).status_code == 302

    sam[f"{row}-DELETE"] = "on"
    response = sam_client.post(url, sam)

    changed = f"Status record changed: {JAN_15} (note, correction reason)"
    assert refused_by_maria(response, changed)
    assert StatusUpdate.objects.get().note == "Work began in January."
    assert public_status(update.recommendation) == "Initiation"


def test_a_stale_page_saved_without_changes_is_accepted_and_changes_nothing(
    manager_client, sam_client, update
):
    url = change_url(update.recommendation)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))
    assert (
        manager_client.post(url, add_record(maria, "planning", "Plan approved.")).status_code == 302
    )
    assert sam_client.post(url, sam).status_code == 302
    assert StatusUpdate.objects.count() == 2
    assert Recommendation.objects.get().version == 2


def test_after_reloading_the_second_person_can_add_their_record(manager_client, sam_client, update):
    url = change_url(update.recommendation)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))
    manager_client.post(url, add_record(maria, "planning", "Plan approved."))
    assert (
        sam_client.post(url, add_record(sam, "approaching-implementation", "Soon.")).status_code
        == 200
    )

    reloaded = add_record(form_data(sam_client.get(url)), "approaching-implementation", "Soon.")
    assert sam_client.post(url, reloaded).status_code == 302
    assert public_status(update.recommendation) == "Approaching Implementation"
    assert Recommendation.objects.get().version == 3


def test_a_recommendation_page_opened_before_a_change_on_a_record_page_is_refused(
    manager_client, sam_client, update
):
    # Maria corrects the record on its own page; Sam adds one from the recommendation's page.
    url = change_url(update.recommendation)
    sam = form_data(sam_client.get(url))
    maria = form_data(manager_client.get(change_url(update)))
    maria.update(progress="20", correction_reason="Mistyped.")
    assert manager_client.post(change_url(update), maria).status_code == 302

    response = sam_client.post(url, add_record(sam, "planning", "Plan approved."))

    assert refused_by_maria(
        response, f"Status record changed: {JAN_15} (progress, correction reason)"
    )
    assert StatusUpdate.objects.count() == 1


def test_a_record_page_opened_before_a_record_was_added_is_refused(
    manager_client, sam_client, update
):
    sam = form_data(sam_client.get(change_url(update)))
    url = change_url(update.recommendation)
    manager_client.post(url, add_record(form_data(manager_client.get(url)), "planning", "Plan."))

    sam.update(note="Sam's words.", correction_reason="Clearer.")
    response = sam_client.post(change_url(update), sam)

    assert refused_by_maria(response, "Status record added: Planning, March 1, 2024")
    assert StatusUpdate.objects.get(pk=update.pk).note == "Work moved forward."


def test_a_stale_delete_of_a_status_record_from_its_own_page_is_refused(
    manager_client, sam_client, update
):
    confirm = form_data(sam_client.get(delete_url(update)))
    maria = form_data(manager_client.get(change_url(update)))
    maria.update(note="Work began in January.", correction_reason="Clearer.")
    assert manager_client.post(change_url(update), maria).status_code == 302

    response = sam_client.post(delete_url(update), confirm, follow=True)

    # Back on the record's page, which shows the current version and says why.
    assert response.redirect_chain == [(change_url(update), 302)]
    text = page_text(response)
    assert "Maria Lopez saved this recommendation at" in text
    assert f"Their change: Status record changed: {JAN_15} (note, correction reason)." in text
    assert StatusUpdate.objects.get().note == "Work began in January."
    assert not StatusUpdate.history.filter(history_type="-").exists()


def test_a_delete_confirmed_on_a_current_page_deletes_and_names_it_in_the_history(
    manager_client, update
):
    confirm = form_data(manager_client.get(delete_url(update)))
    assert manager_client.post(delete_url(update), confirm).status_code == 302
    assert not StatusUpdate.objects.exists()
    rec = Recommendation.objects.get()
    assert rec.history.first().history_change_reason == f"Status record deleted: {JAN_15}"


def test_a_delete_confirmation_without_its_versions_is_refused(manager_client, update):
    response = manager_client.post(delete_url(update), {"post": "yes"}, follow=True)
    assert RELOAD in page_text(response)
    assert StatusUpdate.objects.exists()


def test_a_stale_delete_of_a_milestone_is_refused(manager_client, sam_client):
    milestone = MilestoneFactory(title="Council vote")
    confirm = form_data(sam_client.get(delete_url(milestone)))
    maria = form_data(manager_client.get(change_url(milestone)))
    maria["title"] = "Council vote on the plan"
    assert manager_client.post(change_url(milestone), maria).status_code == 302

    response = sam_client.post(delete_url(milestone), confirm, follow=True)

    assert response.redirect_chain == [(change_url(milestone), 302)]
    assert "Maria Lopez saved this milestone at" in page_text(response)
    assert "Their change: title." in page_text(response)
    assert Milestone.objects.get().title == "Council vote on the plan"


def selected(client, admin_url, objs):
    """The confirmation page of "delete selected" for `objs`, as a browser would post it."""
    chosen = {"action": "delete_selected", "_selected_action": [str(o.pk) for o in objs]}
    data = form_data(client.post(admin_url, chosen))
    del data["_save"]  # the confirmation's button has no name
    return dict(data.lists())  # every selected object (the test client posts a QueryDict's last)


def test_a_stale_delete_selected_of_status_records_is_refused_and_a_current_one_works(
    manager_client, sam_client, update
):
    other = StatusUpdateFactory(recommendation=update.recommendation, status=status("planning"))
    listing = reverse("admin:recommendations_statusupdate_changelist")
    confirm = selected(sam_client, listing, [update, other])
    maria = form_data(manager_client.get(change_url(update)))
    maria.update(progress="20", correction_reason="Mistyped.")
    manager_client.post(change_url(update), maria)

    response = sam_client.post(listing, confirm, follow=True)
    assert "Maria Lopez saved this recommendation at" in page_text(response)
    assert StatusUpdate.objects.count() == 2

    # Two records of one recommendation: the second deletion expects the first one's version.
    confirm = selected(manager_client, listing, [update, other])
    assert manager_client.post(listing, confirm).status_code == 302
    assert not StatusUpdate.objects.exists()
    reasons = [r.history_change_reason for r in Recommendation.objects.get().history.all()[:2]]
    assert sorted(reasons) == [
        f"Status record deleted: {JAN_15}",
        f"Status record deleted: Planning, {format_date(other.effective_date)}",
    ]


def test_the_error_note_lists_each_error_with_a_link_to_its_field(manager_client, update):
    url = change_url(update.recommendation)
    data = form_data(manager_client.get(url))
    data["title"] = ""
    data = add_record(data, "planning", "")  # a new record needs a note
    response = manager_client.post(url, data)

    html = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert '<div class="errornote error-summary" id="error-summary" role="alert">' in html
    assert "<p>Please correct the errors below.</p>" in html
    assert '<a href="#id_title">Title</a>: This field is required.' in html
    assert (
        '<a href="#id_status_updates-1-note">New status update: Note</a>: Say what happened: '
        "every new status record needs a public note."
    ) in html
    # Each link leads to its field on the page.
    assert 'id="id_title"' in html and 'id="id_status_updates-1-note"' in html
    assert "<title>Error:" in html
    assert not StatusUpdate.objects.filter(status=status("planning")).exists()


def test_the_error_note_puts_the_refusal_of_a_stale_page_first(manager_client, sam_client, update):
    url = change_url(update.recommendation)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))
    manager_client.post(url, add_record(maria, "planning", "Plan approved."))

    sam = add_record(sam, "planning", "")  # stale, and the note is missing
    text = page_text(sam_client.post(url, sam))
    summary = text[
        text.index('id="error-summary"') : text.index("</div>", text.index("error-summary"))
    ]
    assert summary.index("Maria Lopez saved this recommendation") < summary.index(
        "Say what happened"
    )
    # The stale refusal links to the status updates, where the change was made.
    assert '<li><a href="#status_updates-group">Status update</a>: Maria Lopez saved' in summary
    assert 'id="status_updates-group"' in text


def test_the_recommendation_history_shows_its_status_record_changes(manager_client, update):
    url = change_url(update.recommendation)
    data = add_record(form_data(manager_client.get(url)), "planning", "Plan approved.")
    manager_client.post(url, data)
    data = form_data(manager_client.get(url))
    data[f"{row_of(data, update)}-DELETE"] = "on"
    manager_client.post(url, data)

    history = reverse(
        "admin:recommendations_recommendation_history", args=[update.recommendation.pk]
    )
    text = page_text(manager_client.get(history))
    assert f"Status record deleted: {JAN_15}" in text
    assert "Status record added: Planning, March 1, 2024" in text
    assert "<strong>Version:</strong>" not in text  # bookkeeping, said by the change reason


def test_a_new_record_on_its_own_add_page_raises_the_recommendations_version(
    manager_client, update
):
    url = reverse("admin:recommendations_statusupdate_add")
    data = form_data(manager_client.get(url))
    data.update(
        recommendation=str(update.recommendation.pk),
        status=str(status("planning").pk),
        effective_date=datetime.date(2024, 3, 1).isoformat(),
        note="Plan approved.",
    )
    assert manager_client.post(url, data).status_code == 302
    rec = Recommendation.objects.get()
    assert rec.version == 2
    assert rec.history.first().history_change_reason == (
        "Status record added: Planning, March 1, 2024"
    )


def test_the_refusal_of_a_stale_main_form_links_to_the_first_field_that_differs(
    manager_client, sam_client, update
):
    url = change_url(update.recommendation)
    maria, sam = form_data(manager_client.get(url)), form_data(sam_client.get(url))
    manager_client.post(url, maria | {"title": "Maria's title"})

    text = page_text(sam_client.post(url, sam | {"details": "Sam's details."}))

    # Sam's page still has the old title: the first field that differs from the saved version.
    assert '<li><a href="#id_title">Title</a>: Maria Lopez saved this recommendation' in text
    assert "Their change: title." in text
    assert Recommendation.objects.get().details == ""
