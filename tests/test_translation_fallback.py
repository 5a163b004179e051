"""Content without its Spanish version: Spanish pages show the English, tagged lang="en" and
marked "aún no traducido"; English pages never show the marker."""

import pytest
from django.utils import translation

from core.translations import translation as translation_of
from plans.models import City
from tests.browser.public_paths import public_paths
from tests.factories import (
    MilestoneFactory,
    PartyFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

MARKER = '<span class="untranslated">(aún no traducido)</span>'


def spanish_page(rec):
    with translation.override("es"):
        return rec.get_absolute_url()


def test_the_spanish_value_is_used_when_there_is_one():
    rec = RecommendationFactory.build(title="Fewer fines", title_es="Menos multas")
    with translation.override("es"):
        value = translation_of(rec, "title")
    assert (value.text, value.language, value.fell_back) == ("Menos multas", "es", False)


def test_without_a_spanish_value_the_english_one_is_used_and_flagged():
    rec = RecommendationFactory.build(title="Fewer fines", title_es="")
    with translation.override("es"):
        value = rec.translated("title")
    assert (value.text, value.language, value.fell_back) == ("Fewer fines", "en", True)


def test_english_pages_use_the_english_value_and_flag_nothing():
    rec = RecommendationFactory.build(title="Fewer fines", title_es="Menos multas")
    value = translation_of(rec, "title")
    assert (value.text, value.language, value.fell_back) == ("Fewer fines", "en", False)


def test_an_empty_field_is_not_flagged():
    rec = RecommendationFactory.build(details="", details_es="")
    with translation.override("es"):
        assert translation_of(rec, "details").fell_back is False


def test_an_untranslated_recommendation_reads_in_english_marked_on_its_spanish_page(client):
    rec = RecommendationFactory(title="Fewer fines", text="The city should fine less.")
    html = client.get(spanish_page(rec)).content.decode()
    assert f'<span lang="en">Fewer fines</span> {MARKER}' in html
    assert f'<span lang="en">The city should fine less.</span> {MARKER}' in html
    assert '<html lang="es">' in html


def test_a_translated_recommendation_shows_no_marker(client):
    rec = RecommendationFactory(
        title="Fewer fines",
        title_es="Menos multas",
        text="The city should fine less.",
        text_es="La ciudad debería multar menos.",
        leads=[PartyFactory(name="City", translations={"es": {"name": "Ciudad"}})],
    )
    rec.topic.set_translation("es", "name", "Multas")
    rec.topic.save()
    # The page also names the plan and the city: translated too.
    rec.plan.set_translation("es", "name", "Plan de multas")
    rec.plan.set_translation("es", "short_name", "Plan de multas")
    rec.plan.save()
    City.objects.create(
        name="Oklahoma City",
        partnership_name="Oklahoma City Public Safety Partnership",
        translations={"es": {"partnership_name": "Alianza de Seguridad Pública de Oklahoma City"}},
    )
    html = client.get(spanish_page(rec)).content.decode()
    assert "Menos multas" in html and "La ciudad debería multar menos." in html
    assert "untranslated" not in html
    assert "Fewer fines" not in html


def test_an_untranslated_note_is_marked_before_its_paragraphs(client):
    update = StatusUpdateFactory(note="Funding approved.\n\nWork starts in May.")
    html = client.get(spanish_page(update.recommendation)).content.decode()
    assert (
        '<p class="untranslated">(aún no traducido)</p>'
        '<div lang="en"><p>Funding approved.</p>\n\n<p>Work starts in May.</p></div>'
    ) in html


def test_a_translated_note_is_shown_in_spanish(client):
    update = StatusUpdateFactory(note="Funding approved.", note_es="Financiación aprobada.")
    html = client.get(spanish_page(update.recommendation)).content.decode()
    assert "<p>Financiación aprobada.</p>" in html
    assert "Funding approved." not in html


def test_an_untranslated_milestone_is_marked_on_the_spanish_timeline(client):
    MilestoneFactory(title="Council vote", title_es="")
    MilestoneFactory(title="Budget passed", title_es="Presupuesto aprobado")
    html = client.get("/es/timeline/").content.decode()
    assert f'<h3><span lang="en">Council vote</span> {MARKER}</h3>' in html
    assert "<h3>Presupuesto aprobado</h3>" in html


def test_an_untranslated_topic_is_marked_in_the_filter_options(client):
    TopicFactory(name="Parks", slug="parks")
    html = client.get("/es/recommendations/").content.decode()
    assert '<option value="parks">Parks (aún no traducido)</option>' in html


def test_english_pages_never_show_the_marker(client, okc):
    RecommendationFactory(title="Fewer fines", title_es="")
    MilestoneFactory(title="Council vote", title_es="")
    for path in [*public_paths(), "/report/", "/data/"]:
        html = client.get(path).content.decode()
        assert "untranslated" not in html, path
        assert "not yet translated" not in html, path
        assert 'lang="en">' not in html.replace('<html lang="en">', ""), path
