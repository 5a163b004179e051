"""Each language the site is in besides the first has a fieldset of its own on every
translatable admin page; its texts are optional, saved into the row's translations with the
same version check, recorded in the history, and never lost when a language is switched off."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from plans.models import City
from recommendations.models import Recommendation, StatusUpdate
from tests.admin_forms import form_data
from tests.factories import (
    MilestoneFactory,
    PartyFactory,
    PlanFactory,
    StatusUpdateFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

VIETNAMESE = ("vi", "Tiếng Việt")


@pytest.fixture
def vietnamese_too(settings):
    settings.LANGUAGES = [*settings.LANGUAGES, VIETNAMESE]


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def language_fieldsets(html):
    """{heading: [field, ...]} of the page's own language fieldsets (headed <h2>; the status
    update rows' own, headed <h4>, come before them on a recommendation's page)."""
    fieldsets = {}
    pattern = (
        r'<fieldset class="module aligned translations"[^>]*>\s*'
        r"<h2[^>]*>([^<]*)</h2>(.*?)</fieldset>"
    )
    for heading, body in re.findall(pattern, html, re.S):
        fields = re.findall(r'class="form-row field-(\w+)', body)
        fieldsets.setdefault(heading.strip(), fields)
    return fieldsets


def recommendation():
    return StatusUpdateFactory().recommendation


@pytest.mark.parametrize(
    ("make", "fields"),
    [
        (recommendation, ["title_es", "text_es", "details_es"]),
        (TopicFactory, ["name_es", "description_es"]),
        (MilestoneFactory, ["title_es", "description_es"]),
        (PartyFactory, ["name_es", "short_name_es", "description_es"]),
    ],
    ids=["recommendation", "topic", "milestone", "party"],
)
def test_the_manager_has_a_spanish_fieldset_on_each_translatable_page(manager_client, make, fields):
    html = manager_client.get(change_url(make())).content.decode()
    assert language_fieldsets(html) == {"Español": fields}
    assert 'lang="es"' in html
    assert "Left empty, the Español pages show the English text" in html


@pytest.mark.parametrize(
    ("make", "fields"),
    [
        (lambda: StatusUpdateFactory().status, ["name_es", "definition_es"]),
        (PlanFactory, ["name_es", "short_name_es", "issued_by_es", "description_es"]),
        (
            lambda: City.objects.create(name="Tulsa", partnership_name="Tulsa Partnership"),
            [
                "name_es",
                "partnership_name_es",
                "introduction_es",
                "footer_es",
                "contact_office_es",
                "contact_address_es",
                "accessibility_notes_es",
            ],
        ),
    ],
    ids=["status", "plan", "city"],
)
def test_the_superuser_has_a_spanish_fieldset_on_the_scale_the_plans_and_the_city(
    superuser_client, make, fields
):
    html = superuser_client.get(change_url(make())).content.decode()
    assert language_fieldsets(html) == {"Español": fields}


def test_each_status_update_row_has_its_spanish_note(manager_client):
    html = manager_client.get(change_url(recommendation())).content.decode()
    assert 'name="status_updates-0-note_es"' in html
    assert 'name="status_updates-1-note_es"' in html  # the empty row


def test_with_vietnamese_switched_on_each_page_has_a_vietnamese_fieldset_too(
    manager_client, vietnamese_too
):
    html = manager_client.get(change_url(recommendation())).content.decode()
    assert language_fieldsets(html) == {
        "Español": ["title_es", "text_es", "details_es"],
        "Tiếng Việt": ["title_vi", "text_vi", "details_vi"],
    }
    assert '<label for="id_title_vi">Title (Tiếng Việt):</label>' in html
    assert 'name="status_updates-0-note_vi"' in html


def test_with_only_english_and_spanish_nothing_is_vietnamese(manager_client):
    html = manager_client.get(change_url(recommendation())).content.decode()
    assert "_vi" not in html
    assert "Tiếng Việt" not in html


def test_a_vietnamese_title_is_saved_into_the_translations(manager_client, vietnamese_too):
    rec = recommendation()
    data = form_data(manager_client.get(change_url(rec)), "recommendation_form")
    data.update(title_vi="Ít giấy phạt hơn", title_es="Menos multas")
    assert manager_client.post(change_url(rec), data).status_code == 302
    rec.refresh_from_db()
    assert rec.translations == {
        "es": {"title": "Menos multas"},
        "vi": {"title": "Ít giấy phạt hơn"},
    }


def test_a_recommendation_saved_with_its_spanish_is_shown_in_spanish(manager_client, client):
    rec = recommendation()
    data = form_data(manager_client.get(change_url(rec)), "recommendation_form")
    data.update(title_es="Menos multas", details_es="Detalles.")
    assert manager_client.post(change_url(rec), data).status_code == 302
    rec.refresh_from_db()
    assert (rec.translations, rec.version) == (
        {"es": {"title": "Menos multas", "details": "Detalles."}},
        2,
    )
    row = rec.history.first()
    assert (row.translations["es"]["title"], row.history_user.username) == (
        "Menos multas",
        "manager",
    )
    with translation.override("es"):
        spanish_page = rec.get_absolute_url()
    assert "Menos multas" in client.get(spanish_page).content.decode()


def test_the_saved_translations_are_in_the_form_and_can_be_emptied(manager_client):
    rec = recommendation()
    rec.translations = {"es": {"title": "Menos multas", "text": "Texto."}}
    rec.save()
    data = form_data(manager_client.get(change_url(rec)), "recommendation_form")
    assert (data["title_es"], data["text_es"]) == ("Menos multas", "Texto.")
    data["title_es"] = ""
    assert manager_client.post(change_url(rec), data).status_code == 302
    assert Recommendation.objects.get(pk=rec.pk).translations == {"es": {"text": "Texto."}}


def test_the_translations_are_optional(manager_client):
    rec = recommendation()
    data = form_data(manager_client.get(change_url(rec)), "recommendation_form")
    data["title"] = "A new title"
    assert data["title_es"] == ""
    assert manager_client.post(change_url(rec), data).status_code == 302
    saved = Recommendation.objects.get(pk=rec.pk)
    assert (saved.title, saved.translations) == ("A new title", {})


def test_a_language_switched_off_keeps_its_texts_when_the_form_is_saved(manager_client):
    rec = recommendation()
    rec.translations = {"vi": {"title": "Ít giấy phạt hơn"}}
    rec.save()
    data = form_data(manager_client.get(change_url(rec)), "recommendation_form")
    data.update(title="A new title", title_es="Un título nuevo")
    assert manager_client.post(change_url(rec), data).status_code == 302
    assert Recommendation.objects.get(pk=rec.pk).translations == {
        "vi": {"title": "Ít giấy phạt hơn"},
        "es": {"title": "Un título nuevo"},
    }


def test_the_manager_reads_the_translations_of_a_plan_they_cannot_change(manager_client):
    plan = PlanFactory(translations={"es": {"name": "Recomendaciones de 2022"}})
    html = manager_client.get(change_url(plan)).content.decode()
    assert language_fieldsets(html) == {}
    assert "<dt>Name (Español)</dt><dd>Recomendaciones de 2022</dd>" in html


def test_translating_a_note_later_saves_it_without_marking_the_record_corrected(
    manager_client,
):
    update = StatusUpdateFactory(note="Funding approved.")
    url = change_url(update)
    data = form_data(manager_client.get(url), "statusupdate_form")
    data["note_es"] = "Financiación aprobada."
    assert manager_client.post(url, data).status_code == 302
    update = StatusUpdate.objects.get(pk=update.pk)
    assert (update.translations, update.corrected_at, update.version) == (
        {"es": {"note": "Financiación aprobada."}},
        None,
        2,
    )
    assert update.history.first().translations == {"es": {"note": "Financiación aprobada."}}


def test_changing_the_english_note_still_marks_the_record_corrected(manager_client):
    update = StatusUpdateFactory(note="Funding approved.")
    url = change_url(update)
    data = form_data(manager_client.get(url), "statusupdate_form")
    data["note"] = "Funding approved by the council."
    data["correction_reason"] = "Who approved it was missing."
    assert manager_client.post(url, data).status_code == 302
    assert StatusUpdate.objects.get(pk=update.pk).corrected_at is not None


def test_a_new_status_update_can_be_recorded_with_its_notes_in_each_language(
    manager_client, vietnamese_too
):
    rec = recommendation()
    url = change_url(rec)
    data = form_data(manager_client.get(url), "recommendation_form")
    prefix = f"status_updates-{int(data['status_updates-INITIAL_FORMS'])}"
    data[f"{prefix}-status"] = str(rec.status_updates.first().status_id)
    data[f"{prefix}-effective_date"] = "2024-02-01"
    data[f"{prefix}-note"] = "Hiring started."
    data[f"{prefix}-note_es"] = "Comenzó la contratación."
    data[f"{prefix}-note_vi"] = "Đã bắt đầu tuyển dụng."
    assert manager_client.post(url, data).status_code == 302
    recorded = rec.status_updates.get(note="Hiring started.")
    assert recorded.translations == {
        "es": {"note": "Comenzó la contratación."},
        "vi": {"note": "Đã bắt đầu tuyển dụng."},
    }
    assert recorded.created_by.username == "manager"
