"""The long downloads stream as they are written, a chunk of rows at a time, and arrive whole:
through the page cache (which passes them by rather than holding them), and in the address's
language even though the rows are written after the view has returned."""

import csv
import io

import pytest
from django.urls import reverse

from exports import writers
from recommendations.models import Recommendation, StatusUpdate

pytestmark = pytest.mark.django_db

STREAMED = ["exports:recommendations-csv", "exports:updates-csv"]


def read(response):
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"), newline="")))


@pytest.fixture
def small_chunks(monkeypatch):
    # Many chunks and many pieces from the Oklahoma City data.
    monkeypatch.setattr(writers, "CHUNK_SIZE", 7)
    monkeypatch.setattr(writers, "CSV_PIECE", 512)


@pytest.mark.parametrize("name", STREAMED)
def test_long_files_are_streamed_in_pieces(client, okc, small_chunks, name):
    response = client.get(reverse(name))
    assert response.streaming
    assert "Content-Length" not in response
    assert response["Content-Disposition"].startswith('attachment; filename="okc-')
    pieces = list(response.streaming_content)
    assert len(pieces) > 1
    assert pieces[0].startswith(b"\xef\xbb\xbf")  # the byte order mark, once, first
    assert sum(piece.count(b"\xef\xbb\xbf") for piece in pieces) == 1


def test_every_recommendation_arrives_once_in_order(client, okc, small_chunks):
    rows = read(client.get(reverse("exports:recommendations-csv")))
    expected = Recommendation.objects.published().order_by("plan__order", "order")
    assert [(row["plan"], row["code"]) for row in rows] == [
        (rec.plan.slug, rec.code) for rec in expected
    ]
    # The parties come from a prefetch per chunk: every row has its own.
    assert all(row["leads"] for row in rows)


def test_every_status_record_arrives_once(client, okc, small_chunks):
    rows = read(client.get(reverse("exports:updates-csv")))
    assert len(rows) == StatusUpdate.objects.published().count()
    keys = {(r["plan"], r["recommendation_code"], r["recorded_at"], r["note"]) for r in rows}
    assert len(keys) == len(rows)


def test_the_page_cache_passes_a_stream_by_without_holding_it(client, okc, page_cache):
    url = reverse("exports:recommendations-csv")
    first, again = client.get(url), client.get(url)
    assert first.streaming and again.streaming  # neither buffered nor served from the cache
    assert "X-Page-Cache" not in again
    assert read(first) == read(again)
    assert len(read(client.get(url))) == Recommendation.objects.published().count()


def test_a_stream_keeps_the_language_of_its_address(client, okc, small_chunks):
    rows = read(client.get("/es/export/recommendations.csv"))
    assert all(row["url"].startswith("http://testserver/es/") for row in rows)
