"""Content in two languages: beside each translatable English field `name` is a Spanish
column `name_es`. English is required, Spanish optional; where the Spanish is empty, a Spanish
page shows the English, marked (core/templatetags/languages.py)."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language, gettext

DEFAULT_LANGUAGE = settings.LANGUAGE_CODE
# The help text of every Spanish column in the admin.
SPANISH_HELP = "Optional. Left empty, Spanish pages show the English, marked “not yet translated”."


@dataclass(frozen=True)
class Translation:
    """A field's value in some language: `text`, the `language` it is written in, and
    `fell_back`: the active language's version is missing, so this is the English one."""

    text: str
    language: str
    fell_back: bool = False

    def __str__(self):
        return self.text


def active_language():
    return (get_language() or DEFAULT_LANGUAGE).split("-")[0]


def translation(obj, field, language=None):
    """`obj.field` in `language` (default: the active one): `obj.field_<language>` when the
    language is not English and that column is filled, otherwise the English value. Works for
    annotations too (latest_note / latest_note_es)."""
    language = language or active_language()
    english = getattr(obj, field) or ""
    if language == DEFAULT_LANGUAGE:
        return Translation(english, DEFAULT_LANGUAGE)
    translated = getattr(obj, f"{field}_{language}", "")
    if translated:
        return Translation(translated, language)
    return Translation(english, DEFAULT_LANGUAGE, fell_back=bool(english))


def marker():
    """The words that flag English shown in place of a missing translation."""
    return gettext("not yet translated")


def plain_text(value):
    """A Translation for places without markup (option labels, feeds, page titles): the
    marker goes in brackets after the English."""
    return f"{value.text} ({marker()})" if value.fell_back else value.text


class TranslatedFieldsMixin:
    """For models with `<field>_es` columns: `obj.translated("title")`."""

    def translated(self, field, language=None):
        return translation(self, field, language)
