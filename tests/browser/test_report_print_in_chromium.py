"""The report printed from Chromium (Print, or "Save as PDF"): every page carries its number and
the report's as-of date in its margins, in the page's language."""

import io
import re

import pytest
from pypdf import PdfReader

from recommendations.models import Topic


def printed_pages(page, url):
    page.goto(url)
    pdf = page.pdf(format="Letter", prefer_css_page_size=True)
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.django_db(transaction=True)
def test_every_printed_page_has_its_number_and_the_as_of_date(live_server, page, okc):
    pages = printed_pages(page, live_server.url + "/report/?as_of=2025-10-01&since=2022-01-01")
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Progress report as of Oct. 1, 2025" in text
    # The summary fits the first page, down to the last topic's counts; the topics follow.
    last_topic = Topic.objects.filter(recommendations__is_published=True).order_by("number").last()
    assert "Summary" in pages[0] and f"{last_topic.number}. {last_topic.name}" in pages[0]
    topic_counts = re.compile(r"\d+ recommendations?: \d+ started")
    assert not topic_counts.search(pages[0]) and topic_counts.search(pages[1])
    assert all("Choose the dates" not in text for text in pages)


@pytest.mark.django_db(transaction=True)
def test_the_spanish_report_prints_its_margins_in_spanish(live_server, page, okc):
    pages = printed_pages(page, live_server.url + "/es/report/?as_of=2025-10-01")
    for number, text in enumerate(pages, start=1):
        # "of" until the catalogue has these words.
        assert re.search(rf"\b{number} (de|of) {len(pages)}(?!\d)", text)
        assert "Informe de avance al 1 de octubre de 2025" in text
