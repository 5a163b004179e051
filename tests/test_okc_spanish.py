"""The Oklahoma City data ships Spanish for its topics, its recommendations and the status
scale (unofficial translations awaiting the city's review, docs/data.md)."""

import pytest

from recommendations.models import Recommendation, Status, Topic

pytestmark = pytest.mark.django_db


def test_every_topic_has_its_name_and_description_in_spanish(okc):
    for topic in Topic.objects.all():
        assert topic.name_es and topic.name_es != topic.name, topic.number
        assert topic.description_es and topic.description_es != topic.description


def test_every_recommendation_has_its_title_text_and_lead_in_spanish(okc):
    for rec in Recommendation.objects.all():
        assert rec.title_es and rec.title_es != rec.title, rec.number
        assert rec.text_es and rec.text_es != rec.text, rec.number
        assert rec.lead_es, rec.number
        rec.full_clean()  # within the columns' lengths
        # Titles stay short enough for a phone, as the English ones are.
        assert len(rec.title_es) <= 80, rec.number


def test_the_status_scale_has_its_names_and_definitions_in_spanish(db):
    # From the data migration: no fixture needed.
    for status in Status.objects.all():
        assert status.name_es and status.name_es != status.name, status.slug
        assert status.definition_es and status.definition_es != status.definition
