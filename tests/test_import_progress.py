"""The spreadsheet round trip (staff/imports.py and the import_progress command): the file of
/export/recommendations.csv or .xlsx, edited, becomes new status records and edits; a bad file
saves nothing and names each problem by row and column; the same file twice changes nothing."""

import codecs
import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from exports.columns import name_for_heading
from portal.caching import bump_public_version
from recommendations.models import Recommendation, StatusUpdate
from recommendations.services import record_status_update
from staff.imports import ImportRefused, apply, preview_file
from tests.factories import (
    PartyFactory,
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    status,
)

pytestmark = pytest.mark.django_db

CSV_URL = reverse("exports:recommendations-csv")
XLSX_URL = reverse("exports:recommendations-xlsx")
TODAY = timezone.localdate


# The file as the export gives it, and edited as a spreadsheet would save it.


def export_rows(client, **params):
    response = client.get(CSV_URL, params)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"), newline="")))


def to_csv(rows, *, encoding="utf-8-sig", delimiter=","):
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def edit(rows, code, /, **cells):
    header = rows[0]
    row = next(r for r in rows[1:] if r[header.index("code")] == code)
    for column, value in cells.items():
        row[header.index(column)] = value
    return rows


def implement(rows, code, note=None):
    """The row of `code` edited to a new record: Full Implementation today (the translations
    of the note emptied: they translated the previous one)."""
    translations = {c: "" for c in rows[0] if c.startswith("latest_update_note_")}
    return edit(
        rows,
        code,
        **translations,
        status="Full Implementation",
        progress="100",
        latest_update_date=TODAY().isoformat(),
        latest_update_date_precision="day",
        latest_update_note=note or f"Recommendation {code} is in force.",
    )


def not_implemented_codes(rows, count):
    header = rows[0]
    return [r[1] for r in rows[1:] if r[header.index("phase")] != "implemented"][:count]


def saved_state():
    """What an import could change: the status records and every recommendation's version."""
    return (
        StatusUpdate.objects.count(),
        dict(Recommendation.objects.values_list("pk", "version")),
    )


def preview_of(rows, **kwargs):
    return preview_file(to_csv(rows), "edited.csv", **kwargs)


def places(preview):
    return [(p.row, p.column) for p in preview.problems]


# The round trip.


def test_three_changed_statuses_are_three_new_records_and_the_same_file_again_is_nothing(
    client, okc, manager
):
    rows = export_rows(client)
    codes = not_implemented_codes(rows, 3)
    for code in codes:
        implement(rows, code)
    before = client.get(reverse("exports:api-summary")).json()["overall"]

    preview = preview_of(rows, user=manager)
    assert not preview.problems
    assert [r.recommendation.code for r in preview.new_records] == codes
    assert {r.status.slug for r in preview.new_records} == {"full-implementation"}
    assert preview.edits == [] and preview.ignored == []
    apply(preview, user=manager)

    after = client.get(reverse("exports:api-summary")).json()["overall"]
    assert after["implemented"] == before["implemented"] + 3
    for code in codes:
        record = StatusUpdate.objects.filter(recommendation__code=code).first()
        assert record.status.slug == "full-implementation"
        assert record.created_by == manager
        assert record.history.first().history_user == manager
        assert Recommendation.objects.get(code=code).history.first().history_user == manager

    state = saved_state()
    again = preview_of(rows, user=manager)
    assert not again.has_changes and not again.problems and not again.ignored
    apply(again, user=manager)
    assert saved_state() == state


def test_the_xlsx_export_edited_in_a_spreadsheet_round_trips_the_same_way(client, okc, manager):
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(XLSX_URL).getvalue()))
    sheet = workbook.worksheets[1]  # after the overview
    header = [name_for_heading(cell.value) for cell in sheet[1]]
    column = {name: header.index(name) + 1 for name in header}
    changed = []
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, column["phase"]).value == "implemented" or len(changed) == 3:
            continue
        changed.append(sheet.cell(row, column["code"]).value)
        sheet.cell(row, column["status"]).value = "Evaluation"
        sheet.cell(row, column["progress"]).value = 100
        # Typed into a spreadsheet, a date becomes a date cell.
        sheet.cell(row, column["latest_update_date"]).value = datetime.datetime.combine(
            TODAY(), datetime.time()
        )
        sheet.cell(row, column["latest_update_date_precision"]).value = "day"
        sheet.cell(row, column["latest_update_note"]).value = "Evaluated by the auditor."
        # The previous note's translations go with it (the new note is not translated yet).
        for name in column:
            if name.startswith("latest_update_note_"):
                sheet.cell(row, column[name]).value = None
    out = io.BytesIO()
    workbook.save(out)

    preview = preview_file(out.getvalue(), "edited.xlsx", user=manager)
    assert not preview.problems
    assert [r.recommendation.code for r in preview.new_records] == changed
    apply(preview, user=manager)
    assert preview_file(out.getvalue(), "edited.xlsx").has_changes is False


def test_an_unchanged_export_changes_nothing(client, okc):
    preview = preview_file(client.get(CSV_URL).getvalue(), "okc.csv")
    assert preview.rows == 39
    assert not preview.has_changes and not preview.problems and not preview.ignored


def test_a_file_edited_in_excel_with_its_dates_rewritten_and_semicolons_changes_nothing(
    client, okc
):
    # Excel (US) opens 2025-10 as a date and saves it back as Oct-25, a day as 9/15/2022.
    def as_excel_saves(value):
        try:
            day = datetime.date.fromisoformat(value)
            return f"{day.month}/{day.day}/{day.year}"
        except ValueError:
            pass
        if len(value) == 7 and value[4] == "-":
            return datetime.date(int(value[:4]), int(value[5:]), 1).strftime("%b-%y")
        return value

    rows = export_rows(client)
    rows = [rows[0], *([as_excel_saves(v) for v in row] for row in rows[1:])]
    preview = preview_file(to_csv(rows, delimiter=";"), "okc.csv")
    assert not preview.has_changes and not preview.problems and not preview.ignored


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "utf-16-be"],
    ids=["utf8", "utf8-bom", "cp1252", "utf16-bom", "utf16le-no-bom", "utf16be-no-bom"],
)
def test_a_file_saved_in_another_encoding_reads_its_accents_right(client, okc, encoding):
    rows = export_rows(client)
    code = not_implemented_codes(rows, 1)[0]
    implement(rows, code, note="Reunión pública: la política está en vigor.")
    # Excel's "Unicode text" is tab-separated UTF-16.
    delimiter = "\t" if encoding.startswith("utf-16") else ","
    preview = preview_file(to_csv(rows, encoding=encoding, delimiter=delimiter), "edited.csv")
    assert not preview.problems
    [record] = preview.new_records
    assert record.note == "Reunión pública: la política está en vigor."
    assert codecs.lookup(encoding)  # the parameter is a real encoding


def test_the_spanish_xlsx_reads_the_same(client, okc):
    response = client.get("/es/export/recommendations.xlsx")
    assert (
        openpyxl.load_workbook(io.BytesIO(response.getvalue())).sheetnames[0] != "Recommendations"
    )
    preview = preview_file(response.getvalue(), "okc.xlsx")
    assert preview.rows == 39 and not preview.has_changes and not preview.problems


def test_a_file_of_a_few_columns_is_enough(client, okc, manager):
    rows = implement(export_rows(client), "4")
    keep = ["plan", "code", "status", "progress", "latest_update_date", "latest_update_note"]
    columns = [rows[0].index(name) for name in keep]
    preview = preview_of([[row[i] for i in columns] for row in rows], user=manager)
    assert not preview.problems and not preview.ignored
    [record] = preview.new_records
    assert (record.recommendation.code, record.date_precision) == ("4", "day")


def test_a_first_status_record_for_a_recommendation_without_one(client, manager):
    RecommendationFactory(code="9")
    rows = export_rows(client)
    assert rows[1][rows[0].index("progress")] == "0"  # as the export writes "no record"
    assert not preview_of(rows).has_changes
    edit(rows, "9", status="Initiation", latest_update_date="2024-01", latest_update_note="Begun.")
    preview = preview_of(rows, user=manager)
    [record] = preview.new_records
    assert (record.progress, record.date_precision) == (0, "month")
    assert record.effective_date == datetime.date(2024, 1, 1)
    apply(preview, user=manager)
    assert not preview_of(rows).has_changes


def test_a_changed_title_and_translation_are_edits_of_the_recommendation(client, okc, manager):
    rows = edit(export_rows(client), "5", title="Roll-call training", title_es="Capacitación")
    preview = preview_of(rows, user=manager)
    [change] = preview.edits
    assert [c[0] for c in change.changes] == ["title", "title_es"]
    apply(preview, user=manager)
    rec = Recommendation.objects.get(code="5")
    assert rec.title == "Roll-call training"
    assert rec.translated("title", "es").text == "Capacitación"
    assert rec.history.first().history_user == manager
    assert not preview_of(rows).has_changes


def test_a_changed_note_translation_alone_is_an_edit_of_the_current_record(client, okc, manager):
    rows = edit(export_rows(client), "5", latest_update_note_es="La capacitación continúa.")
    preview = preview_of(rows, user=manager)
    assert not preview.new_records
    [change] = preview.edits
    assert change.record is not None
    apply(preview, user=manager)
    record = StatusUpdate.objects.filter(recommendation__code="5").first()
    assert record.translated("note", "es").text == "La capacitación continúa."
    assert record.corrected_at is None  # a translation is not a correction
    assert not preview_of(rows).has_changes


def test_changed_read_only_columns_are_listed_and_ignored(client, okc, manager):
    rows = edit(export_rows(client), "5", topic="Something else", start_date="1999-01")
    preview = preview_of(rows, user=manager)
    assert not preview.problems and not preview.has_changes
    assert {(i.row, i.column) for i in preview.ignored} == {(6, "topic"), (6, "start_date")}
    state = saved_state()
    apply(preview, user=manager)
    assert saved_state() == state


def test_a_formula_the_export_protected_with_an_apostrophe_is_read_as_text(client, manager):
    rec = RecommendationFactory(title="=HYPERLINK(1)")
    StatusUpdateFactory(recommendation=rec, note="-5 officers this year.")
    rows = export_rows(client)
    assert rows[1][rows[0].index("title")] == "'=HYPERLINK(1)"
    preview = preview_of(rows)
    assert not preview.has_changes and not preview.problems and not preview.ignored


# Bad files: every problem named by row and column, nothing saved.


def bad_row_file(client, **cells):
    """The export with one good change (row of code 2) and `cells` changed on code 4 (a new
    note there without the previous note's translations)."""
    rows = implement(export_rows(client), "2")
    if "latest_update_note" in cells:
        cells = {c: "" for c in rows[0] if c.startswith("latest_update_note_")} | cells
    return edit(rows, "4", **cells)


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"code": "999"}, "code", "no recommendation “999”"),
        ({"plan": "nowhere"}, "plan", "No plan “nowhere”"),
        ({"status": "Done", "latest_update_note": "Done."}, "status", "No status “Done”"),
        ({"leads": "Parks Department"}, "leads", "No party named “Parks Department”"),
        ({"lead_slugs": "parks"}, "lead_slugs", "No party with the identifier “parks”"),
        (
            {"latest_update_date": "2099-01-01", "latest_update_note": "Later."},
            "latest_update_date",
            "in the future",
        ),
        (
            {"latest_update_date": "1989-12-31", "latest_update_note": "Long ago."},
            "latest_update_date",
            "before 1990",
        ),
        (
            {"latest_update_date": "tomorrow", "latest_update_note": "Soon."},
            "latest_update_date",
            "is not a date",
        ),
        ({"progress": "80", "latest_update_note": "More."}, "progress", "30–69%"),
        ({"progress": "lots", "latest_update_note": "More."}, "progress", "not a progress"),
        (
            {"status": "Approaching Implementation", "progress": "", "latest_update_note": ""},
            "latest_update_note",
            "needs a public note",
        ),
        (
            {"status": "Approaching Implementation", "progress": ""},
            "latest_update_note",
            "note of the current record",
        ),
        ({"progress": "=40+1"}, "progress", "is a formula"),
        ({"latest_update_note": "@SUM(A1)"}, "latest_update_note", "is a formula"),
        (
            {"latest_update_date_precision": "roughly", "latest_update_note": "x"},
            "latest_update_date_precision",
            "not a precision",
        ),
        ({"status": ""}, "status", "deleted in the admin"),
        ({"title": ""}, "title", "needs a short title"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_saved(
    client, okc, manager, cells, column, words
):
    rows = bad_row_file(client, **cells)
    row = 1 + next(i for i, r in enumerate(rows) if r[1] == cells.get("code", "4"))
    state = saved_state()
    preview = preview_of(rows, user=manager)
    assert (row, column) in places(preview), preview.lines()
    assert any(words in p.message for p in preview.problems), preview.lines()
    assert len(preview.new_records) >= 1  # the good row is still previewed...
    with pytest.raises(ImportRefused):
        apply(preview, user=manager)
    assert saved_state() == state  # ...and nothing is saved


def test_the_same_recommendation_twice_is_a_problem(client, okc):
    rows = export_rows(client)
    rows.append(list(rows[1]))
    preview = preview_of(rows)
    assert (len(rows), "code") in places(preview)


def test_a_status_record_dated_before_the_current_one_is_refused(client, okc):
    rows = implement(export_rows(client), "4")
    edit(rows, "4", latest_update_date="2023-01-15")
    preview = preview_of(rows)
    [problem] = preview.problems
    assert (problem.row, problem.column) == (5, "latest_update_date")
    assert "would not be the latest" in problem.message


def test_a_stale_translation_of_the_previous_note_is_refused(client, okc):
    record = StatusUpdate.objects.filter(recommendation__code="4").first()
    record.set_translation("es", "note", "Hay un plan.")
    record.save()
    # A new note, and beside it the previous note's translation as exported.
    rows = edit(implement(export_rows(client), "4"), "4", latest_update_note_es="Hay un plan.")
    preview = preview_of(rows)
    assert [(p.row, p.column) for p in preview.problems] == [(5, "latest_update_note_es")]


def test_unknown_and_missing_columns_are_refused(client, okc):
    rows = export_rows(client)
    rows[0][rows[0].index("topic")] = "theme"
    rows[0][rows[0].index("code")] = "number"
    preview = preview_of(rows)
    assert (1, "theme") in places(preview)
    assert any("no “code” column" in p.message for p in preview.problems)
    assert not preview.has_changes


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not a CSV or XLSX"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV or XLSX"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "Excel 97-2003"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "not a CSV or XLSX"),
        ("empty.csv", b"", "no rows"),
    ],
)
def test_a_file_that_is_not_csv_or_xlsx_is_refused_with_a_reason(okc, name, data, words):
    preview = preview_file(data, name)
    [problem] = preview.problems
    assert words in problem.message
    assert not preview.has_changes


def test_a_formula_in_an_xlsx_cell_is_a_problem_and_is_not_run(client, okc):
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(XLSX_URL).getvalue()))
    sheet = workbook.worksheets[1]  # after the overview
    header = [name_for_heading(cell.value) for cell in sheet[1]]
    sheet.cell(3, header.index("progress") + 1).value = "=SUM(60,10)"
    out = io.BytesIO()
    workbook.save(out)
    preview = preview_file(out.getvalue(), "edited.xlsx")
    assert places(preview) == [(3, "progress")]
    assert preview.problems[0].letter == "Q"


def test_a_plan_given_refuses_rows_of_another_plan(client, okc):
    RecommendationFactory(topic=TopicFactory(plan=PlanFactory(slug="pilots")))
    rows = export_rows(client)
    preview = preview_of(rows, plan=Recommendation.objects.get(code="1").plan)
    assert [(p.row, p.column) for p in preview.problems] == [(len(rows), "plan")]


def test_the_public_page_cache_is_renewed_once_for_the_whole_import(
    client, okc, manager, django_capture_on_commit_callbacks
):
    rows = implement(implement(implement(export_rows(client), "2"), "4"), "6")
    preview = preview_of(rows, user=manager)
    with django_capture_on_commit_callbacks() as callbacks:
        apply(preview, user=manager)
    assert [c for c in callbacks if c is bump_public_version] == [bump_public_version]


# Between the preview and the confirmation.


def test_a_recommendation_changed_after_the_preview_is_refused_and_nothing_is_saved(
    client, okc, manager, superuser
):
    rows = implement(implement(export_rows(client), "2"), "4")
    preview = preview_of(rows, user=manager)
    rec = Recommendation.objects.get(code="4")
    record_status_update(
        recommendation=rec,
        status=status("approaching-implementation"),
        effective_date=TODAY(),
        note="Someone else's update.",
        user=superuser,
    )
    state = saved_state()
    with pytest.raises(ImportRefused) as refused:
        apply(preview, user=manager)
    assert refused.value.problems[0].row == 5
    assert "after you opened it" in str(refused.value)
    assert saved_state() == state


# The command.


@pytest.fixture
def edited_file(client, okc, tmp_path):
    path = tmp_path / "okc-recommendations.csv"
    path.write_bytes(to_csv(implement(implement(export_rows(client), "2"), "4")))
    return path


def test_dry_run_prints_the_preview_and_saves_nothing(edited_file):
    state, out = saved_state(), io.StringIO()
    call_command("import_progress", str(edited_file), "--dry-run", stdout=out)
    assert "2 new status records" in out.getvalue()
    assert "Row 3, okc-2022 2" in out.getvalue()
    assert "Dry run: nothing was saved." in out.getvalue()
    assert saved_state() == state


def test_the_command_saves_as_the_user_and_a_second_run_changes_nothing(edited_file, manager):
    out = io.StringIO()
    call_command("import_progress", str(edited_file), "--user", "manager", stdout=out)
    assert "Saved 2 new status record(s)" in out.getvalue()
    assert StatusUpdate.objects.filter(created_by=manager).count() == 2
    state, out = saved_state(), io.StringIO()
    call_command("import_progress", str(edited_file), "--user", "manager", stdout=out)
    assert "Nothing to change" in out.getvalue()
    assert saved_state() == state


def test_the_command_exits_non_zero_on_a_problem_and_saves_nothing(client, okc, tmp_path, manager):
    path = tmp_path / "bad.csv"
    path.write_bytes(to_csv(edit(implement(export_rows(client), "2"), "4", status="Done")))
    state, out = saved_state(), io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_progress", str(path), "--user", "manager", stdout=out)
    assert "Row 5, status (column M): No status “Done”" in out.getvalue()
    assert saved_state() == state


def test_the_command_needs_a_user_who_may_add_status_updates(edited_file):
    with pytest.raises(CommandError, match="--user"):
        call_command("import_progress", str(edited_file))
    PartyFactory()  # anything, so that the next line is not the first query
    with pytest.raises(CommandError, match="No active user"):
        call_command("import_progress", str(edited_file), "--user", "nobody")


def test_the_command_refuses_an_unknown_plan_and_a_missing_file(edited_file, tmp_path):
    with pytest.raises(CommandError, match="No plan 'nowhere'"):
        call_command("import_progress", str(edited_file), "--plan", "nowhere", "--dry-run")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_progress", str(tmp_path / "missing.csv"), "--dry-run")


# A bounded number of queries per row.

# The preview, whatever the number of rows:
PREVIEW_QUERIES = [
    "the plans",
    "the status scale",
    "the parties, to check the names in leads and supports",
    "the recommendations of the plans in the file, with every figure",
    "their current records with their status (prefetch)",
    "their parties (prefetch)",
    "every status record of those recommendations, for the figures before the current one",
]
# Saving, whatever the number of rows (up to BULK_BATCH of them, then as many again per batch):
APPLY_QUERIES = [
    "the import's savepoint",
    "record_status_updates' savepoint",
    "the recommendations locked",
    "their versions raised",
    "their history rows",
    "the new status records",
    "their history rows",
    "the search documents: which of them are all there",
    "the new notes' words added to them",
    "record_status_updates' savepoint released",
    "the import's savepoint released",
]


def test_the_preview_and_the_saving_run_a_fixed_number_of_queries_whatever_the_rows(
    client, manager, make_portfolio, django_assert_num_queries
):
    def file_changing_every_row(note):
        rows = export_rows(client)
        header = rows[0]
        for row in rows[1:]:
            edit(
                rows,
                row[header.index("code")],
                status="Planning",
                progress="",
                latest_update_date=TODAY().isoformat(),
                latest_update_note=note,
            )
        return to_csv(rows)

    def import_every_row(note):
        data = file_changing_every_row(note)
        with django_assert_num_queries(len(PREVIEW_QUERIES)):
            preview = preview_file(data, "edited.csv")
        assert not preview.problems
        with django_assert_num_queries(len(APPLY_QUERIES)):
            apply(preview, user=manager)
        return len(preview.new_records)

    make_portfolio(10)
    assert import_every_row("Planned.") == 10
    make_portfolio(30)  # 30 more: the file then has 40 rows, each with a new note
    assert import_every_row("Planned again.") == 40
    assert StatusUpdate.objects.filter(note="Planned again.", created_by=manager).count() == 40
