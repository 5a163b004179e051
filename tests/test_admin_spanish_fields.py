"""The manager edits the Spanish text beside the English one; it is optional, saved with the
same version check, and recorded in the history."""

import re

import pytest
from django.urls import reverse

from recommendations.models import Recommendation, StatusUpdate
from tests.admin_forms import form_data
from tests.factories import MilestoneFactory, StatusUpdateFactory, TopicFactory

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def row_fields(html):
    """The fields of each admin form row, in page order: [["title", "title_es"], ...]."""
    rows = re.findall(r'<div class="form-row ([^"]*)"', html)
    return [re.findall(r"\bfield-(\w+)", row) for row in rows]


@pytest.mark.parametrize(
    ("factory", "pairs"),
    [
        (
            lambda: StatusUpdateFactory().recommendation,
            [["title", "title_es"], ["lead", "lead_es"], ["text", "text_es"]],
        ),
        (TopicFactory, [["name", "name_es"], ["description", "description_es"]]),
        (MilestoneFactory, [["title", "title_es"], ["description", "description_es"]]),
    ],
)
def test_each_spanish_field_is_beside_its_english_one(manager_client, factory, pairs):
    html = manager_client.get(change_url(factory())).content.decode()
    for pair in pairs:
        assert pair in row_fields(html)
    assert "Left empty, Spanish pages show the English" in html


def test_the_status_scale_has_spanish_fields_for_the_superuser(superuser_client):
    update = StatusUpdateFactory()
    html = superuser_client.get(change_url(update.status)).content.decode()
    assert ["name", "name_es"] in row_fields(html)
    assert ["definition", "definition_es"] in row_fields(html)


def test_the_status_update_inline_has_the_spanish_note_beside_the_english_one(manager_client):
    update = StatusUpdateFactory()
    html = manager_client.get(change_url(update.recommendation)).content.decode()
    assert ["note", "note_es"] in row_fields(html)


def test_a_recommendation_saved_with_its_spanish_is_shown_in_spanish(manager_client, client):
    rec = StatusUpdateFactory().recommendation
    data = form_data(manager_client.get(change_url(rec)), "recommendation_form")
    data["title_es"] = "Menos multas"
    response = manager_client.post(change_url(rec), data)
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.title_es, rec.version) == ("Menos multas", 2)
    assert rec.history.first().title_es == "Menos multas"
    assert rec.history.first().history_user.username == "manager"
    assert "Menos multas" in client.get(f"/es/recommendations/{rec.number}/").content.decode()


def test_the_spanish_is_optional(manager_client):
    rec = StatusUpdateFactory().recommendation
    data = form_data(manager_client.get(change_url(rec)), "recommendation_form")
    data["title"] = "A new title"
    assert data["title_es"] == ""
    assert manager_client.post(change_url(rec), data).status_code == 302
    assert Recommendation.objects.get(pk=rec.pk).title == "A new title"


def test_translating_a_note_later_saves_it_without_marking_the_record_corrected(
    manager_client,
):
    update = StatusUpdateFactory(note="Funding approved.")
    url = change_url(update)
    data = form_data(manager_client.get(url), "statusupdate_form")
    data["note_es"] = "Financiación aprobada."
    assert manager_client.post(url, data).status_code == 302
    update = StatusUpdate.objects.get(pk=update.pk)
    assert (update.note_es, update.corrected_at, update.version) == (
        "Financiación aprobada.",
        None,
        2,
    )
    assert update.history.first().note_es == "Financiación aprobada."


def test_changing_the_english_note_still_marks_the_record_corrected(manager_client):
    update = StatusUpdateFactory(note="Funding approved.")
    url = change_url(update)
    data = form_data(manager_client.get(url), "statusupdate_form")
    data["note"] = "Funding approved by the council."
    assert manager_client.post(url, data).status_code == 302
    assert StatusUpdate.objects.get(pk=update.pk).corrected_at is not None


def test_a_new_status_update_can_be_recorded_with_its_spanish_note(manager_client):
    rec = StatusUpdateFactory().recommendation
    url = change_url(rec)
    data = form_data(manager_client.get(url), "recommendation_form")
    prefix = f"status_updates-{int(data['status_updates-INITIAL_FORMS'])}"
    data[f"{prefix}-status"] = str(rec.status_updates.first().status_id)
    data[f"{prefix}-effective_date"] = "2024-02-01"
    data[f"{prefix}-note"] = "Hiring started."
    data[f"{prefix}-note_es"] = "Comenzó la contratación."
    assert manager_client.post(url, data).status_code == 302
    recorded = rec.status_updates.get(note="Hiring started.")
    assert recorded.note_es == "Comenzó la contratación."
    assert recorded.created_by.username == "manager"
