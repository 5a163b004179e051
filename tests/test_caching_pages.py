"""Which responses the public page cache keeps, and for whom."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations.models import Topic
from tests.factories import RecommendationFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    ("pages:home", {}),
    ("pages:list", {}),
    ("pages:detail", {"plan": "okc-2022", "code": "1"}),
    ("pages:topic-list", {}),
    ("pages:about", {}),
    ("pages:timeline", {}),
    ("updates-feed", {}),
    ("sitemap", {}),
    ("exports:summary-csv", {}),
    ("exports:report", {}),
    ("exports:api-recommendations", {}),
]


@pytest.mark.parametrize("size", [39, 400])
def test_a_repeat_visit_is_served_from_the_cache_in_one_query(
    client, make_portfolio, page_cache, django_assert_num_queries, size
):
    make_portfolio(size)
    first = client.get("/")
    with django_assert_num_queries(1):
        # 1. the public data version (a row of the database cache table)
        again = client.get("/")
    assert again.status_code == 200
    assert again.content == first.content


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_every_public_page_and_export_is_served_from_the_cache(
    client, okc, page_cache, django_assert_num_queries, name, kwargs
):
    url = reverse(name, kwargs=kwargs)
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):
        # 1. the public data version
        again = client.get(url)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_a_topic_page_is_served_from_the_cache(client, okc, page_cache, django_assert_num_queries):
    url = Topic.objects.first().get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(1):
        # 1. the public data version
        assert client.get(url).content == first.content


def test_staff_get_their_own_page_with_unpublished_items_never_the_cached_one(client, page_cache):
    RecommendationFactory(title="Published for all")
    RecommendationFactory(title="Draft for staff", is_published=False)
    assert "Draft for staff" not in client.get("/recommendations/").content.decode()

    client.force_login(UserFactory(is_staff=True))
    assert "Draft for staff" in client.get("/recommendations/").content.decode()


def test_a_page_seen_by_staff_is_never_served_to_the_public(client, page_cache):
    RecommendationFactory(title="Draft for staff", is_published=False)
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    assert "Draft for staff" in staff.get("/recommendations/").content.decode()

    assert "Draft for staff" not in client.get("/recommendations/").content.decode()


def test_the_sign_in_page_is_never_cached(client, page_cache):
    for _ in range(2):
        response = client.get("/admin/login/")
        assert response.status_code == 200
        assert "csrftoken" in response.cookies
        client.cookies.clear()


def test_a_missing_page_is_not_kept(client, page_cache):
    topic = TopicFactory()
    url = reverse("pages:detail", args=[topic.plan.slug, "999"])
    assert client.get(url).status_code == 404
    RecommendationFactory(topic=topic, code="999")
    assert client.get(url).status_code == 200


def test_each_filter_gets_its_own_cached_page(client, okc, page_cache):
    everything = client.get("/recommendations/").content.decode()
    implemented = client.get("/recommendations/?phase=implemented").content.decode()
    assert implemented != everything
    assert client.get("/recommendations/?phase=implemented").content.decode() == implemented


def test_a_head_request_is_answered_from_the_cache(
    client, okc, page_cache, django_assert_num_queries
):
    page = client.get("/")
    with django_assert_num_queries(1):
        # 1. the public data version
        head = client.head("/")
    assert head.status_code == 200
    assert head["Content-Length"] == str(len(page.content))
    assert head.content == b""


def test_the_cache_is_off_in_development_so_template_edits_show(client, okc):
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert len(queries) > 1


@pytest.mark.django_db(transaction=True)
def test_visitors_arriving_together_at_an_uncached_page_wait_for_one_render(page_cache):
    RecommendationFactory.create_batch(5)
    start = threading.Barrier(8)

    def visit():
        start.wait()
        try:
            return Client().get("/")["X-Page-Cache"]
        finally:
            connection.close()

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: visit(), range(8)))
    assert sorted(answers) == ["hit"] * 7 + ["miss"]
