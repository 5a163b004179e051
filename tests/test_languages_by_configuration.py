"""The site's languages come from one setting, PORTAL_LANGUAGES: switching Vietnamese on needs
no code, no schema change and no migration; switched off, nothing Vietnamese appears."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.urls import reverse
from django.utils.text import capfirst

from tests.browser.public_paths import public_paths
from tests.factories import RecommendationFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db

# Each language named in its own words, as Django knows them.
VIETNAMESE = capfirst(LANG_INFO["vi"]["name_local"])
WITH_VIETNAMESE = [("en", "English"), ("es", "Español"), ("vi", VIETNAMESE)]


def manage(*args, languages):
    """Runs manage.py in a fresh process with PORTAL_LANGUAGES set as an operator would."""
    env = {**os.environ, "PORTAL_LANGUAGES": languages}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def vietnamese(settings):
    """The settings PORTAL_LANGUAGES=en,es,vi gives (tested below)."""
    settings.LANGUAGES = WITH_VIETNAMESE


def test_the_setting_names_the_languages_in_their_own_words_first_the_default():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.LANGUAGES, settings.LANGUAGE_CODE)",
        languages="en,es,vi",
    )
    assert result.returncode == 0, result.stderr
    assert str(WITH_VIETNAMESE) in result.stdout
    assert result.stdout.strip().endswith(" en")


def test_adding_a_language_needs_no_migration():
    result = manage("makemigrations", "--check", "--dry-run", languages="en,es,vi")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_an_unknown_language_code_is_refused_at_start_with_a_message():
    result = manage("check", languages="en,xx")
    assert result.returncode != 0
    assert "PORTAL_LANGUAGES" in result.stderr
    assert "xx" in result.stderr


def test_every_public_page_is_served_in_vietnamese(client, okc, vietnamese):
    errors = {"/recommendations/?topic=no-such-topic": 400, "/no-such-page/": 404}
    for path in public_paths():
        response = client.get(f"/vi{path}")
        assert response.status_code == errors.get(path, 200), path
        assert '<html lang="vi">' in response.content.decode(), path


def test_english_content_on_a_vietnamese_page_is_marked_untranslated_in_vietnamese(
    client, vietnamese
):
    rec = RecommendationFactory(title="Fewer fines", title_es="Menos multas")
    html = client.get(f"/vi{rec.get_absolute_url()}").content.decode()
    assert '<span lang="en">Fewer fines</span> <span class="untranslated">(chưa được dịch)' in html


def test_a_vietnamese_translation_is_shown_on_the_vietnamese_page_only(client, vietnamese):
    update = StatusUpdateFactory(note="Funded.")
    rec = update.recommendation
    rec.set_translation("vi", "title", "Ít tiền phạt hơn")
    rec.save()
    vi = client.get(f"/vi{rec.get_absolute_url()}").content.decode()
    es = client.get(f"/es{rec.get_absolute_url()}").content.decode()
    assert "Ít tiền phạt hơn" in vi
    assert "Ít tiền phạt hơn" not in es


def test_the_switcher_and_the_alternates_list_every_language(client, vietnamese):
    html = client.get("/about/").content.decode()
    nav = re.search(r'<nav class="languages"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert 'href="/es/about/" hreflang="es" lang="es">Español</a>' in nav
    assert f'href="/vi/about/" hreflang="vi" lang="vi">{VIETNAMESE}</a>' in nav
    for code in ("en", "es", "vi", "x-default"):
        assert f'<link rel="alternate" hreflang="{code}"' in html


def test_the_sitemap_lists_the_vietnamese_pages(client, vietnamese):
    pages = client.get(reverse("sitemap-section", args=["pages"])).content.decode()
    assert "http://testserver/vi/about/" in pages


def test_with_english_and_spanish_nothing_vietnamese_appears(client, okc):
    assert client.get("/vi/").status_code == 404
    for path in ("/", "/about/", "/recommendations/"):
        html = client.get(path).content.decode()
        assert VIETNAMESE not in html
        assert 'hreflang="vi"' not in html
