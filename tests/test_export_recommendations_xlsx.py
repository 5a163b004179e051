"""/export/recommendations.xlsx, read back with openpyxl as a spreadsheet program would."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from exports.columns import (
    COUNTING_RULES,
    SPREADSHEET_RECOMMENDATION_COLUMNS,
    SUMMARY_COLUMNS,
    name_for_heading,
)
from plans.models import City
from recommendations.models import Recommendation, Topic
from recommendations.trajectory import monthly_progress
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
    assert response.status_code == 200, response.getvalue()
    return load_workbook(io.BytesIO(response.getvalue()))


def records(sheet, columns=SPREADSHEET_RECOMMENDATION_COLUMNS):
    """The rows as {column name: value}, read through the headings people see."""
    header, *rows = sheet.iter_rows(values_only=True)
    names = {column.heading: column.name for column in columns}
    return [dict(zip([names[h] for h in header], row, strict=True)) for row in rows]


def cell(sheet, row, name, columns=SPREADSHEET_RECOMMENDATION_COLUMNS):
    header = [c.value for c in sheet[1]]
    heading = next(column.heading for column in columns if column.name == name)
    return sheet.cell(row=row, column=header.index(heading) + 1)


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


def test_it_opens_on_an_overview_then_the_recommendations_the_summary_and_notes(client):
    assert workbook(client).sheetnames == [
        "Overview",
        "Recommendations",
        "Summary by topic",
        "Notes",
    ]


def test_dates_are_real_date_cells_or_as_precise_as_they_are_known(client):
    rec = RecommendationFactory(estimated_completion=D(2026, 3, 1))
    StatusUpdateFactory(
        recommendation=rec,
        status=status("planning"),
        effective_date=D(2024, 5, 1),
        date_precision="month",
    )
    sheet = workbook(client)["Recommendations"]
    start = cell(sheet, 2, "start_date")
    assert start.value == "2024-05"  # only the month is known: never shown as May 1
    assert cell(sheet, 2, "start_date_precision").value == "month"
    target = cell(sheet, 2, "estimated_completion")
    assert target.is_date and target.value == datetime.datetime(2026, 3, 1)
    assert target.number_format == "mmmm yyyy"  # shown as the month, like the public pages
    # March 2026 has passed and it is not implemented: a real yes/no cell, which the
    # spreadsheet names in its reader's language.
    assert cell(sheet, 2, "overdue").value is True


def test_the_header_row_is_frozen_filterable_and_printed_on_every_page(client):
    RecommendationFactory.create_batch(3)
    book = workbook(client)
    for name in ("Recommendations", "Summary by topic"):
        sheet = book[name]
        last = f"{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert sheet.auto_filter.ref == f"A1:{last}"  # every row and column
        assert sheet.freeze_panes == "A2"
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.orientation == "landscape"
        assert all(c.font.bold and c.alignment.wrap_text for c in sheet[1])
    assert book["Recommendations"].max_row == 3 + 1


def test_the_headings_are_words_not_field_names(client):
    RecommendationFactory()
    header = [c.value for c in workbook(client)["Recommendations"][1]]
    assert header[:4] == ["Plan", "Code", "Title", "Title (Spanish)"]
    assert "Official wording" in header and "Sources of the latest update" in header
    assert not any("_" in heading for heading in header)


def test_no_title_is_cut_and_long_texts_wrap(client, okc):
    sheet = workbook(client)["Recommendations"]
    titles = [c.value for c in sheet[cell(sheet, 1, "title").column_letter][1:]]
    longest = max(len(title) for title in titles)
    width = sheet.column_dimensions[cell(sheet, 1, "title").column_letter].width
    assert width >= longest
    spanish = [c.value or "" for c in sheet[cell(sheet, 1, "title_es").column_letter][1:]]
    assert sheet.column_dimensions[cell(sheet, 1, "title_es").column_letter].width >= max(
        len(title) for title in spanish
    )
    for name in ("code", "topic", "status", "latest_update_note"):
        letter = cell(sheet, 1, name).column_letter
        assert sheet.column_dimensions[letter].width >= len(cell(sheet, 1, name).value)
    assert cell(sheet, 2, "text").alignment.wrap_text


def test_the_official_wording_and_the_sources_are_in_the_file(client):
    rec = RecommendationFactory(text="The department should publish its use-of-force policy.")
    StatusUpdateFactory(
        recommendation=rec,
        status=status("planning"),
        sources=[{"label": "Council item 12", "url": "https://okc.gov/item-12"}],
    )
    (row,) = records(workbook(client)["Recommendations"])
    assert row["text"] == "The department should publish its use-of-force policy."
    assert row["latest_update_sources"] == "Council item 12 <https://okc.gov/item-12>"


def test_the_overview_gives_the_plan_the_date_the_filters_the_counts_and_the_months(client, okc):
    as_of = D(2024, 6, 30)
    overview = workbook(client, as_of="2024-06-30", phase="started")["Overview"]
    rows = [row for row in overview.iter_rows(values_only=True) if any(row)]
    labelled = {row[0]: row[1:] for row in rows}
    assert rows[0][0] == f"{City.current().partnership_name}: progress report"
    assert labelled["Plan"][0] == Recommendation.objects.first().plan.name
    assert labelled["As of"][0] == datetime.datetime(2024, 6, 30)
    assert labelled["Filters"][0] == "phase=started"
    counted = Recommendation.objects.published().filter(
        pk__in=Recommendation.objects.published()
        .with_current_phase(as_of)
        .filter(current_phase__in=["in-progress", "implemented"])
        .values("pk")
    )
    counts = counted.progress(as_of)
    assert labelled["Filtered: phase=started"][:3] == (
        counts.total,
        counts.started,
        counts.started_percent,
    )
    # The progress chart's figures, month by month, ending on the as-of day.
    series = monthly_progress(
        recommendations=counted,
        start=Recommendation.objects.first().plan.received_on,
        today=as_of,
    )
    month_rows = [row for row in rows if isinstance(row[0], datetime.datetime)]
    assert [(row[0].date(), row[1], row[2], row[3]) for row in month_rows] == [
        (point.day, point.total, point.started, point.implemented) for point in series
    ]
    assert month_rows[-1][0].date() == as_of


def test_the_rows_match_the_published_recommendations(client, okc):
    exported = records(workbook(client)["Recommendations"])
    assert list(exported[0]) == [column.name for column in SPREADSHEET_RECOMMENDATION_COLUMNS]
    expected = Recommendation.objects.published().with_progress().order_by("plan__order", "order")
    assert [row["code"] for row in exported] == [rec.code for rec in expected]
    for row, rec in zip(exported, expected, strict=True):
        assert row["phase"] == rec.current_phase
        assert row["progress"] == rec.current_progress  # a number, not text


def test_the_summary_sheet_has_the_counts_as_of_the_date(client, okc):
    as_of = D(2024, 1, 1)
    summary = records(workbook(client, as_of="2024-01-01")["Summary by topic"], SUMMARY_COLUMNS)
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
    title = cell(sheet, 2, "title")
    assert title.data_type == "s"
    assert title.value == '=HYPERLINK("http://evil.example","click")'
    leads = cell(sheet, 2, "leads")
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


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_every_heading_reads_back_as_its_column_name(client, prefix):
    """What a program reading the workbook (the import among them) relies on."""
    RecommendationFactory()
    response = client.get(f"{prefix}{URL}")
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[1]
    header = [c.value for c in sheet[1]]
    assert [name_for_heading(h) for h in header] == [
        c.name for c in SPREADSHEET_RECOMMENDATION_COLUMNS
    ]
