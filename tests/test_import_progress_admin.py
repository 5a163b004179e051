"""The spreadsheet import's pages in the admin: upload, preview, confirm. Nothing is saved before
the manager confirms; what is saved is in the manager's name; a bad file is a page naming each
problem, never a 500."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Recommendation, StatusUpdate
from recommendations.services import record_status_update
from tests.factories import UserFactory, status

pytestmark = pytest.mark.django_db

UPLOAD = reverse("staff:import-progress")
CONFIRM = reverse("staff:import-progress-confirm")


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "imports"


def export_rows(client):
    content = client.get(reverse("exports:recommendations-csv")).getvalue().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content, newline="")))


def implemented(rows, *codes):
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("code")] in codes:
            row[header.index("status")] = "Full Implementation"
            row[header.index("progress")] = "100"
            row[header.index("latest_update_date")] = timezone.localdate().isoformat()
            row[header.index("latest_update_date_precision")] = "day"
            row[header.index("latest_update_note")] = "The policy is in force."
            for index, column in enumerate(header):  # translations of the previous note
                if column.startswith("latest_update_note_"):
                    row[index] = ""
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def upload(client, data, name="okc-recommendations.csv", **fields):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), **fields})


def counts(client):
    overall = client.get(reverse("exports:api-summary")).json()["overall"]
    return overall["started"], overall["implemented"]


def test_the_manager_opens_the_upload_page(manager_client):
    response = manager_client.get(UPLOAD)
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content


def test_signing_in_is_needed_and_the_right_to_add_status_updates(client, okc):
    assert client.get(UPLOAD).status_code == 302
    clerk = Client()
    clerk.force_login(UserFactory(username="clerk", is_staff=True))
    assert clerk.get(UPLOAD).status_code == 403
    assert clerk.post(CONFIRM, {"token": "x"}).status_code == 403


def test_the_upload_is_checked_for_its_csrf_token(client, okc, manager):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(manager)
    data = implemented(export_rows(client), "2")
    form = SimpleUploadedFile("okc.csv", data)
    assert browser.post(UPLOAD, {"file": form}).status_code == 403
    page = browser.get(UPLOAD)
    token = page.context["csrf_token"]
    form = SimpleUploadedFile("okc.csv", data)
    response = browser.post(UPLOAD, {"file": form, "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert response.context["preview"].new_records


def test_three_changes_preview_then_save_in_the_managers_name_and_again_change_nothing(
    client, okc, manager, manager_client
):
    data = implemented(export_rows(client), "2", "4", "6")
    before, records = counts(client), StatusUpdate.objects.count()

    response = upload(manager_client, data)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert [r.recommendation.code for r in preview.new_records] == ["2", "4", "6"]
    assert b'id="new-records"' in response.content
    assert b"Save 3 new status records and 0 edits" in response.content
    assert StatusUpdate.objects.count() == records  # nothing saved before confirming

    response = manager_client.post(CONFIRM, {"token": response.context["token"]}, follow=True)
    assert b"3 new status records and 0 edits" in response.content
    assert counts(client)[1] == before[1] + 3
    for code in ("2", "4", "6"):
        rec = Recommendation.objects.get(code=code)
        assert rec.status_updates.first().created_by == manager
        assert rec.history.first().history_user == manager

    response = upload(manager_client, data)
    assert not response.context["preview"].has_changes
    assert response.context["token"] is None
    assert b"Nothing to change" in response.content


def test_a_file_with_one_bad_row_names_it_and_offers_nothing_to_save(client, okc, manager_client):
    rows = export_rows(client)
    data = implemented(rows, "2")
    data = data.replace(b"Planning", b"Plannning", 1)  # code 4 is the first Planning row
    records = StatusUpdate.objects.count()
    response = upload(manager_client, data)
    assert response.status_code == 200
    assert response.context["token"] is None
    assert b'id="problems"' in response.content
    assert "No status “Plannning”" in response.content.decode()
    [problem] = response.context["preview"].problems
    assert (problem.row, problem.column, problem.letter) == (5, "status", "M")
    assert b"Save " not in response.content
    assert StatusUpdate.objects.count() == records


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("broken.xlsx", b"PK\x03\x04 not a workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)),
        ("wrong.csv", b"name,value\nx,1\n"),
        ("utf16.csv", "plan\tcode\nokc-2022\t1\n".encode("utf-16")),
        ("nul.csv", b"plan,code\x00\n"),
    ],
)
def test_a_bad_file_is_a_page_that_says_why_never_a_500(okc, manager_client, name, data):
    records = StatusUpdate.objects.count()
    response = upload(manager_client, data, name=name)
    assert response.status_code == 200
    assert response.context["token"] is None
    assert StatusUpdate.objects.count() == records


def test_an_empty_upload_is_a_form_error(manager_client):
    response = manager_client.post(UPLOAD, {})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_a_50_mb_upload_is_refused_before_it_is_read(okc, manager_client, settings):
    response = upload(manager_client, b"plan,code\n" + b"x" * (50 * 1024 * 1024), name="big.csv")
    assert response.status_code == 200
    assert "larger than 5 MB" in response.context["form"].errors["file"][0]
    kept = settings.IMPORT_UPLOAD_DIR
    assert not kept.exists() or not any(kept.iterdir())


def test_a_preview_is_confirmed_once_and_its_file_is_then_removed(
    client, okc, manager_client, settings
):
    response = upload(manager_client, implemented(export_rows(client), "2"))
    token = response.context["token"]
    assert len(list(settings.IMPORT_UPLOAD_DIR.iterdir())) == 2  # the file and its versions
    manager_client.post(CONFIRM, {"token": token})
    records = StatusUpdate.objects.count()
    response = manager_client.post(CONFIRM, {"token": token}, follow=True)
    assert b"expired or was already used" in response.content
    assert StatusUpdate.objects.count() == records
    assert list(settings.IMPORT_UPLOAD_DIR.iterdir()) == []


def test_a_preview_cannot_be_confirmed_by_someone_else_or_with_a_forged_token(
    client, okc, manager_client, superuser_client
):
    token = upload(manager_client, implemented(export_rows(client), "2")).context["token"]
    records = StatusUpdate.objects.count()
    for who, value in [(superuser_client, token), (manager_client, token + "x")]:
        response = who.post(CONFIRM, {"token": value}, follow=True)
        assert b"expired or was already used" in response.content
    assert StatusUpdate.objects.count() == records


def test_a_recommendation_changed_after_the_preview_refuses_the_whole_import(
    client, okc, manager_client, superuser
):
    token = upload(manager_client, implemented(export_rows(client), "2", "4")).context["token"]
    record_status_update(
        recommendation=Recommendation.objects.get(code="4"),
        status=status("approaching-implementation"),
        effective_date=timezone.localdate(),
        note="Someone else's update.",
        user=superuser,
    )
    records = StatusUpdate.objects.count()
    response = manager_client.post(CONFIRM, {"token": token})
    assert response.status_code == 200
    assert b"Nothing was saved: something changed after your preview" in response.content
    assert "after you opened it" in response.content.decode()
    assert StatusUpdate.objects.count() == records
    # The page shows the file read again against what is saved now, ready to confirm.
    assert [r.recommendation.code for r in response.context["preview"].new_records] == ["2", "4"]
    assert response.context["token"]
