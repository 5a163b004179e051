"""The Oklahoma City data ships Spanish for its topics, its recommendations, its lead parties
and the status scale (unofficial translations awaiting the city's review, docs/data.md)."""

import pytest

from core.translations import translated_value
from recommendations.models import Recommendation, Status, Topic

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
