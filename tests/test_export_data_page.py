"""/data/: the field dictionary of every download and API resource."""

import csv
import io
import re

import pytest
from django.urls import reverse

from exports.columns import (
    HISTORY_COLUMNS,
    MILESTONE_COLUMNS,
    STATUS_COLUMNS,
    SUMMARY_COLUMNS,
    TOPIC_COLUMNS,
    UPDATE_COLUMNS,
)
from recommendations.models import Status, Topic
from tests.factories import RecommendationFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db


def data_page(client):
    response = client.get(reverse("exports:data"))
    assert response.status_code == 200
    return response.content.decode()


def documented(html, heading):
    """The column names listed in the field table under a heading."""
    start = html.index(f">{heading}</h3>")
    table = html[start : html.index("</table>", start)]
    return re.findall(r'<th scope="row"><code>([^<]+)</code></th>', table)


def header(client, name):
    response = client.get(reverse(name))
    return next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("heading", "download"),
    [
        ("Recommendations", "exports:recommendations-csv"),
        ("Status updates", "exports:updates-csv"),
        ("Summary", "exports:summary-csv"),
    ],
)
def test_every_column_of_every_download_is_documented_in_order(client, heading, download):
    StatusUpdateFactory(recommendation=RecommendationFactory())
    assert documented(data_page(client), heading) == header(client, download)


def test_every_api_object_is_documented(client):
    html = data_page(client)
    assert documented(html, "History entry") == [c.name for c in HISTORY_COLUMNS]
    assert documented(html, "Topic") == [c.name for c in TOPIC_COLUMNS]
    assert documented(html, "Status") == [c.name for c in STATUS_COLUMNS]
    assert documented(html, "Milestone") == [c.name for c in MILESTONE_COLUMNS]
    assert documented(html, "Summary row") == [c.name for c in SUMMARY_COLUMNS]
    assert set(documented(html, "Recommendation")) >= {"text", "details"}
    assert [c.name for c in UPDATE_COLUMNS][-len(HISTORY_COLUMNS) :] == [
        c.name for c in HISTORY_COLUMNS
    ]


def test_it_lists_the_values_each_filter_takes(client, okc):
    html = data_page(client)
    for topic in Topic.objects.all():
        assert f"<code>{topic.slug}</code>" in html
    for status in Status.objects.all():
        assert f"<code>{status.slug}</code>" in html
    assert "<code>started</code>" in html
    assert "<code>OKCPD</code>" in html


def test_it_links_the_openapi_document_and_the_report(client):
    html = data_page(client)
    assert f'href="{reverse("exports:api-openapi")}"' in html
    assert f'href="{reverse("exports:report")}"' in html


def test_unpublished_leads_are_not_revealed(client):
    RecommendationFactory(lead="Secret task force", is_published=False)
    assert "Secret task force" not in data_page(client)
