"""The spreadsheet round trip in a real Chromium, as the manager and as the guide tells it:
download the recommendations file, change three statuses, upload it, read the preview, confirm.
Its screenshots illustrate docs/manager-guide.md (see `shots` in conftest.py)."""

import csv
import io

import pytest

from recommendations.models import StatusUpdate
from tests.browser.test_weekly_screen_in_chromium import sign_in
from tests.test_import_progress import implement, not_implemented_codes, to_csv

pytestmark = pytest.mark.django_db(transaction=True)


def test_export_change_three_statuses_import_confirm(
    live_server, page, okc, manager, shots, tmp_path
):
    sign_in(page, live_server, manager)
    download = page.request.get(f"{live_server.url}/export/recommendations.csv?plan=okc-2022")
    assert download.ok
    rows = list(csv.reader(io.StringIO(download.text().lstrip("\ufeff"), newline="")))
    codes = not_implemented_codes(rows, 3)
    for code in codes:
        implement(rows, code, note=f"The council adopted recommendation {code}.")
    edited = tmp_path / "recommendations.csv"
    edited.write_bytes(to_csv(rows))

    page.goto(f"{live_server.url}/admin/")
    page.click("text=Update from a spreadsheet")
    page.set_input_files("input[type=file]", str(edited))
    shots(page, "13-import-upload")
    page.click("input[value='Preview the changes']")
    page.wait_for_selector("input[name=token]", state="attached")
    preview = page.inner_text("#content-main")
    for code in codes:
        assert f"The council adopted recommendation {code}." in preview
    shots(page, "14-import-preview")
    assert not StatusUpdate.objects.filter(created_by=manager).exists()  # nothing before confirming
    page.click("input[value^='Save 3 new status records']")
    page.wait_for_selector(".messagelist .success")
    shots(page, "15-import-saved")
    saved = StatusUpdate.objects.filter(created_by=manager)
    assert sorted(update.recommendation.code for update in saved) == sorted(codes)
