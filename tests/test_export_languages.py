"""The downloads and the API carry each text in every configured language: the source column
and one column per other language (`title_es`, `title_vi`, ...), empty until translated. The
columns follow settings.LANGUAGES at request time. The address of another language (/es/...)
gives the same columns, with links to that language's pages and its notes and messages."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.dates import Precision
from exports.columns import (
    HISTORY_COLUMNS,
    MILESTONE_COLUMNS,
    PLAN_COLUMNS,
    RECOMMENDATION_COLUMNS,
    RECOMMENDATION_TEXT_COLUMNS,
    STATUS_COLUMNS,
    SUMMARY_COLUMNS,
    TOPIC_COLUMNS,
    UPDATE_COLUMNS,
)
from tests.factories import (
    MilestoneFactory,
    PartyFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    status,
)

pytestmark = pytest.mark.django_db

ALL_COLUMNS = (
    PLAN_COLUMNS,
    RECOMMENDATION_COLUMNS,
    RECOMMENDATION_TEXT_COLUMNS,
    HISTORY_COLUMNS,
    UPDATE_COLUMNS,
    SUMMARY_COLUMNS,
    TOPIC_COLUMNS,
    STATUS_COLUMNS,
    MILESTONE_COLUMNS,
)
VIETNAMESE = [("en", "English"), ("es", "Español"), ("vi", "Tiếng Việt")]


def csv_rows(response):
    assert response.status_code == 200, response.getvalue()
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"), newline="")))


def names(columns):
    return [column.name for column in columns]


@pytest.fixture
def translated():
    """A recommendation with its Spanish, a status update translated and one not."""
    city = PartyFactory(
        name="City",
        slug="city",
        translations={"es": {"name": "Ciudad"}, "vi": {"name": "Thành phố"}},
    )
    police = PartyFactory(name="Police", slug="police")  # not translated
    rec = RecommendationFactory(
        title="Fewer fines",
        text="The city should fine less.",
        translations={
            "es": {"title": "Menos multas", "text": "La ciudad debería multar menos."},
            "vi": {"title": "Ít tiền phạt hơn"},
        },
        topic=TopicFactory(name="Fines", translations={"es": {"name": "Multas"}}),
        leads=[city, police],
    )
    StatusUpdateFactory(
        recommendation=rec, note="Drafted.", translations={"es": {"note": "Redactado."}}
    )
    StatusUpdateFactory(recommendation=rec, status=status("planning"), note="Planned.")
    return rec


def test_every_language_column_sits_right_after_its_source(settings):
    settings.LANGUAGES = VIETNAMESE
    for columns in ALL_COLUMNS:
        listed = names(columns)
        for name in listed:
            if name.endswith(("_es", "_vi")):
                assert name[:-3] in listed[: listed.index(name)], name


def test_the_recommendations_csv_has_both_languages(client, translated):
    (row,) = csv_rows(client.get("/export/recommendations.csv"))
    assert (row["title"], row["title_es"]) == ("Fewer fines", "Menos multas")
    assert (row["topic"], row["topic_es"]) == ("Fines", "Multas")
    # A party without its Spanish name: an empty place in the list, never the English.
    assert (row["leads"], row["leads_es"]) == ("City; Police", "Ciudad; ")
    assert (row["status"], row["status_es"]) == ("Planning", "Planificación")
    # The latest note has no Spanish yet: its Spanish column is empty, never the English.
    assert (row["latest_update_note"], row["latest_update_note_es"]) == ("Planned.", "")
    assert "title_vi" not in row


def test_a_language_switched_on_in_settings_gets_its_columns(client, settings, translated):
    settings.LANGUAGES = VIETNAMESE
    (row,) = csv_rows(client.get("/export/recommendations.csv"))
    assert (row["title_es"], row["title_vi"]) == ("Menos multas", "Ít tiền phạt hơn")
    assert row["topic_vi"] == ""
    assert row["leads_vi"] == "Thành phố; "
    (result,) = client.get("/api/v1/recommendations").json()["results"]
    assert (result["title_vi"], result["text_vi"]) == ("Ít tiền phạt hơn", "")
    assert result["leads_vi"] == ["Thành phố", ""]
    assert {"note_vi", "status_vi"} <= set(result["history"][0])
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    properties = schema["Recommendation"]["properties"]
    assert properties["title_vi"]["description"].startswith("The short title in Vietnamese")
    assert "<code>title_vi</code>" in client.get(reverse("exports:data")).getvalue().decode()


def test_with_one_language_there_are_no_translation_columns(client, settings, translated):
    settings.LANGUAGES = [("en", "English")]
    (row,) = csv_rows(client.get("/export/recommendations.csv"))
    assert not [name for name in row if name.endswith(("_es", "_vi"))]
    (result,) = client.get("/api/v1/recommendations").json()["results"]
    assert "title_es" not in result and "text_es" not in result
    html = client.get(reverse("exports:data")).getvalue().decode()
    assert "_es</code>" not in html
    assert "the site's only language" in html


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


def test_another_languages_address_gives_the_same_columns_with_links_to_its_pages(
    client, translated
):
    (english,) = csv_rows(client.get("/export/recommendations.csv"))
    (spanish,) = csv_rows(client.get("/es/export/recommendations.csv"))
    assert list(spanish) == list(english)
    path = f"/plans/{translated.plan.slug}/recommendations/{translated.code}/"
    assert english["url"] == f"http://testserver{path}"
    assert spanish["url"] == f"http://testserver/es{path}"
    assert {k: v for k, v in spanish.items() if k != "url"} == {
        k: v for k, v in english.items() if k != "url"
    }


def test_the_spanish_workbook_is_in_spanish(client, translated):
    response = client.get("/es/export/recommendations.xlsx")
    book = load_workbook(io.BytesIO(response.getvalue()))
    assert book.sheetnames[1:] == ["Recomendaciones", "Resumen por tema", "Notas"]
    labels = [row[0] for row in book["Notas"].iter_rows(values_only=True)]
    assert "Fecha de corte" in labels and "Cómo se calculan los recuentos" in labels
    header = [cell.value for cell in book["Recomendaciones"][1]]
    assert {"Título", "Tema", "Estado", "Fase", "Título (Español)"} <= set(header)
    assert "Title" not in header and "Topic" not in header
    summary_header = [cell.value for cell in book["Resumen por tema"][1]]
    assert "Tema" in summary_header
    overview = [row[0] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert "Fecha de corte" in overview and "Filtros" in overview


def test_the_api_has_both_languages(client, translated):
    (result,) = client.get("/api/v1/recommendations").json()["results"]
    assert (result["text"], result["text_es"]) == (
        "The city should fine less.",
        "La ciudad debería multar menos.",
    )
    assert (result["leads"], result["leads_es"]) == (["City", "Police"], ["Ciudad", ""])
    assert {(h["status"], h["status_es"]) for h in result["history"]} == {
        ("Initiation", "Inicio"),
        ("Planning", "Planificación"),
    }
    statuses = client.get("/api/v1/statuses").json()["results"]
    assert all(s["name_es"] and s["definition_es"] for s in statuses)


def test_a_milestone_date_is_given_as_each_language_prints_it(client):
    MilestoneFactory(date_precision=Precision.MONTH, title="Vote")
    (milestone,) = client.get("/es/api/v1/milestones").json()["results"]
    assert milestone["display_date"] == "May 2024"
    assert milestone["display_date_es"] == "mayo de 2024"
    assert (milestone["title"], milestone["title_es"]) == ("Vote", "")


def test_errors_at_a_spanish_address_are_in_spanish(client):
    response = client.get("/es/export/recommendations.csv", {"as_of": "soon"})
    assert response.status_code == 400
    assert "Escriba una fecha como AAAA-MM-DD" in response.getvalue().decode()
    response = client.get("/es/api/v1/recommendations", {"colour": "red"})
    assert response.json()["errors"]["colour"][0].startswith("Parámetro desconocido.")


def test_the_openapi_document_is_in_english_at_either_address(client):
    english = client.get("/api/v1/openapi.json").json()
    assert client.get("/es/api/v1/openapi.json").json() == english
    properties = english["components"]["schemas"]["Recommendation"]["properties"]
    assert properties["title_es"]["description"].startswith("The short title in Spanish")


def test_the_data_page_names_the_languages_of_the_columns(client, settings):
    settings.LANGUAGES = VIETNAMESE
    html = " ".join(
        re.sub(r"<[^>]+>", " ", client.get(reverse("exports:data")).getvalue().decode()).split()
    )
    assert "two columns" not in html
    assert "_es (Spanish), _vi (Vietnamese)" in html
