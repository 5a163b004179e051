"""/export/recommendations.csv: one row per published recommendation, as of a date."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from exports.columns import RECOMMENDATION_COLUMNS
from plans.models import City, Party, Plan
from recommendations.models import Recommendation, Responsibility, Role
from tests.factories import (
    PartyFactory,
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    status,
)

pytestmark = pytest.mark.django_db

D = datetime.date
URL = reverse("exports:recommendations-csv")


def rows(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.getvalue()
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"), newline="")))


def record(rec, slug, date, note="Work moved forward."):
    return StatusUpdateFactory(
        recommendation=rec, status=status(slug), effective_date=date, note=note
    )


def test_the_file_is_utf8_with_a_byte_order_mark_so_excel_reads_accents(client):
    RecommendationFactory(title="Política de desescalada")
    response = client.get(URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.getvalue()
    assert body.startswith(b"\xef\xbb\xbf")
    assert "Política de desescalada" in body.decode("utf-8-sig")


def test_the_header_names_every_column_of_the_field_dictionary(client):
    RecommendationFactory()
    response = client.get(URL)
    header = next(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert header == [column.name for column in RECOMMENDATION_COLUMNS]


def test_the_file_name_starts_with_the_citys_prefix_and_carries_the_as_of_date(client, okc):
    prefix = City.current().export_prefix
    response = client.get(URL, {"as_of": "2025-10-01"})
    assert response["Content-Disposition"] == (
        f'attachment; filename="{prefix}-recommendations-2025-10-01.csv"'
    )


def test_without_as_of_the_file_name_carries_today(client, okc):
    today = timezone.localdate().isoformat()
    assert f"okc-recommendations-{today}.csv" in client.get(URL)["Content-Disposition"]


def test_the_prefix_follows_the_city_record(client):
    City.objects.create(name="Tulsa", partnership_name="Tulsa partnership", export_prefix="tulsa")
    assert 'filename="tulsa-recommendations-' in client.get(URL)["Content-Disposition"]


def test_one_plans_file_names_the_plan(client, okc):
    response = client.get(URL, {"plan": "okc-2022", "as_of": "2025-10-01"})
    assert response["Content-Disposition"] == (
        'attachment; filename="okc-okc-2022-recommendations-2025-10-01.csv"'
    )


def test_every_published_recommendation_appears_once_with_its_current_figures(client, okc):
    exported = {(row["plan"], row["code"]): row for row in rows(client)}
    expected = (
        Recommendation.objects.published()
        .for_public_list()
        .with_latest_note()
        .select_related("plan")
    )
    assert set(exported) == {(rec.plan.slug, rec.code) for rec in expected}
    for rec in expected:
        row = exported[rec.plan.slug, rec.code]
        assert row["status"] == (rec.current_status.name if rec.current_status else "")
        assert row["phase"] == rec.current_phase
        assert int(row["progress"]) == rec.current_progress
        assert row["latest_update_note"] == rec.latest_note
        assert row["url"] == f"http://testserver{rec.get_absolute_url()}"


def test_unpublished_recommendations_are_left_out(client):
    RecommendationFactory(code="1", is_published=False)
    RecommendationFactory(code="2")
    assert [row["code"] for row in rows(client)] == ["2"]


def test_recommendations_of_an_unpublished_plan_are_left_out(client):
    RecommendationFactory(code="1")
    RecommendationFactory(code="2", topic=TopicFactory(plan=PlanFactory(is_published=False)))
    assert [row["code"] for row in rows(client)] == ["1"]


def test_rows_run_in_plan_order_then_each_plans_order_so_10_comes_after_9(client):
    first, second = PlanFactory(slug="first", order=1), PlanFactory(slug="second", order=2)
    for plan, codes in [(second, ["B"]), (first, ["10", "9", "1"])]:
        topic = TopicFactory(plan=plan)
        for code in codes:
            RecommendationFactory(topic=topic, code=code, order=int(code) if code.isdigit() else 1)
    assert [(row["plan"], row["code"]) for row in rows(client)] == [
        ("first", "1"),
        ("first", "9"),
        ("first", "10"),
        ("second", "B"),
    ]


def test_the_state_as_of_a_date_follows_changes_and_regressions(client):
    rec = RecommendationFactory(code="7", estimated_completion=D(2023, 9, 1))
    record(rec, "planning", D(2023, 1, 1), note="Plan written.")
    record(rec, "full-implementation", D(2023, 6, 1), note="Done.")
    record(rec, "planning", D(2024, 1, 1), note="Reopened after review.")

    def row(as_of):
        (only,) = rows(client, as_of=as_of)
        return {
            k: only[k]
            for k in (
                "status",
                "phase",
                "start_date",
                "implemented_date",
                "latest_update_date",
                "latest_update_note",
                "overdue",
            )
        }

    assert row("2022-12-31") == {
        "status": "",
        "phase": "not-started",
        "start_date": "",
        "implemented_date": "",
        "latest_update_date": "",
        "latest_update_note": "",
        "overdue": "no",
    }
    # The end of the day: a record effective that day counts.
    assert row("2023-01-01") == {
        "status": "Planning",
        "phase": "in-progress",
        "start_date": "2023-01-01",
        "implemented_date": "",
        "latest_update_date": "2023-01-01",
        "latest_update_note": "Plan written.",
        "overdue": "no",
    }
    assert row("2023-12-31") == {
        "status": "Full Implementation",
        "phase": "implemented",
        "start_date": "2023-01-01",
        "implemented_date": "2023-06-01",
        "latest_update_date": "2023-06-01",
        "latest_update_note": "Done.",
        "overdue": "no",
    }
    # The regression: implemented no more, and by then past its target month.
    assert row("2024-01-01") == {
        "status": "Planning",
        "phase": "in-progress",
        "start_date": "2023-01-01",
        "implemented_date": "",
        "latest_update_date": "2024-01-01",
        "latest_update_note": "Reopened after review.",
        "overdue": "yes",
    }


def test_the_estimated_completion_is_a_month_as_the_public_pages_show_it(client):
    RecommendationFactory(estimated_completion=D(2026, 3, 1))
    (row,) = rows(client)
    assert row["estimated_completion"] == "2026-03"


def test_the_filters_of_the_public_list_apply(client, okc):
    implemented = rows(client, phase="implemented", topic="youth-outreach")
    expected = (
        Recommendation.objects.published()
        .with_progress()
        .filter(current_phase="implemented", topic__slug="youth-outreach")
    )
    assert sorted(row["code"] for row in implemented) == sorted(r.code for r in expected)
    assert implemented and all(row["topic_slug"] == "youth-outreach" for row in implemented)


def test_the_plan_filter_gives_that_plans_recommendations_only(client, okc):
    call_command("loaddata", "pilots", verbosity=0)
    for plan in Plan.objects.published():
        exported = rows(client, plan=plan.slug)
        expected = Recommendation.objects.published().in_plan(plan).order_by("order")
        assert [row["code"] for row in exported] == [rec.code for rec in expected]
        assert {row["plan"] for row in exported} == {plan.slug}


def test_without_a_plan_every_published_plan_is_in_the_file(client, okc):
    call_command("loaddata", "pilots", verbosity=0)
    exported = rows(client)
    assert [row["plan"] for row in exported] == [
        rec.plan.slug for rec in Recommendation.objects.published().select_related("plan")
    ]
    assert {row["plan"] for row in exported} == set(
        Plan.objects.published().values_list("slug", flat=True)
    )


def test_leads_and_supports_are_named_in_one_cell_each(client, okc):
    call_command("loaddata", "pilots", verbosity=0)
    opi = Party.objects.get(slug="opi")
    exported = {row["code"]: row for row in rows(client, plan="pilots")}
    assert exported["MH1"]["leads"] == opi.name
    assert exported["MH1"]["lead_slugs"] == "opi"
    assert opi.name in exported["RS"]["supports"].split("; ")
    assert opi.name not in exported["RS"]["leads"].split("; ")
    for code, row in exported.items():
        rec = Recommendation.objects.get(plan__slug="pilots", code=code)
        leads = Responsibility.objects.filter(recommendation=rec, role=Role.LEAD)
        assert row["leads"] == "; ".join(r.party.name for r in leads.order_by("party__name"))


def test_two_leads_are_both_named(client):
    police, city = (
        PartyFactory(name="Police", slug="police"),
        PartyFactory(name="City", slug="city"),
    )
    RecommendationFactory(leads=[police, city])
    (row,) = rows(client)
    assert row["leads"] == "City; Police"
    assert row["lead_slugs"] == "city; police"
    assert row["supports"] == ""


def test_the_lead_filter_takes_a_party_slug(client, okc):
    call_command("loaddata", "pilots", verbosity=0)
    exported = rows(client, lead="opi")
    expected = Recommendation.objects.published().filter(
        responsibilities__party__slug="opi", responsibilities__role=Role.LEAD
    )
    assert sorted(row["code"] for row in exported) == sorted(rec.code for rec in expected)
    assert all("opi" in row["lead_slugs"].split("; ") for row in exported)
