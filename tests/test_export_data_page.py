"""/data/: the field dictionary of every download and API resource."""

import csv
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from exports.columns import (
    HISTORY_COLUMNS,
    MILESTONE_COLUMNS,
    PLAN_COLUMNS,
    STATUS_COLUMNS,
    SUMMARY_COLUMNS,
    TOPIC_COLUMNS,
    UPDATE_COLUMNS,
)
from plans.models import Party, Plan
from recommendations.models import Recommendation, Status, Topic
from tests.factories import (
    PartyFactory,
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def data_page(client):
    response = client.get(reverse("exports:data"))
    assert response.status_code == 200
    return response.getvalue().decode()


def documented(html, heading):
    """The column names listed in the field table under a heading."""
    start = html.index(f">{heading}</h3>")
    table = html[start : html.index("</table>", start)]
    return re.findall(r'<th scope="row"><code>([^<]+)</code></th>', table)


def header(client, name):
    response = client.get(reverse(name))
    return next(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


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
    assert documented(html, "Plan") == [c.name for c in PLAN_COLUMNS]
    assert documented(html, "History entry") == [c.name for c in HISTORY_COLUMNS]
    assert documented(html, "Topic") == [c.name for c in TOPIC_COLUMNS]
    assert documented(html, "Status") == [c.name for c in STATUS_COLUMNS]
    assert documented(html, "Milestone") == [c.name for c in MILESTONE_COLUMNS]
    assert documented(html, "Summary row") == [
        c.name for c in SUMMARY_COLUMNS if c.name not in ("as_of", "filters")
    ]
    assert set(documented(html, "Recommendation")) >= {"plan", "code", "leads", "text", "details"}
    history = [c.name for c in HISTORY_COLUMNS]
    assert [c.name for c in UPDATE_COLUMNS][-len(history) :] == history


def test_it_documents_what_the_api_sends(client, okc):
    """The field tables and the API objects agree, name for name and in order."""
    html = data_page(client)
    plans = client.get(reverse("exports:api-plans")).json()["results"]
    assert documented(html, "Plan") == list(plans[0])
    recommendation = client.get(reverse("exports:api-recommendations")).json()["results"][0]
    assert documented(html, "Recommendation") + ["history"] == list(recommendation)
    summary = client.get(reverse("exports:api-summary")).json()
    assert documented(html, "Summary row") == list(summary["overall"])


def test_it_lists_the_values_each_filter_takes(client, okc):
    call_command("loaddata", "pilots", verbosity=0)
    html = data_page(client)
    for plan in Plan.objects.published():
        assert f"<code>{plan.slug}</code>" in html
    for topic in Topic.objects.all():
        assert f"<code>{topic.slug}</code>" in html
    for status in Status.objects.all():
        assert f"<code>{status.slug}</code>" in html
    assert "<code>started</code>" in html
    for party in Party.objects.leading(Recommendation.objects.published()):
        assert f"<code>{party.slug}</code> ({party.name})" in html


def test_it_links_the_openapi_document_and_the_report(client):
    html = data_page(client)
    assert f'href="{reverse("exports:api-openapi")}"' in html
    assert f'href="{reverse("exports:report")}"' in html


def test_unpublished_leads_plans_and_topics_are_not_revealed(client):
    secret = PartyFactory(name="Secret task force", slug="secret-task-force")
    RecommendationFactory(leads=[secret], is_published=False)
    draft = PlanFactory(slug="draft-plan", is_published=False)
    TopicFactory(plan=draft, slug="draft-topic")
    html = data_page(client)
    assert "secret-task-force" not in html
    assert "draft-plan" not in html
    assert "draft-topic" not in html
