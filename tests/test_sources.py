"""Sources and evidence: labelled links on status records and milestones, edited in the admin,
shown beside the record, listed in the exports and the API, refused unless http(s)."""

import csv
import io

import pytest
from django.urls import reverse

from recommendations.models import StatusUpdate
from tests.admin_forms import form_data
from tests.factories import MilestoneFactory, RecommendationFactory, StatusUpdateFactory, status

AGENDA = {"label": "Council agenda, item 8", "url": "https://www.okc.gov/agenda/8"}
POLICY = {"label": "Use of force policy", "url": "http://example.org/policy.pdf"}


@pytest.fixture
def rec(db):
    return RecommendationFactory(code="5", title="Warnings before force")


def rec_url(rec):
    return reverse("admin:recommendations_recommendation_change", args=[rec.pk])


def add_row(client, rec, **values):
    data = form_data(client.get(rec_url(rec)))
    row = f"status_updates-{int(data['status_updates-TOTAL_FORMS']) - 1}"
    data.update({f"{row}-{name}": str(value) for name, value in values.items()})
    return client.post(rec_url(rec), data)


def new_record(client, rec, sources):
    return add_row(
        client,
        rec,
        status=status("planning").pk,
        effective_date="2024-02-01",
        note="An action plan was adopted.",
        sources=sources,
    )


def test_the_manager_adds_labelled_sources_one_per_line(manager_client, rec):
    response = new_record(
        manager_client,
        rec,
        "Council agenda, item 8 | https://www.okc.gov/agenda/8\n\n"
        "  Use of force policy|http://example.org/policy.pdf  \n"
        "https://www.kosu.org/news/1",
    )
    assert response.status_code == 302
    kosu = {"label": "kosu.org", "url": "https://www.kosu.org/news/1"}
    assert StatusUpdate.objects.get().sources == [AGENDA, POLICY, kosu]


@pytest.mark.parametrize(
    "line",
    [
        "Minutes | javascript:alert(1)",
        "Minutes | ftp://files.okc.gov/minutes.pdf",
        "Minutes | okc.gov/minutes",
        " | https://www.okc.gov/minutes",
    ],
)
def test_a_source_the_public_could_not_follow_is_refused_and_nothing_is_saved(
    manager_client, rec, line
):
    response = new_record(
        manager_client, rec, f"Council agenda, item 8 | https://www.okc.gov/agenda/8\n{line}"
    )
    page = response.content.decode()
    assert response.status_code == 200
    summary = page[page.index('id="error-summary"') :].split("</div>")[0]
    assert 'href="#id_status_updates-0-sources"' in summary
    assert "Line 2:" in summary
    assert not StatusUpdate.objects.exists()
    rec.refresh_from_db()
    assert rec.version == 1


def test_sources_are_shown_beside_the_record_on_the_public_page(client, rec):
    update = StatusUpdateFactory(recommendation=rec, sources=[AGENDA, POLICY])
    page = client.get(rec.get_absolute_url()).content.decode()
    entry = page[page.index(f'id="update-{update.pk}"') :].split("</li>")[0]
    assert "Sources:" in entry
    assert (
        '<a href="https://www.okc.gov/agenda/8" rel="external">Council agenda, item 8</a>' in entry
    )
    assert '<a href="http://example.org/policy.pdf" rel="external">Use of force policy</a>' in entry


def test_on_a_spanish_page_the_labels_are_tagged_as_english(client, rec):
    StatusUpdateFactory(recommendation=rec, sources=[AGENDA])
    page = client.get("/es" + rec.get_absolute_url()).content.decode()
    assert "Fuente:" in page
    assert (
        '<a href="https://www.okc.gov/agenda/8" rel="external" lang="en">Council agenda, item 8</a>'
        in page
    )


def test_a_record_without_sources_says_nothing_about_them(client, rec):
    update = StatusUpdateFactory(recommendation=rec)
    page = client.get(rec.get_absolute_url()).content.decode()
    entry = page[page.index(f'id="update-{update.pk}"') :].split("</li>")[0]
    assert "Source" not in entry


def test_adding_a_source_later_is_saved_and_audited_but_is_not_a_correction(manager_client, rec):
    update = StatusUpdateFactory(recommendation=rec)
    data = form_data(manager_client.get(rec_url(rec)))
    row = next(
        k.removesuffix("-id")
        for k, v in data.items()
        if k.startswith("status_updates-") and k.endswith("-id") and v == str(update.pk)
    )
    data[f"{row}-sources"] = f"{AGENDA['label']} | {AGENDA['url']}"
    assert manager_client.post(rec_url(rec), data).status_code == 302
    update.refresh_from_db()
    assert update.sources == [AGENDA]
    assert update.corrected_at is None
    assert update.history.first().sources == [AGENDA]
    rec.refresh_from_db()
    assert rec.history.first().history_change_reason.startswith("Status record changed")


def test_the_updates_file_and_the_api_list_the_sources(client, rec):
    StatusUpdateFactory(recommendation=rec, sources=[AGENDA, POLICY])
    body = client.get(reverse("exports:updates-csv")).getvalue().decode()
    (row,) = csv.DictReader(io.StringIO(body.lstrip("\ufeff")))
    assert row["sources"] == (
        "Council agenda, item 8 <https://www.okc.gov/agenda/8>; "
        "Use of force policy <http://example.org/policy.pdf>"
    )
    api = client.get(reverse("exports:api-recommendation", args=[rec.plan.slug, rec.code])).json()
    assert api["result"]["history"][0]["sources"] == [AGENDA, POLICY]


def test_milestones_carry_their_sources_in_the_api(client, db):
    MilestoneFactory(title="Board created", sources=[AGENDA])
    (milestone,) = client.get(reverse("exports:api-milestones")).json()["results"]
    assert milestone["sources"] == [AGENDA]
