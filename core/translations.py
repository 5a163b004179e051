"""Content in any number of languages, switched on by configuration (PORTAL_LANGUAGES).

The site's first language (settings.LANGUAGE_CODE) is the source: each translatable field is a
column of its own and required. Every other language lives in one JSON column per model,
`translations`: {"es": {"title": "...", "text": "..."}, "vi": {...}}. So switching a language
on needs no schema change and no migration, a translation is saved, versioned and kept in the
history with the row it belongs to, and reading one costs no query. Where a translation is
missing, a page shows the source text, marked (templatetags/languages.py).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, gettext

TRANSLATIONS_HELP = "The texts in the site's other languages, by language code."


def default_language():
    return settings.LANGUAGE_CODE


def other_languages():
    """[(code, name)] of the configured languages other than the first, in their order."""
    return [(code, name) for code, name in settings.LANGUAGES if code != default_language()]


def active_language():
    return (get_language() or default_language()).split("-")[0]


@dataclass(frozen=True)
class Translation:
    """A field's value in some language: `text`, the `language` it is written in, and
    `fell_back`: the active language's version is missing, so this is the source text."""

    text: str
    language: str
    fell_back: bool = False

    def __str__(self):
        return self.text


def translate(source, translations, field, language=None):
    """The Translation of `field` whose source-language value is `source`, given the row's
    `translations` mapping (as stored in the JSON column)."""
    language = language or active_language()
    source = source or ""
    if language == default_language():
        return Translation(source, language)
    translated = ((translations or {}).get(language) or {}).get(field) or ""
    if translated:
        return Translation(translated, language)
    return Translation(source, default_language(), fell_back=bool(source))


def translation(obj, field, language=None):
    """`obj.field` in `language` (default: the active one), from `obj.translations`."""
    return translate(getattr(obj, field), getattr(obj, "translations", None), field, language)


def translated_value(obj, field, language):
    """The stored translation of `obj.field` into `language`, "" if there is none (no fallback:
    for exports and forms, which show what is stored)."""
    if language == default_language():
        return getattr(obj, field) or ""
    return ((obj.translations or {}).get(language) or {}).get(field) or ""


def marker():
    """The words that flag source text shown in place of a missing translation."""
    return gettext("not yet translated")


def plain_text(value):
    """A Translation for places without markup (option labels, feeds, page titles): the
    marker goes in brackets after the source text."""
    return f"{value.text} ({marker()})" if value.fell_back else value.text


def validate_translations(value, fields):
    """{language: {field: text}} with known fields and text values. Languages that are not
    switched on now are kept: switching one off must not lose what was typed."""
    if not isinstance(value, dict):
        raise ValidationError("Translations must be a mapping of language codes.")
    for language, texts in value.items():
        if not isinstance(texts, dict):
            raise ValidationError(f"The {language} translations must be a mapping of fields.")
        unknown = set(texts) - set(fields)
        if unknown:
            raise ValidationError(
                f"No translatable field named {', '.join(sorted(unknown))} ({language})."
            )
        if not all(isinstance(text, str) for text in texts.values()):
            raise ValidationError(f"The {language} translations must be text.")


class Translatable(models.Model):
    """A model whose `translated_fields` may be translated into the other configured languages:
    `obj.translated("title")`, `obj.set_translation("es", "title", "...")`."""

    translated_fields = ()

    translations = models.JSONField(default=dict, blank=True, help_text=TRANSLATIONS_HELP)

    class Meta:
        abstract = True

    def translated(self, field, language=None):
        return translation(self, field, language)

    def set_translation(self, language, field, text):
        texts = {**(self.translations or {}).get(language, {})}
        if text:
            texts[field] = text
        else:
            texts.pop(field, None)
        translations = {**(self.translations or {}), language: texts}
        self.translations = {code: t for code, t in translations.items() if t}

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude)
        if not exclude or "translations" not in exclude:
            try:
                validate_translations(self.translations, self.translated_fields)
            except ValidationError as error:
                raise ValidationError({"translations": error.messages}) from error
