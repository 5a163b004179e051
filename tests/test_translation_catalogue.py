"""The Spanish catalogue is complete and compiled: a public string without a Spanish
translation fails here.

makemessages extracts every marked string from the code and templates again, into a copy of
the project holding a copy of the committed catalogue; whatever it adds (a new string) or
marks fuzzy (a changed one) lacks a translation. Needs GNU gettext (bin/test installs it).
"""

import gettext
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command

CATALOGUE = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES"
# What makemessages reads in the project (the same as the command in docs/ uses).
NOT_SOURCE = [".venv", ".git", "bench", "tests", "staticfiles", "locale", "db.sqlite3*"]


def entries(po, *flags):
    """The entries msgattrib selects with `flags`, as text ("" when there are none)."""
    result = subprocess.run(  # noqa: S603
        ["msgattrib", *flags, "--no-obsolete", "--no-wrap", str(po)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.fixture
def regenerated(tmp_path, settings, monkeypatch):
    """The catalogue as makemessages leaves it after extracting the project's strings anew."""
    project = tmp_path / "project"
    shutil.copytree(settings.BASE_DIR, project, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    shutil.copytree(CATALOGUE, project / "locale" / "es" / "LC_MESSAGES")
    settings.LOCALE_PATHS = [project / "locale"]
    monkeypatch.chdir(project)
    call_command("makemessages", locale=["es"], no_obsolete=True, verbosity=0)
    return project / "locale" / "es" / "LC_MESSAGES" / "django.po"


def test_every_public_string_has_a_spanish_translation(regenerated):
    untranslated = entries(regenerated, "--untranslated")
    assert untranslated == "", f"Strings without a Spanish translation:\n{untranslated}"


def test_no_translation_is_left_fuzzy(regenerated):
    fuzzy = entries(regenerated, "--only-fuzzy")
    assert fuzzy == "", f"Translations to check (the English changed):\n{fuzzy}"


def test_the_committed_catalogue_is_compiled_from_the_committed_translations(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "-o", str(compiled), str(CATALOGUE / "django.po")],  # noqa: S607
        check=True,
    )
    with open(compiled, "rb") as fresh, open(CATALOGUE / "django.mo", "rb") as committed:
        expected = gettext.GNUTranslations(fresh)._catalog
        found = gettext.GNUTranslations(committed)._catalog
    assert found == expected, "Run: python manage.py compilemessages -l es --ignore=.venv"
