"""/.well-known/security.txt (RFC 9116) says where to report a vulnerability, until when this
file holds, and in which languages, from the city's configuration."""

import datetime

import pytest
from django.utils import timezone

from plans.models import City

pytestmark = pytest.mark.django_db

URL = "/.well-known/security.txt"


def fields(response):
    lines = response.content.decode().splitlines()
    return dict(line.split(": ", 1) for line in lines)


def test_the_city_contact_answers_with_contact_and_expires(client):
    City.objects.create(name="Tulsa", partnership_name="Tulsa", contact_email="it@tulsa.example")
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    found = fields(response)
    assert found["Contact"] == "mailto:it@tulsa.example"
    expires = datetime.datetime.fromisoformat(found["Expires"])
    assert expires - timezone.now() > datetime.timedelta(days=364)
    assert expires - timezone.now() < datetime.timedelta(days=366)
    assert found["Preferred-Languages"] == "en, es"
    assert found["Canonical"] == "http://testserver/.well-known/security.txt"


def test_a_configured_security_contact_comes_first(client, settings):
    City.objects.create(name="Tulsa", partnership_name="Tulsa", contact_email="it@tulsa.example")
    settings.SECURITY_CONTACT = "https://tulsa.example/report-a-vulnerability"
    settings.SECURITY_TXT_EXPIRES_DAYS = 90
    found = fields(client.get(URL))
    assert found["Contact"] == "https://tulsa.example/report-a-vulnerability"
    expires = datetime.datetime.fromisoformat(found["Expires"])
    assert expires - timezone.now() < datetime.timedelta(days=91)


def test_without_any_contact_there_is_no_file_and_a_reason(client):
    response = client.get(URL)
    assert response.status_code == 404
    assert "No security contact is configured" in response.content.decode()
