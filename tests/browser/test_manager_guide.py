"""Walks through docs/manager-guide.md in a real Chromium, as the implementation manager.

The guide's pictures are these screenshots. To refresh them after changing the admin:

    GUIDE_SCREENSHOTS=docs/img .venv/bin/pytest tests/browser/test_manager_guide.py

Without GUIDE_SCREENSHOTS they go to a temporary folder, so a test run leaves docs/ alone.
"""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from milestones.models import Milestone
from recommendations.models import Recommendation, Role
from tests.conftest import manager_group
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"  # the factories' password
NOTE = "The committee chose two neighborhoods for a pilot; the contract goes to council in March."


@pytest.fixture
def manager(manager):
    """The manager, with the group's rights as both staff data migrations give them: a
    transactional test's flush empties the group, and conftest's manager_group() puts back
    those of the first migration only."""
    migration = importlib.import_module("staff.migrations.0002_manager_rights_on_plans_and_parties")
    migration.add_rights(apps, None)
    return manager


def okc_recommendation(code):
    return Recommendation.objects.with_progress().get(plan__slug="okc-2022", code=code)


@pytest.mark.django_db(transaction=True)
def test_the_weekly_update_as_the_guide_tells_it(live_server, page, okc, manager, shots):
    # 1. Sign in.
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", manager.username)
    page.fill("#id_password", PASSWORD)
    shots(page, "01-sign-in")
    page.click("input[type=submit]")
    page.wait_for_selector("#weekly-update")
    shots(page, "02-weekly-update")

    # 2. Find the recommendation: search by its code.
    page.click("text=open one recommendation")
    page.fill("#searchbar", "27")
    page.press("#searchbar", "Enter")
    page.wait_for_selector("#result_list")
    shots(page, "03-recommendations")
    page.click("#result_list >> text=Exploratory committee on violence intervention")

    # 3. Add a party that supports the lead: type in the empty row, pick it, choose the role.
    party_row = "#responsibilities-group tr.form-row:not(.has_original):not(.empty-form)"
    page.click(f"{party_row} .select2-selection")
    page.fill(".select2-search__field", "OKCPD")
    page.click(".select2-results__option >> text=Oklahoma City Police Department")
    page.select_option(f"{party_row} select[name$='-role']", "support")
    shots(page, "04-parties", "#responsibilities-group")

    # 4. Record the status update in the empty row; the date is today already.
    row = "#status_updates-group .inline-related:not(.has_original):not(.empty-form)"
    page.select_option(f"{row} select[name$='-status']", label="Approaching Implementation")
    today = page.input_value(f"{row} input[name$='-effective_date']")
    assert today == timezone.localdate().isoformat()
    page.fill(f"{row} textarea[name$='-note']", NOTE)
    shots(page, "05-status-update", "#status_updates-group")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    shots(page, "06-saved")

    rec = okc_recommendation("27")
    assert rec.current_status.name == "Approaching Implementation"
    update = rec.status_updates.get(note=NOTE)
    assert (update.created_by, update.progress) == (manager, update.status.default_progress)
    parties = [(r.party.short_name, r.role) for r in rec.responsibilities.all()]
    assert parties == [("City", Role.LEAD), ("OKCPD", Role.SUPPORT)]

    # 5. Add a milestone and link it to the recommendation.
    page.goto(live_server.url + "/admin/")
    page.click("text=Add a milestone")
    page.fill("#id_date", timezone.localdate().isoformat())
    page.select_option("#id_date_precision", "day")
    page.select_option(
        "#id_plan",
        label="Public safety recommendations presented to the City Council in March 2022",
    )
    page.fill("#id_title", "Violence intervention committee reports to council")
    page.click(".field-recommendations .select2-selection")
    page.fill(".select2-search__field", "violence intervention")
    page.click(".select2-results__option >> text=27. Exploratory committee")
    page.fill("#id_sources", "City of Oklahoma City | https://www.okc.gov/")
    shots(page, "07-milestone")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    milestone = Milestone.objects.get(title="Violence intervention committee reports to council")
    assert list(milestone.recommendations.all()) == [rec]
    assert milestone.plan == rec.plan

    # 6. Check the public page: "View on site" from the recommendation.
    page.goto(live_server.url + f"/admin/recommendations/recommendation/{rec.pk}/change/")
    page.click("text=View on site")
    page.wait_for_url(f"**{rec.get_absolute_url()}")
    assert NOTE in page.inner_text("main")
    assert "Violence intervention committee reports to council" in page.inner_text("main")
    shots(page, "08-public-page")


@pytest.mark.django_db(transaction=True)
def test_the_status_update_row_fits_a_phone(live_server, phone_page, okc, manager, shots):
    phone_page.goto(live_server.url + "/admin/login/?next=/admin/")
    phone_page.fill("#id_username", manager.username)
    phone_page.fill("#id_password", PASSWORD)
    phone_page.click("input[type=submit]")
    phone_page.wait_for_selector("#weekly-update")
    rec = okc_recommendation("27")
    phone_page.goto(live_server.url + f"/admin/recommendations/recommendation/{rec.pk}/change/")
    phone_page.locator("#status_updates-group").scroll_into_view_if_needed()
    shots(phone_page, "09-phone")
    # The page does not scroll sideways at 360 pixels.
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


def sign_in(page, live_server, user):
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#weekly-update")


@pytest.mark.django_db(transaction=True)
def test_when_someone_else_saved_first_the_page_says_so(
    live_server, browser, page, okc, manager, shots
):
    sam = UserFactory(username="sam", first_name="Sam", last_name="Ortiz", is_staff=True)
    sam.groups.add(manager_group())
    sams_context = browser.new_context(viewport={"width": 1280, "height": 900})
    sams_page = sams_context.new_page()
    rec = okc_recommendation("27")
    url = live_server.url + f"/admin/recommendations/recommendation/{rec.pk}/change/"
    for who, tab in [(manager, page), (sam, sams_page)]:
        sign_in(tab, live_server, who)
        tab.goto(url)

    page.fill("#id_details", "The committee meets monthly.")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    sams_page.fill("#id_details", "The committee met twice.")
    sams_page.click("input[name=_save]")
    error = sams_page.locator(".errornote, .errorlist.nonfield").first
    error.wait_for()
    shots(sams_page, "10-someone-saved-first")
    assert "Maria Lopez saved this recommendation" in sams_page.inner_text("#content")
    sams_context.close()
    rec.refresh_from_db()
    assert rec.details == "The committee meets monthly."
