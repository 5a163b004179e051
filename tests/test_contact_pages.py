"""The contact page and the accessibility statement, from the city's record, linked from every
page's footer, in English and in Spanish; honest when no contact is set."""

import pytest
from django.core.cache import caches

from plans.models import City
from tests.factories import RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = City.objects.create(
        name="Oklahoma City",
        partnership_name="OKC Public Safety Partnership",
        contact_office="Office of the City Manager",
        contact_email="partnership@okc.example",
        contact_phone="405 555 0100",
        contact_address="200 N Walker Ave\nOklahoma City, OK 73102",
        accessibility_notes="The 2022 report is a scanned PDF; a text version is coming.",
    )
    city.set_translation("es", "contact_office", "Oficina del Administrador Municipal")
    city.set_translation("es", "accessibility_notes", "El informe de 2022 es un PDF escaneado.")
    city.save()
    return city


def text(response):
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("path", ["/contact/", "/accessibility/"])
def test_each_page_gives_the_citys_contact(client, city, path):
    html = text(client.get(path))
    assert 'href="mailto:partnership@okc.example"' in html
    assert 'href="tel:4055550100">405 555 0100</a>' in html
    assert "200 N Walker Ave<br>Oklahoma City, OK 73102" in html
    assert "Office of the City Manager" in html
    assert "has not published contact details" not in html


def test_the_contact_page_says_who_runs_the_site(client, city):
    html = text(client.get("/contact/"))
    assert "OKC Public Safety Partnership is published by Oklahoma City." in html
    assert 'href="/accessibility/"' in html


@pytest.mark.parametrize("path", ["/contact/", "/accessibility/"])
def test_without_a_contact_the_pages_say_so_and_point_to_the_feedback_form(client, path):
    City.objects.create(name="Oklahoma City", partnership_name="OKC Public Safety Partnership")
    html = text(client.get(path))
    assert "The city has not published contact details for this site yet." in html
    assert "Is this status right? Tell the city" in html
    assert 'href="/recommendations/"' in html
    assert "mailto:" not in html


def test_without_a_city_record_the_pages_still_open(client, settings):
    settings.PORTAL_CITY = "Our city"
    assert "Our city" in text(client.get("/contact/"))
    assert "WCAG" in text(client.get("/accessibility/"))


def test_the_statement_gives_the_target_the_tests_the_limits_and_how_to_report(client, city):
    html = text(client.get("/accessibility/"))
    for words in (
        "WCAG) 2.2 at level AA",
        "axe-core",
        "keyboard alone",
        "360 pixels wide",
        "Known limits",
        "The 2022 report is a scanned PDF; a text version is coming.",
        "Report a barrier",
    ):
        assert words in html, words


def test_the_pages_are_in_spanish_at_es(client, city):
    contact = text(client.get("/es/contact/"))
    assert '<html lang="es">' in contact
    assert "Oficina del Administrador Municipal" in contact
    assert "Contacto" in contact
    statement = text(client.get("/es/accessibility/"))
    assert "Declaración de accesibilidad" in statement
    assert "El informe de 2022 es un PDF escaneado." in statement


def test_an_untranslated_office_is_shown_in_english_and_marked(client, city):
    city.translations = {}
    city.save()
    html = text(client.get("/es/contact/"))
    assert '<span lang="en">Office of the City Manager</span>' in html


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_every_footer_links_to_both_pages(client, prefix):
    rec = RecommendationFactory()
    for path in ("/", "/recommendations/", rec.get_absolute_url(), "/no-such-page/"):
        html = client.get(prefix + path).content.decode()
        footer = html.split('<footer class="site-footer">', 1)[1]
        assert f'href="{prefix}/contact/"' in footer, path
        assert f'href="{prefix}/accessibility/"' in footer, path


def test_a_change_of_the_city_refreshes_the_cached_contact_page(
    client, page_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        city = City.objects.create(name="Oklahoma City", partnership_name="OKC Partnership")
    assert "has not published contact details" in text(client.get("/contact/"))
    assert client.get("/contact/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        city.contact_email = "partnership@okc.example"
        city.save()
    assert "partnership@okc.example" in text(client.get("/contact/"))
    caches["default"].clear()


@pytest.mark.parametrize("path", ["/contact/", "/accessibility/"])
def test_each_page_costs_one_query(client, city, path, django_assert_num_queries):
    with django_assert_num_queries(1):  # the city
        assert client.get(path).status_code == 200
