"""Staff reach the exports from the admin: the report link, and "export selected as CSV"."""

import csv
import io

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from exports.actions import export_selected_as_csv
from exports.columns import RECOMMENDATION_COLUMNS
from plans.models import City
from recommendations.models import Recommendation
from tests.factories import RecommendationFactory, StatusUpdateFactory, status

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:recommendations_recommendation_changelist")


def export(client, recs):
    return client.post(
        CHANGELIST,
        {"action": "export_selected_as_csv", helpers.ACTION_CHECKBOX_NAME: [r.pk for r in recs]},
    )


def rows(response):
    """The file's rows; `response` may be the body already read."""
    body = response if isinstance(response, bytes) else response.getvalue()
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_the_admin_home_links_the_report_and_the_downloads(manager_client):
    html = manager_client.get(reverse("admin:index")).getvalue().decode()
    assert f'href="{reverse("exports:report")}"' in html
    assert f'href="{reverse("exports:data")}"' in html


def test_the_manager_exports_exactly_the_selected_recommendations(manager_client):
    chosen = RecommendationFactory(code="5", order=5)
    StatusUpdateFactory(recommendation=chosen, status=status("planning"), note="Plan written.")
    draft = RecommendationFactory(code="6", order=6, is_published=False)
    RecommendationFactory(code="7", order=7)
    response = export(manager_client, [draft, chosen])
    assert response.status_code == 200
    prefix = City.current().export_prefix
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{prefix}-recommendations-selected-'
    )
    exported = rows(response)
    assert list(exported[0]) == [c.name for c in RECOMMENDATION_COLUMNS] + ["published"]
    assert [
        (r["code"], r["published"], r["status"], r["latest_update_note"], r["leads"])
        for r in exported
    ] == [
        ("5", "yes", "Planning", "Plan written.", "City"),
        ("6", "no", "", "", "City"),
    ]


def test_the_action_cell_values_are_neutralised_too(manager_client):
    rec = RecommendationFactory(title='=HYPERLINK("http://x")')
    (row,) = rows(export(manager_client, [rec]))
    assert row["title"] == '\'=HYPERLINK("http://x")'


def test_anonymous_visitors_cannot_run_the_action(client):
    rec = RecommendationFactory()
    response = export(client, [rec])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("size", [39, 400])
def test_the_action_runs_a_fixed_number_of_queries(
    rf, make_portfolio, django_assert_num_queries, size
):
    make_portfolio(size)
    # 1 the selected recommendations with every figure, their plan and topic, 2 the status
    # scale, 3 their parties, 4 the city (the file name's prefix).
    with django_assert_num_queries(4):
        response = export_selected_as_csv(None, rf.get("/"), Recommendation.objects.with_progress())
        body = response.getvalue()  # streamed: the rows are read as it is sent
    assert len(rows(body)) == size
