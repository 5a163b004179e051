"""Every public page reads in Spanish at /es/...: no English is left on it but content not yet
translated, which is tagged lang="en" and marked."""

import gettext
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import translation

from core.translations import translated_value
from plans.models import Party
from recommendations.models import Recommendation, Status, Topic
from tests.browser.public_paths import public_paths

pytestmark = pytest.mark.django_db

# Words no Spanish sentence uses; any English sentence has some. (Not inside identifiers such
# as the phase "not-started", which Spanish text names too.)
ENGLISH_WORDS = re.compile(
    r"(?<![-\w])(the|and|of|is|are|with|for|this|has|not|on|or)(?![-\w])", re.IGNORECASE
)
# Shown in the visitor's browser besides the text: these attributes, and the meta description.
VISIBLE_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
VOID_ELEMENTS = {"meta", "link", "input", "br", "img", "hr", "source", "col", "wbr"}


class VisibleSpanish(HTMLParser):
    """The text a visitor reads, leaving out what is tagged as English (lang="en"), code
    (parameter names, addresses) and what is not shown (scripts, styles)."""

    def __init__(self):
        super().__init__()
        self.skipping = []  # stack of open elements; True where the text is left out
        self.parts = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = (self.skipping and self.skipping[-1]) or (
            attrs.get("lang") == "en" or tag in ("code", "script", "style")
        )
        if not skipped:
            self.parts += [attrs[name] for name in VISIBLE_ATTRIBUTES if attrs.get(name)]
            if tag == "meta" and attrs.get("name") == "description":
                self.parts.append(attrs["content"])
        if tag not in VOID_ELEMENTS:
            self.skipping.append(bool(skipped))

    def handle_endtag(self, tag):
        if tag not in VOID_ELEMENTS and self.skipping:
            self.skipping.pop()

    def handle_data(self, data):
        if not (self.skipping and self.skipping[-1]):
            self.parts.append(data)


def visible_spanish(html):
    parser = VisibleSpanish()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_ui_phrases():
    """The catalogue's English phrases (the parts between placeholders and markup) that are
    not also Spanish, read from the compiled catalogue the pages use."""
    path = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.mo"
    with open(path, "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    spanish = " ".join(str(text) for text in catalog.values())
    phrases = set()
    for msgid in catalog:
        msgid = msgid[0] if isinstance(msgid, tuple) else msgid
        text = re.sub(r"<[^>]+>|%\(\w+\)s|%%|\{\w+\}", "|", msgid.split("\x04")[-1])
        for phrase in text.split("|"):
            phrase = phrase.strip(" .,:;()“”\"'")
            if len(phrase) >= 4 and not re.search(rf"\b{re.escape(phrase)}\b", spanish):
                phrases.add(phrase)
    return phrases


def spanish_paths():
    english = [*public_paths(), "/report/", "/data/", "/export/recommendations.csv?as_of=soon"]
    return ["/es" + path for path in english]


def test_every_public_page_has_no_english_left(client, okc):
    phrases = english_ui_phrases()
    assert "Recommendations" in phrases and "Skip to main content" in phrases
    for path in spanish_paths():
        response = client.get(path)
        assert response.status_code in (200, 400, 404), path
        html = response.content.decode()
        assert '<html lang="es">' in html, path
        text = visible_spanish(html)
        left = sorted(p for p in phrases if re.search(rf"\b{re.escape(p)}\b", text))
        assert left == [], f"{path}: English UI text {left}"
        assert ENGLISH_WORDS.findall(text) == [], f"{path}: English words in: {text}"


def test_the_check_finds_english_that_is_not_tagged(client, okc):
    html = client.get("/recommendations/").content.decode().replace('lang="en"', 'lang="es"')
    text = visible_spanish(html)
    assert "Show recommendations" in text
    assert ENGLISH_WORDS.search(text)


def spanish(obj, field):
    """The Spanish stored for `obj.field` (the okc data has it for every field checked here)."""
    text = translated_value(obj, field, "es")
    assert text, (obj, field)
    return text


def test_content_comes_in_spanish(client, okc):
    home = client.get("/es/").content.decode()
    for topic in Topic.objects.all():
        assert spanish(topic, "name") in home
    about = client.get("/es/about/").content.decode()
    for status in Status.objects.all():
        assert spanish(status, "name") in about and spanish(status, "definition") in about
    rec = Recommendation.objects.prefetch_related("responsibilities__party").get(
        plan__slug="okc-2022", code="1"
    )
    with translation.override("es"):
        detail = client.get(rec.get_absolute_url()).content.decode()
    assert spanish(rec, "title") in detail and spanish(rec, "text") in detail
    assert rec.leads
    for party in rec.leads:
        assert spanish(party, "name") in detail
    assert rec.title not in detail


def test_the_filters_offer_their_choices_in_spanish(client, okc):
    html = client.get("/es/recommendations/").content.decode()
    assert ">Todas las fases</option>" in html
    assert ">En curso</option>" in html
    for status in Status.objects.all():
        assert f'value="{status.slug}">{spanish(status, "name")}</option>' in html
    # The value stays the party's identifier, the same in every language.
    city = Party.objects.get(slug="city")
    assert f'value="city">{spanish(city, "name")}</option>' in html


def test_the_search_finds_spanish_words(client, okc):
    rec = Recommendation.objects.get(plan__slug="okc-2022", code="39")
    html = client.get("/es/recommendations/", {"q": "portal avance"}).content.decode()
    assert f'data-code="{rec.code}"' in html
    # The English page searches the English words (tests/test_search.py).
    english = client.get("/recommendations/", {"q": "progress portal"}).content.decode()
    assert f'data-code="{rec.code}"' in english
    assert 'data-code="' not in client.get("/recommendations/", {"q": "avance"}).content.decode()
