"""Many new status records at once (recommendations.services.record_status_updates, which the
spreadsheet import saves through): the same rules, version check and audit as single edits,
all or none; the search and the public pages see the records at once."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Recommendation, Status, StatusUpdate
from recommendations.services import (
    StatusUpdateRefused,
    record_status_update,
    record_status_updates,
)
from search.models import SearchDocument
from staff.imports import apply, preview_file
from tests.factories import restore_status_scale, status
from tests.public_pages import cards
from tests.test_import_progress import export_rows, implement, to_csv

TODAY = timezone.localdate
# The record's own fields, as its history rows keep them (not its id, recommendation or time).
RECORD_FIELDS = ["status_id", "effective_date", "date_precision", "progress", "note"]


def audit(rec):
    """What the history says of the latest status record added to `rec`: the record's history
    rows and the recommendation's latest one (who, why, and the fields kept)."""
    record = rec.status_updates.order_by("-pk").first()
    record_rows = [
        (row.history_type, row.history_user, row.history_change_reason)
        + tuple(getattr(row, f) for f in RECORD_FIELDS)
        for row in record.history.all()
    ]
    latest = rec.history.first()
    return {
        "created_by": record.created_by,
        "record": record_rows,
        "recommendation": (
            latest.history_type,
            latest.history_user,
            latest.history_change_reason,
        ),
    }


def saved_state():
    return (
        StatusUpdate.objects.count(),
        StatusUpdate.history.count(),
        Recommendation.history.count(),
        dict(Recommendation.objects.values_list("pk", "version")),
    )


@pytest.mark.django_db
def test_an_imported_record_has_the_same_audit_as_a_single_edit(client, okc, manager):
    single, imported = Recommendation.objects.filter(code__in=["2", "4"]).order_by("code")
    versions = (single.version, imported.version)
    record_status_update(
        recommendation=single,
        status=status("full-implementation"),
        effective_date=TODAY(),
        note="Recommendation 4 is in force.",
        user=manager,
        expected_recommendation_version=single.version,
    )
    rows = implement(export_rows(client), "4", note="Recommendation 4 is in force.")
    apply(preview_file(to_csv(rows), "edited.csv", user=manager), user=manager)

    single.refresh_from_db()
    imported.refresh_from_db()
    assert (single.version, imported.version) == (versions[0] + 1, versions[1] + 1)
    expected = audit(single)
    assert expected["created_by"] == manager
    assert expected["record"][0][:3] == ("+", manager, None)
    assert expected["recommendation"][:2] == ("~", manager)
    assert expected["recommendation"][2].startswith("Status record added: Full Implementation")
    assert audit(imported) == expected


@pytest.mark.django_db
def test_a_recommendation_changed_since_its_version_refuses_every_record(okc, manager, superuser):
    first, second = Recommendation.objects.filter(code__in=["2", "4"]).order_by("code")
    updates = [
        {
            "recommendation": rec,
            "status": status("evaluation"),
            "effective_date": TODAY(),
            "note": "Evaluated.",
            "expected_recommendation_version": rec.version,
        }
        for rec in (first, second)
    ]
    record_status_update(
        recommendation=Recommendation.objects.get(pk=second.pk),
        status=status("approaching-implementation"),
        effective_date=TODAY(),
        note="Someone else's update.",
        user=superuser,
    )
    state = saved_state()
    with pytest.raises(StatusUpdateRefused) as refused:
        record_status_updates(updates=updates, user=manager)
    assert refused.value.index == 1
    assert [error.code for error in refused.value.error_list] == ["stale"]
    assert "saved this recommendation" in str(refused.value)
    assert "after you opened it" in str(refused.value)
    assert saved_state() == state


@pytest.mark.django_db
def test_a_record_breaking_a_rule_of_single_edits_refuses_every_record(okc, manager):
    first, second = Recommendation.objects.filter(code__in=["2", "4"]).order_by("code")
    state = saved_state()
    with pytest.raises(StatusUpdateRefused) as refused:
        record_status_updates(
            updates=[
                {"recommendation": rec, "status": status("evaluation"), "note": note}
                | {"effective_date": TODAY()}
                for rec, note in [(first, "Evaluated."), (second, "")]
            ],
            user=manager,
        )
    assert refused.value.index == 1
    assert "every new status record needs a public note" in refused.value.message_dict["note"][0]
    assert saved_state() == state


@pytest.mark.django_db
def test_a_note_of_an_import_is_found_by_the_search_at_once(client, okc, manager):
    rows = implement(export_rows(client), "4", note="The zebrafish protocol took effect.")
    apply(preview_file(to_csv(rows), "edited.csv", user=manager), user=manager)
    response = client.get(reverse("pages:list"), {"q": "zebrafish"})
    assert response.status_code == 200
    assert cards(response) == ["4"]


# The page cache needs real commits.


@pytest.fixture
def committed_okc(transactional_db):
    if not Status.objects.exists():
        restore_status_scale()
    call_command("loaddata_if_empty", "okc", verbosity=0)


def implemented_count(response):
    return int(re.search(r'data-count="implemented">(\d+)<', response.content.decode())[1])


def test_the_public_pages_show_an_import_on_the_very_next_request(
    client, committed_okc, manager, page_cache
):
    rows = export_rows(client)
    header = rows[0]
    codes = [r[1] for r in rows[1:] if r[header.index("phase")] != "implemented"][:3]
    for code in codes:
        implement(rows, code)
    preview = preview_file(to_csv(rows), "edited.csv", user=manager)
    client.get("/")
    before = implemented_count(client.get("/"))  # from the cache

    apply(preview, user=manager)

    assert implemented_count(client.get("/")) == before + 3


@pytest.mark.django_db
def test_a_recommendation_without_search_documents_gets_them_with_the_new_note(
    client, okc, manager
):
    rec = Recommendation.objects.get(code="4")
    SearchDocument.objects.filter(recommendation=rec).delete()
    record_status_updates(
        updates=[
            {
                "recommendation": rec,
                "status": status("evaluation"),
                "effective_date": TODAY(),
                "note": "The zebrafish protocol took effect.",
            }
        ],
        user=manager,
    )
    for q in ("zebrafish", max(rec.title.split(), key=len)):
        response = client.get(reverse("pages:list"), {"q": q})
        assert "4" in cards(response)
