"""The Oklahoma City data ships Spanish for its topics, its recommendations, its lead parties,
the status scale, its milestones and its status notes (unofficial translations awaiting the
city's review, docs/data.md)."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core.translations import marker, translated_value
from milestones.models import Milestone
from recommendations.models import Recommendation, Status, StatusUpdate, Topic

pytestmark = pytest.mark.django_db


def test_every_topic_has_its_name_and_description_in_spanish(okc):
    for topic in Topic.objects.all():
        name, description = (translated_value(topic, f, "es") for f in ("name", "description"))
        assert name and name != topic.name, topic.number
        assert description and description != topic.description


def test_every_recommendation_has_its_title_text_and_lead_in_spanish(okc):
    for rec in Recommendation.objects.prefetch_related("responsibilities__party"):
        title, text = (translated_value(rec, f, "es") for f in ("title", "text"))
        assert title and title != rec.title, rec.code
        assert text and text != rec.text, rec.code
        assert rec.leads, rec.code
        for party in rec.leads:
            assert translated_value(party, "name", "es"), (rec.code, party.slug)
        rec.full_clean()  # within the columns' lengths (and the translations well formed)
        # Titles stay short enough for a phone, as the English ones are.
        assert len(title) <= 80, rec.code


def test_the_status_scale_has_its_names_and_definitions_in_spanish(db):
    # From the data migrations: no fixture needed.
    for status in Status.objects.all():
        name, definition = (translated_value(status, f, "es") for f in ("name", "definition"))
        assert name and name != status.name, status.slug
        assert definition and definition != status.definition


def test_every_milestone_and_status_note_has_its_spanish(okc):
    for milestone in Milestone.objects.all():
        title = translated_value(milestone, "title", "es")
        assert title and title != milestone.title, milestone.title
        if milestone.description:
            assert translated_value(milestone, "description", "es"), milestone.title
        milestone.full_clean()
    for update in StatusUpdate.objects.select_related("recommendation"):
        note = translated_value(update, "note", "es")
        assert note and note != update.note, (update.recommendation.code, update.note)
        if update.correction_reason:
            assert translated_value(update, "correction_reason", "es")
        update.full_clean()


def spanish_timeline_pages():
    """/es/timeline/ and its page of each year that has milestones (it shows one year at a
    time)."""
    years = sorted({day.year for day in Milestone.objects.published().dates("date", "year")})
    with translation.override("es"):
        timeline = reverse("pages:timeline")
    return [timeline] + [f"{timeline}?year={year}" for year in years]


def test_no_spanish_page_of_the_city_shows_english_marked_untranslated(client, okc):
    with translation.override("es"):
        untranslated = marker()
        pages = spanish_timeline_pages() + [reverse("pages:home")]
        pages += [rec.get_absolute_url() for rec in Recommendation.objects.published()]
    assert all(page.startswith("/es/") for page in pages)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert untranslated not in response.content.decode(), page


def test_the_spanish_timeline_and_histories_show_the_spanish(client, okc):
    html = "".join(client.get(page).content.decode() for page in spanish_timeline_pages())
    for milestone in Milestone.objects.published():
        assert escape(translated_value(milestone, "title", "es")) in html
        assert escape(milestone.title) not in html
    for rec in Recommendation.objects.published().prefetch_related("status_updates"):
        with translation.override("es"):
            page = rec.get_absolute_url()
        html = client.get(page).content.decode()
        for update in rec.status_updates.all():
            assert escape(translated_value(update, "note", "es")) in html, page
            assert escape(update.note) not in html, page
