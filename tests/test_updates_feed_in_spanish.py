"""/es/feeds/updates/: the same feed in Spanish, English content marked where untranslated."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from plans.models import City
from tests.factories import MilestoneFactory, RecommendationFactory, StatusUpdateFactory, status

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, path="/es/feeds/updates/"):
    response = client.get(path)
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 (our own response)


def test_the_spanish_feed_reads_in_spanish_and_links_to_spanish_pages(client):
    City.objects.create(
        name="Oklahoma City",
        partnership_name="Oklahoma City Public Safety Partnership",
        translations={"es": {"partnership_name": "Alianza de Seguridad Pública de Oklahoma City"}},
    )
    rec = RecommendationFactory(
        code="5", title="Roll-call training", translations={"es": {"title": "Capacitación"}}
    )
    StatusUpdateFactory(
        recommendation=rec,
        status=status("planning"),
        effective_date=datetime.date(2024, 5, 1),
        note="Funded.",
        translations={"es": {"note": "Financiada."}},
    )
    root = feed(client)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "es"
    assert root.find(f"{ATOM}title").text.startswith("Alianza de Seguridad Pública de")
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Recomendación 5, Capacitación: Planificación"
    assert entry.find(f"{ATOM}summary").text == "1 de mayo de 2024: Financiada."
    assert f"/es/plans/{rec.plan.slug}/recommendations/5/#update-" in entry.find(f"{ATOM}link").get(
        "href"
    )


def test_untranslated_items_say_so_in_the_spanish_feed_only(client):
    MilestoneFactory(title="Board created", date=datetime.date(2023, 8, 1))
    spanish = feed(client).find(f"{ATOM}entry").find(f"{ATOM}title").text
    assert spanish == "Hito: Board created (aún no traducido)"
    english = feed(client, "/feeds/updates/").find(f"{ATOM}entry").find(f"{ATOM}title").text
    assert english == "Milestone: Board created"
