"""The downloads and the API carry each text in both languages: the English column and its
Spanish twin ending in _es, empty until translated. The Spanish addresses (/es/...) give the
same columns, with links to the Spanish pages and Spanish notes and messages."""

import csv
import io

import pytest
from openpyxl import load_workbook

from exports.columns import (
    HISTORY_COLUMNS,
    MILESTONE_COLUMNS,
    RECOMMENDATION_COLUMNS,
    RECOMMENDATION_TEXT_COLUMNS,
    STATUS_COLUMNS,
    SUMMARY_COLUMNS,
    TOPIC_COLUMNS,
    UPDATE_COLUMNS,
)
from milestones.models import Precision
from tests.factories import MilestoneFactory, RecommendationFactory, StatusUpdateFactory, status

pytestmark = pytest.mark.django_db


def csv_rows(response):
    assert response.status_code == 200, response.content
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


@pytest.fixture
def translated():
    """A recommendation with its Spanish, a status update translated and one not."""
    rec = RecommendationFactory(
        title="Fewer fines",
        title_es="Menos multas",
        text="The city should fine less.",
        text_es="La ciudad debería multar menos.",
        lead="City",
        lead_es="Ciudad",
        topic__name="Fines",
        topic__name_es="Multas",
    )
    StatusUpdateFactory(recommendation=rec, note="Drafted.", note_es="Redactado.")
    StatusUpdateFactory(recommendation=rec, status=status("planning"), note="Planned.")
    return rec


def test_every_text_column_has_its_spanish_twin_beside_it():
    for columns in (
        RECOMMENDATION_COLUMNS,
        RECOMMENDATION_TEXT_COLUMNS,
        HISTORY_COLUMNS,
        UPDATE_COLUMNS,
        SUMMARY_COLUMNS,
        TOPIC_COLUMNS,
        STATUS_COLUMNS,
        MILESTONE_COLUMNS,
    ):
        names = [column.name for column in columns]
        for name in names:
            if name.endswith("_es"):
                assert names[names.index(name) - 1] == name.removesuffix("_es"), name


def test_the_recommendations_csv_has_both_languages(client, translated):
    (row,) = csv_rows(client.get("/export/recommendations.csv"))
    assert (row["title"], row["title_es"]) == ("Fewer fines", "Menos multas")
    assert (row["topic"], row["topic_es"]) == ("Fines", "Multas")
    assert (row["lead"], row["lead_es"]) == ("City", "Ciudad")
    assert (row["status"], row["status_es"]) == ("Planning", "Planificación")
    # The latest note has no Spanish yet: its Spanish column is empty, never the English.
    assert (row["latest_update_note"], row["latest_update_note_es"]) == ("Planned.", "")


def test_the_updates_csv_has_both_languages(client, translated):
    rows = csv_rows(client.get("/export/updates.csv"))
    assert {(r["note"], r["note_es"]) for r in rows} == {
        ("Drafted.", "Redactado."),
        ("Planned.", ""),
    }
    assert {r["recommendation_title_es"] for r in rows} == {"Menos multas"}


def test_the_summary_names_all_topics_in_both_languages(client, translated):
    overall, *topics = csv_rows(client.get("/export/summary.csv"))
    assert (overall["topic"], overall["topic_es"]) == ("All topics", "Todos los temas")
    assert ("Fines", "Multas") in {(row["topic"], row["topic_es"]) for row in topics}


def test_a_spanish_address_gives_the_same_columns_with_links_to_spanish_pages(client, translated):
    (english,) = csv_rows(client.get("/export/recommendations.csv"))
    (spanish,) = csv_rows(client.get("/es/export/recommendations.csv"))
    assert list(spanish) == list(english)
    assert english["url"] == f"http://testserver/recommendations/{translated.number}/"
    assert spanish["url"] == f"http://testserver/es/recommendations/{translated.number}/"
    assert {k: v for k, v in spanish.items() if k != "url"} == {
        k: v for k, v in english.items() if k != "url"
    }


def test_the_spanish_workbook_has_its_notes_in_spanish(client, translated):
    response = client.get("/es/export/recommendations.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Recomendaciones", "Resumen por tema", "Notas"]
    labels = [row[0] for row in book["Notas"].iter_rows(values_only=True)]
    assert "Fecha de corte" in labels and "Cómo se calculan los recuentos" in labels
    header = [cell.value for cell in book["Recomendaciones"][1]]
    assert header == [column.name for column in RECOMMENDATION_COLUMNS]


def test_the_api_has_both_languages(client, translated):
    (result,) = client.get("/api/v1/recommendations").json()["results"]
    assert (result["text"], result["text_es"]) == (
        "The city should fine less.",
        "La ciudad debería multar menos.",
    )
    assert {(h["status"], h["status_es"]) for h in result["history"]} == {
        ("Initiation", "Inicio"),
        ("Planning", "Planificación"),
    }
    statuses = client.get("/api/v1/statuses").json()["results"]
    assert all(s["name_es"] and s["definition_es"] for s in statuses)


def test_a_milestone_date_is_given_as_each_language_prints_it(client):
    MilestoneFactory(date_precision=Precision.MONTH, title="Vote", title_es="")
    (milestone,) = client.get("/es/api/v1/milestones").json()["results"]
    assert milestone["display_date"] == "May 2024"
    assert milestone["display_date_es"] == "mayo de 2024"
    assert (milestone["title"], milestone["title_es"]) == ("Vote", "")


def test_errors_at_a_spanish_address_are_in_spanish(client):
    response = client.get("/es/export/recommendations.csv", {"as_of": "soon"})
    assert response.status_code == 400
    assert "Escriba una fecha como AAAA-MM-DD" in response.content.decode()
    response = client.get("/es/api/v1/recommendations", {"colour": "red"})
    assert response.json()["errors"]["colour"][0].startswith("Parámetro desconocido.")


def test_the_openapi_document_is_in_english_at_either_address(client):
    english = client.get("/api/v1/openapi.json").json()
    assert client.get("/es/api/v1/openapi.json").json() == english
    properties = english["components"]["schemas"]["Recommendation"]["properties"]
    assert properties["title_es"]["description"].startswith("The short title in Spanish")
