"""Browser tests: a real Chromium (Debian's /usr/bin/chromium) driven by Playwright."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.factories import restore_status_scale

# Playwright's sync API runs an event loop in this thread; Django's ORM would otherwise refuse
# to run in the test body next to it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def status_scale(request):
    """Browser tests run with transaction=True, whose flush also empties the status scale that
    data migrations create (in English, then its Spanish); put it back before each test."""
    if "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        restore_status_scale()


@pytest.fixture
def shots(tmp_path):
    """Takes the guide's screenshots (docs/manager-guide.md): into GUIDE_SCREENSHOTS when it is
    set (GUIDE_SCREENSHOTS=docs/img to refresh them), else into a temporary folder."""
    folder = Path(os.environ.get("GUIDE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name, element=None):
        path = folder / f"{name}.png"
        (page.locator(element) if element else page).screenshot(path=path)
        assert path.stat().st_size > 0

    return take
