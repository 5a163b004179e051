"""CSV cells a spreadsheet would run as a formula are neutralised, and every other cell
round-trips exactly, for generated hostile strings (property-based, with hypothesis)."""

import csv
import io

import pytest
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from exports.columns import TEXT, Column
from exports.writers import FORMULA_STARTS, csv_text, neutralise
from tests.factories import PartyFactory, RecommendationFactory, StatusUpdateFactory

# Strings built from the characters that break CSV files and spreadsheets, plus any text.
HOSTILE_CHARS = st.sampled_from(list("=+-@\t\r\n,;\"' |!") + ["\u00e9", "\u202e", "\ufeff", "😀"])
HOSTILE = st.lists(st.one_of(HOSTILE_CHARS, st.characters()), max_size=40).map("".join)
CELLS = [Column(f"c{i}", TEXT, "", lambda row, request, i=i: row[i]) for i in range(3)]


def parse(text):
    return list(csv.reader(io.StringIO(text, newline="")))


@given(st.lists(st.tuples(HOSTILE, HOSTILE, HOSTILE), max_size=5))
@example([("=1+1", "+SUM(A1)", "-2")])
@example([("@cmd", "\tTAB", "\rCR")])
@example([('"quoted", with comma', "multi\nline", "'already quoted")])
def test_every_cell_reads_back_as_written_or_neutralised(rows):
    header, *read = parse(csv_text(CELLS, rows, RequestFactory().get("/")))
    assert header == ["c0", "c1", "c2"]
    assert read == [[neutralise(cell) for cell in row] for row in rows]


@given(HOSTILE)
def test_no_neutralised_cell_starts_like_a_formula(text):
    assert not neutralise(text).startswith(FORMULA_STARTS)


@given(HOSTILE)
def test_neutralising_only_ever_adds_one_leading_quote(text):
    cell = neutralise(text)
    if text.startswith(FORMULA_STARTS):
        assert cell == "'" + text
    else:
        assert cell == text


# Through the real download: text saved in the database (which holds no NUL character).
STORED = HOSTILE.map(lambda text: text.replace("\x00", ""))


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=STORED.map(lambda text: text[:120]), lead=STORED, note=STORED)
@example(title="=cmd|' /C calc'!A0", lead="@SUM(1+1)*cmd|' /C calc'!A0", note="-2+3")
def test_the_recommendations_download_neutralises_hostile_text(client, title, lead, note):
    with transaction.atomic():
        party = PartyFactory(slug="hostile", name=lead[:200])
        rec = RecommendationFactory(title=title, leads=[party])
        StatusUpdateFactory(recommendation=rec, note=note)
        # Streamed: read within the transaction, as a server reads it within the request.
        body = client.get(reverse("exports:recommendations-csv")).getvalue()
        transaction.set_rollback(True)
    header, row = parse(body.decode("utf-8-sig"))
    cells = dict(zip(header, row, strict=True))
    assert cells["title"] == neutralise(title)
    assert cells["leads"] == neutralise(lead[:200])
    assert cells["latest_update_note"] == neutralise(note)
