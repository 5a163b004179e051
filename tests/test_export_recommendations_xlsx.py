"""/export/recommendations.xlsx, read back with openpyxl as a spreadsheet program would."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from exports.columns import COUNTING_RULES, RECOMMENDATION_COLUMNS, SUMMARY_COLUMNS
from plans.models import City
from recommendations.models import Recommendation, Topic
from tests.factories import (
    PartyFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    status,
)

pytestmark = pytest.mark.django_db

D = datetime.date
URL = reverse("exports:recommendations-xlsx")


def workbook(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return load_workbook(io.BytesIO(response.content))


def records(sheet):
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_it_is_an_xlsx_download_named_with_the_as_of_date(client, okc):
    response = client.get(URL, {"as_of": "2025-10-01"})
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="okc-recommendations-2025-10-01.xlsx"'
    )
    response = client.get(URL, {"as_of": "2025-10-01", "plan": "okc-2022"})
    assert response["Content-Disposition"] == (
        'attachment; filename="okc-okc-2022-recommendations-2025-10-01.xlsx"'
    )


def test_it_has_the_recommendations_a_summary_by_topic_and_notes(client):
    assert workbook(client).sheetnames == ["Recommendations", "Summary by topic", "Notes"]


def test_dates_are_real_date_cells_or_as_precise_as_they_are_known(client):
    rec = RecommendationFactory(estimated_completion=D(2026, 3, 1))
    StatusUpdateFactory(
        recommendation=rec,
        status=status("planning"),
        effective_date=D(2024, 5, 1),
        date_precision="month",
    )
    sheet = workbook(client)["Recommendations"]
    header = [cell.value for cell in sheet[1]]
    start = sheet.cell(row=2, column=header.index("start_date") + 1)
    assert start.value == "2024-05"  # only the month is known: never shown as May 1
    assert sheet.cell(row=2, column=header.index("start_date_precision") + 1).value == "month"
    target = sheet.cell(row=2, column=header.index("estimated_completion") + 1)
    assert target.is_date and target.value == datetime.datetime(2026, 3, 1)
    assert target.number_format == "mmmm yyyy"  # shown as the month, like the public pages


def test_the_header_row_is_frozen_on_every_table(client):
    book = workbook(client)
    assert book["Recommendations"].freeze_panes == "A2"
    assert book["Summary by topic"].freeze_panes == "A2"


def test_the_rows_match_the_published_recommendations(client, okc):
    exported = records(workbook(client)["Recommendations"])
    assert list(exported[0]) == [column.name for column in RECOMMENDATION_COLUMNS]
    expected = Recommendation.objects.published().with_progress().order_by("plan__order", "order")
    assert [row["code"] for row in exported] == [rec.code for rec in expected]
    for row, rec in zip(exported, expected, strict=True):
        assert row["phase"] == rec.current_phase
        assert row["progress"] == rec.current_progress  # a number, not text


def test_the_summary_sheet_has_the_counts_as_of_the_date(client, okc):
    as_of = D(2024, 1, 1)
    summary = records(workbook(client, as_of="2024-01-01")["Summary by topic"])
    assert list(summary[0]) == [column.name for column in SUMMARY_COLUMNS]
    overall = Recommendation.objects.published().progress(as_of)
    assert (summary[0]["total"], summary[0]["started"], summary[0]["implemented"]) == (
        overall.total,
        overall.started,
        overall.implemented,
    )
    by_topic = Recommendation.objects.published().progress_by_topic(as_of)
    for row in summary[1:]:
        assert row["started"] == by_topic[Topic.objects.get(slug=row["topic_slug"]).pk].started


def test_the_notes_say_when_it_was_generated_the_as_of_date_and_how_counts_work(client, okc):
    notes = workbook(client, as_of="2024-01-01", phase="implemented")["Notes"]
    labelled = {}
    for label, value in notes.iter_rows(values_only=True):
        labelled.setdefault(label, []).append(value)
    assert labelled["Title"] == [f"{City.current().partnership_name}: progress report"]
    assert labelled["As of"] == [datetime.datetime(2024, 1, 1)]
    assert isinstance(labelled["Generated at"][0], datetime.datetime)
    assert labelled["Filters"] == ["phase=implemented"]
    assert labelled["How counts are computed"] == COUNTING_RULES
    assert labelled["This file"][0].endswith("?as_of=2024-01-01&phase=implemented")


def test_text_that_looks_like_a_formula_stays_text(client):
    party = PartyFactory(name="+1-555", slug="phone")
    RecommendationFactory(title='=HYPERLINK("http://evil.example","click")', leads=[party])
    sheet = workbook(client)["Recommendations"]
    header = [cell.value for cell in sheet[1]]
    title = sheet.cell(row=2, column=header.index("title") + 1)
    assert title.data_type == "s"
    assert title.value == '=HYPERLINK("http://evil.example","click")'
    leads = sheet.cell(row=2, column=header.index("leads") + 1)
    assert (leads.data_type, leads.value) == ("s", "+1-555")


def test_parties_are_one_cell_of_names(client):
    police, city = (
        PartyFactory(name="Police", slug="police"),
        PartyFactory(name="City", slug="city"),
    )
    RecommendationFactory(leads=[police, city])
    (row,) = records(workbook(client)["Recommendations"])
    assert row["leads"] == "City; Police"
    assert row["supports"] is None  # an empty cell


def test_control_characters_that_xlsx_cannot_hold_are_dropped_not_fatal(client):
    topic = TopicFactory(name="Bell\x07 topic")
    RecommendationFactory(topic=topic, title="Tab\tand bell\x07")
    row = records(workbook(client)["Recommendations"])[0]
    assert row["title"] == "Tab\tand bell"
    assert row["topic"] == "Bell topic"
