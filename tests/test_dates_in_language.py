"""Dates are written the way each language writes them, only as precisely as they are known."""

import datetime

import pytest
from django.utils import translation

from milestones.models import Precision
from tests.factories import MilestoneFactory, RecommendationFactory, StatusUpdateFactory, status

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 9, 25)


@pytest.mark.parametrize(
    ("precision", "english", "spanish"),
    [
        (Precision.DAY, "Sept. 25, 2025", "25 de septiembre de 2025"),
        (Precision.MONTH, "September 2025", "septiembre de 2025"),
        (Precision.YEAR, "2025", "2025"),
    ],
)
def test_a_milestone_date_reads_in_the_pages_language(precision, english, spanish):
    milestone = MilestoneFactory.build(date=DAY, date_precision=precision)
    assert milestone.display_date == english
    with translation.override("es"):
        assert milestone.display_date == spanish


def test_the_spanish_timeline_prints_a_month_in_spanish(client):
    MilestoneFactory(date=DAY, date_precision=Precision.MONTH)
    html = client.get("/es/timeline/").content.decode()
    assert '<time datetime="2025-09">septiembre de 2025</time>' in html
    html = client.get("/timeline/").content.decode()
    assert '<time datetime="2025-09">September 2025</time>' in html


def test_a_recommendations_dates_read_in_spanish(client):
    rec = RecommendationFactory(estimated_completion=datetime.date(2024, 1, 1))
    StatusUpdateFactory(
        recommendation=rec, status=status("planning"), effective_date=datetime.date(2023, 4, 1)
    )
    with translation.override("es"):
        html = client.get(rec.get_absolute_url()).content.decode()
    assert '<time datetime="2023-04-01">1 de abril de 2023</time>' in html
    assert '<time datetime="2024-01">enero de 2024</time>' in html
    assert (
        "Pasada su fecha prevista (enero de 2024)"
        in client.get("/es/recommendations/").content.decode()
    )
