"""Addresses an attacker makes up get a 4xx, never a 500: dates the arithmetic cannot hold, NUL
characters (which PostgreSQL refuses in text), ids that are not ids."""

import pytest
from django.test import Client
from django.urls import reverse

from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    # A 500 comes back as a response here, as a visitor would get it, instead of being raised.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "url",
    [
        "/report/?as_of=0001-01-01",
        "/report/?since=0001-01-01",
        "/export/recommendations.csv?as_of=1989-12-31",
        "/export/summary.csv?as_of=0001-01-01",
        "/export/recommendations.xlsx?as_of=0001-01-01",
    ],
)
def test_a_date_before_1990_is_a_400_that_says_so(client, okc, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "the portal has no figures that early" in response.content.decode()


def test_the_api_refuses_a_date_before_1990_in_json(client, okc):
    response = client.get("/api/v1/summary?as_of=0001-01-01")
    assert response.status_code == 400
    assert response.json()["errors"]["as_of"] == [
        "0001-01-01 is before 1990-01-01: the portal has no figures that early."
    ]


def test_the_first_day_of_1990_is_accepted(client, okc):
    assert client.get("/report/?as_of=1990-01-01").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/recommendations/?lead=%00",
        "/recommendations/?q=a%00b",
        "/recommendations/?%00=1",
        "/timeline/?plan=%00",
        "/export/updates.csv?lead=%00",
    ],
)
def test_a_nul_character_on_a_public_page_is_a_400(client, okc, url):
    assert client.get(url).status_code == 400


def test_a_nul_character_in_an_address_matches_nothing(client, okc):
    assert client.get("/topics/%00/").status_code == 404


def test_a_nul_character_in_the_api_is_a_json_400(client, okc):
    response = client.get("/api/v1/recommendations?lead=%00")
    assert response.status_code == 400
    assert response.json() == {"errors": {"lead": ["Null characters are not allowed."]}}


def test_a_nul_character_in_a_cookie_is_a_400(client, okc):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get("/").status_code == 400


def test_a_nul_character_in_an_admin_list_filter_is_a_400(manager_client, okc):
    manager_client.raise_request_exception = False
    url = reverse("admin:recommendations_recommendation_changelist")
    assert manager_client.get(url + "?responsibilities__party__id__exact=%00").status_code == 400
    assert manager_client.get(url + "?q=%00").status_code == 400


def test_a_nul_character_in_an_admin_autocomplete_is_a_400(manager_client, okc):
    manager_client.raise_request_exception = False
    query = {
        "term": "\x00",
        "app_label": "recommendations",
        "model_name": "responsibility",
        "field_name": "party",
    }
    assert manager_client.get(reverse("admin:autocomplete"), query).status_code == 400


def test_a_history_page_with_an_id_that_is_not_a_number_is_a_404(manager_client, okc):
    manager_client.raise_request_exception = False
    rec = Recommendation.objects.first()
    base = "/admin/recommendations/recommendation"
    assert manager_client.get(f"{base}/{rec.pk}/history/abc/").status_code == 404
    assert manager_client.get(f"{base}/abc/history/").status_code == 404
    assert manager_client.get(f"{base}/{rec.pk}/history/").status_code == 200
