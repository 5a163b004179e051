"""/report.pdf: the report rendered as a PDF on the server (WeasyPrint), with the same content as
the HTML report, a page number and the as-of date on every page."""

import io
import re
from datetime import date
from html import unescape

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from exports.report import own_stylesheet
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db

URL = reverse("exports:report-pdf")
PARAMS = {"as_of": "2025-10-01", "since": "2022-01-01"}


def pdf_pages(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def main(response):
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def words(text):
    return " ".join(text.split())


def test_every_page_carries_its_number_of_the_total_and_the_as_of_date(client, okc):
    pages = pdf_pages(client.get(URL, PARAMS))
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        page = words(page)
        assert f"Page {number} of {len(pages)}" in page
        assert "Progress report as of Oct. 1, 2025" in page


def test_it_has_the_same_recommendations_and_counts_as_the_html_report(client, okc):
    html = client.get(reverse("exports:report"), PARAMS).content.decode()
    pdf = words(" ".join(pdf_pages(client.get(URL, PARAMS))))
    expected = Recommendation.objects.published().progress(date(2025, 10, 1))
    for name in ("total", "started", "implemented"):
        count = re.search(rf'data-count="{name}">(\d+)<', html).group(1)
        assert int(count) == getattr(expected, name)
    assert f"{expected.total} recommendations {expected.started} started" in pdf
    assert f"{expected.implemented} implemented" in pdf
    # Every recommendation of the HTML report, by its code and title, in the same order.
    shown = re.findall(r'<tr id="recommendation-[^"]+">\s*<th scope="row">([^<]+)</th>', html)
    assert len(shown) == expected.total
    # Compared without spaces: a title wrapped after a hyphen comes out as "mental- health".
    squeezed = "".join(pdf.split())
    positions = [squeezed.index("".join(unescape(title).split())) for title in shown]
    assert positions == sorted(positions)
    for heading in ("Status changes after", "Corrections made after", "How the figures are"):
        assert heading in pdf


def test_it_is_a_download_named_after_the_city_and_the_date(client, okc):
    response = client.get(URL, PARAMS)
    assert response["Content-Disposition"] == (
        'attachment; filename="okc-progress-report-2025-10-01.pdf"'
    )
    assert response.content.startswith(b"%PDF")


def test_the_spanish_pdf_is_in_spanish_with_its_accents(client, okc):
    pages = [words(page) for page in pdf_pages(client.get("/es" + URL, PARAMS))]
    for number, page in enumerate(pages, start=1):
        # "of" until the catalogue has these words.
        assert re.search(rf"\b{number} (de|of) {len(pages)}(?!\d)", page)
        assert "Informe de avance al 1 de octubre de 2025" in page
    assert "recomendaciones" in words(" ".join(pages))
    assert re.search(r"[áéíóúñ]", " ".join(pages))


def test_bad_parameters_get_the_same_400_as_the_html_report(client, okc):
    for params in ({"plan": "nowhere"}, {"since": "yesterday"}, {"colour": "red"}):
        pdf = client.get(URL, params)
        html = client.get(reverse("exports:report"), params)
        assert pdf.status_code == html.status_code == 400
        assert main(pdf) == main(html)


def test_a_scope_too_large_for_the_server_asks_for_a_plan_or_topic(client, okc, monkeypatch):
    monkeypatch.setattr("exports.report.PDF_MAX_RECOMMENDATIONS", 10)
    refused = client.get(URL)
    assert refused.status_code == 400
    assert "Choose a plan or a topic" in main(refused)
    narrowed = client.get(URL, {"topic": "communications-transparency"})
    assert narrowed.status_code == 200 and narrowed["Content-Type"] == "application/pdf"


def test_the_pdf_of_several_plans_names_every_plan(client, okc):
    call_command("loaddata", "pilots", verbosity=0)
    pdf = words(" ".join(pdf_pages(client.get(URL, {"since": "2022-01-01"}))))
    for code, title in Recommendation.objects.published().values_list("code", "title"):
        assert words(f"{code}. {title}") in pdf


@pytest.fixture
def limit_of_two(settings):
    settings.EXPENSIVE_REQUESTS_PER_MINUTE = 2
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_past_the_limit_for_expensive_requests_the_pdf_gets_a_429(client, okc, limit_of_two):
    # The quota spent on quick expensive requests (figures as of a day): a PDF takes seconds,
    # and the limit counts in one-minute windows.
    report = reverse("exports:report")
    assert [client.get(report, PARAMS).status_code for _ in range(2)] == [200, 200]
    response = client.get(URL)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert client.get("/es" + URL).status_code == 429  # the same client, in another language


def test_a_pdf_over_an_eighth_of_the_page_cache_is_served_but_not_kept(
    client, okc, page_cache, settings
):
    settings.PAGE_CACHE_MAX_BYTES = 64 * 1024  # the report's PDF is larger than 8 KB
    client.get(URL)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"


def test_the_pdf_reads_the_sites_own_stylesheets_from_disk_and_nothing_else(settings):
    body, content_type = own_stylesheet(f"{settings.STATIC_URL}exports/report.css")
    assert b"@page" in body and content_type == "text/css"
    margins, _type = own_stylesheet(reverse("exports:report-page-css", args=["2024-03-05"]))
    assert "March 5, 2024" in margins
    for elsewhere in ("/admin/", f"{settings.STATIC_URL}no/such.css"):
        with pytest.raises(ValueError):
            own_stylesheet(elsewhere)
