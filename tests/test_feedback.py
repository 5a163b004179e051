"""Residents tell the city whether a recommendation's status is right: the message reaches the
manager in the admin and nowhere public; bad input and floods get a calm refusal, never a 500."""

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter

from feedback import ratelimit
from feedback.models import Feedback, State
from feedback.services import review_feedback, submit_feedback
from tests.factories import PlanFactory, RecommendationFactory, StatusUpdateFactory, TopicFactory

pytestmark = pytest.mark.django_db

MESSAGE = "The clinic on 23rd Street opened in May, so this is further along than shown."
EMAIL = "resident@example.org"


@pytest.fixture(autouse=True)
def _no_earlier_messages():
    """The rate limit counts in the "default" cache, which outlives a test: start empty."""
    caches[ratelimit.CACHE].clear()
    yield
    caches[ratelimit.CACHE].clear()


@pytest.fixture
def rec():
    update = StatusUpdateFactory(recommendation__title="Crisis line staffing")
    return update.recommendation


def form_url(rec, language="en"):
    prefix = "" if language == "en" else f"/{language}"
    return f"{prefix}/plans/{rec.plan.slug}/recommendations/{rec.code}/feedback/"


def send(client, rec, language="en", **data):
    """Post the form; upper-case keywords (REMOTE_ADDR, HTTP_...) go to the request's META."""
    meta = {key: data.pop(key) for key in list(data) if key.isupper()}
    return client.post(
        form_url(rec, language), {"message": MESSAGE, "email": EMAIL, **data}, **meta
    )


def error_summary(html):
    return html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]


# Sending


@pytest.mark.parametrize(
    ("language", "thanks"),
    [("en", "Nothing you wrote is published"), ("es", "Nada de lo que escribió se publica")],
)
def test_a_message_is_stored_with_the_language_of_its_page_and_confirmed(
    client, rec, language, thanks
):
    page = client.get(form_url(rec, language))
    assert page.status_code == 200
    assert "csrfmiddlewaretoken" in page.content.decode()

    response = send(client, rec, language)

    assert response.status_code == 302  # post/redirect/get
    assert response.url == form_url(rec, language) + "sent/"
    feedback = Feedback.objects.get()
    assert (feedback.recommendation, feedback.message, feedback.email) == (rec, MESSAGE, EMAIL)
    assert feedback.language == language
    assert feedback.state == State.NEW
    assert feedback.handled_by is None and feedback.handled_at is None
    confirmation = client.get(response.url)
    assert confirmation.status_code == 200
    assert thanks in confirmation.content.decode()


def test_the_email_address_is_optional(client, rec):
    response = send(client, rec, email="")
    assert response.status_code == 302
    assert Feedback.objects.get().email == ""


def test_the_recommendation_page_links_to_the_form(client, rec):
    html = client.get(rec.get_absolute_url()).content.decode()
    assert f'href="{form_url(rec)}"' in html
    assert "Is this status right? Tell the city" in html
    spanish = client.get("/es" + rec.get_absolute_url()).content.decode()
    assert f'href="{form_url(rec, "es")}"' in spanish


def test_a_post_without_the_csrf_token_is_refused_and_nothing_is_stored(rec):
    browser = Client(enforce_csrf_checks=True)
    assert send(browser, rec).status_code == 403
    page = browser.get(form_url(rec)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert Feedback.objects.count() == 0
    assert send(browser, rec, csrfmiddlewaretoken=token).status_code == 302
    assert Feedback.objects.count() == 1


def test_a_filled_honeypot_gets_the_same_confirmation_and_nothing_is_stored(client, rec):
    response = send(client, rec, website="http://spam.example")
    assert response.status_code == 302
    assert response.url.endswith("/feedback/sent/")
    assert Feedback.objects.count() == 0


def test_the_honeypot_is_hidden_from_people_keyboards_and_screen_readers(client, rec):
    html = client.get(form_url(rec)).content.decode()
    wrapper = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', html, re.S)
    assert wrapper, "the honeypot's wrapper"
    assert "Leave this field empty" in wrapper.group(1)
    field = re.search(r"<input[^>]*name=\"website\"[^>]*>", wrapper.group(1)).group(0)
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field


# Bad input: a clear error, never a 500, nothing stored


@pytest.mark.parametrize(
    ("language", "error"),
    [
        ("en", "Ensure this value has at most 2000 characters"),
        ("es", "Asegúrese de que este valor tenga menos de 2000 caracteres"),
    ],
)
def test_a_message_of_a_megabyte_is_refused_with_a_form_error(client, rec, language, error):
    response = send(client, rec, language, message="x" * 1024 * 1024)
    assert response.status_code == 400
    summary = error_summary(response.content.decode())
    assert 'href="#id_message"' in summary
    assert error in summary
    assert Feedback.objects.count() == 0


def test_a_body_over_the_servers_upload_limit_is_a_400_not_a_500(client, rec):
    response = send(client, rec, message="x" * 3 * 1024 * 1024)
    assert response.status_code == 400
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "error"),
    [
        ("en", "Enter a valid email address."),
        ("es", "Introduzca una dirección de correo electrónico válida."),
    ],
)
def test_a_malformed_email_address_is_refused_with_a_form_error(client, rec, language, error):
    response = send(client, rec, language, email="resident at example dot org")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_email"' in error_summary(html)
    assert error in error_summary(html)
    assert MESSAGE in html  # what was typed stays in the form
    assert Feedback.objects.count() == 0


def test_an_empty_message_is_refused(client, rec):
    response = send(client, rec, message="   ")
    assert response.status_code == 400
    assert 'href="#id_message"' in error_summary(response.content.decode())
    assert Feedback.objects.count() == 0


def test_an_unknown_or_unpublished_recommendation_has_no_form(client, rec):
    hidden = RecommendationFactory(is_published=False)
    for url in (
        f"/plans/{rec.plan.slug}/recommendations/999/feedback/",
        f"/plans/no-such-plan/recommendations/{rec.code}/feedback/",
        form_url(hidden),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"message": MESSAGE}).status_code == 404, url
    assert Feedback.objects.count() == 0


def test_a_recommendation_of_an_unpublished_plan_has_no_form(client):
    draft = RecommendationFactory(topic=TopicFactory(plan=PlanFactory(is_published=False)))
    assert client.get(form_url(draft)).status_code == 404


# The rate limit


def test_the_sixth_message_in_an_hour_from_one_address_is_refused_and_not_stored(client, rec):
    for _ in range(5):
        assert send(client, rec).status_code == 302
    response = send(client, rec)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 3500
    html = response.content.decode()
    assert "Your message was not sent" in html
    assert "Please try again in 60 minutes" in html
    assert Feedback.objects.count() == 5
    # Another address is not held back.
    assert send(client, rec, REMOTE_ADDR="203.0.113.9").status_code == 302


def test_the_refusal_is_in_the_pages_language(client, rec, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    send(client, rec, "es")
    response = send(client, rec, "es")
    assert response.status_code == 429
    assert "Su mensaje no se envió" in response.content.decode()


def test_a_flood_of_a_hundred_posts_stores_five(client, rec):
    codes = [send(client, rec).status_code for _ in range(100)]
    assert codes.count(302) == 5 and codes.count(429) == 95
    assert Feedback.objects.count() == 5


def test_the_honeypot_counts_against_the_limit(client, rec, settings):
    settings.FEEDBACK_RATE_LIMIT = 2
    send(client, rec, website="x")
    send(client, rec, website="x")
    assert send(client, rec).status_code == 429
    assert Feedback.objects.count() == 0


def test_an_hour_later_the_address_may_send_again(client, rec, settings, monkeypatch):
    settings.FEEDBACK_RATE_LIMIT = 1
    now = 1_900_000_000.0
    monkeypatch.setattr(ratelimit.time, "time", lambda: now)
    assert send(client, rec).status_code == 302
    now += 3599
    assert send(client, rec).status_code == 429
    now += 2
    assert send(client, rec).status_code == 302


def test_behind_the_proxy_the_address_it_saw_counts_not_what_the_visitor_claims(
    client, rec, settings
):
    settings.FEEDBACK_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    assert send(client, rec, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 302
    # A made-up entry to the left changes nothing: nginx appends the address it saw.
    spoofed = send(client, rec, HTTP_X_FORWARDED_FOR="10.9.8.7, 198.51.100.7", **proxy)
    assert spoofed.status_code == 429
    assert send(client, rec, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy).status_code == 302


def test_no_address_is_kept_only_a_salted_hash(client, rec):
    send(client, rec, REMOTE_ADDR="203.0.113.9")
    keys = list(caches[ratelimit.CACHE]._cache)
    assert any("feedback-rate:" in key for key in keys)
    assert not any("203.0.113.9" in key for key in keys)
    stored = Feedback.objects.values().get().values()
    assert not any("203.0.113.9" in str(value) for value in stored)


# Private: nowhere public, not in the page cache, error reports or the history


def test_the_message_and_the_email_appear_on_no_public_page_feed_export_or_api(client, rec):
    send(client, rec)
    assert Feedback.objects.count() == 1
    urls = [
        "/",
        "/recommendations/",
        rec.get_absolute_url(),
        "/es" + rec.get_absolute_url(),
        rec.plan.get_absolute_url(),
        "/timeline/",
        "/feeds/updates/",
        reverse("pages:recommendation-feed", args=[rec.plan.slug, rec.code]),
        "/export/updates.csv",
        "/export/recommendations.csv",
        "/export/summary.csv",
        "/report/",
        "/api/v1/recommendations",
        f"/api/v1/plans/{rec.plan.slug}/recommendations/{rec.code}",
        reverse("pages:feedback-sent", args=[rec.plan.slug, rec.code]),
        "/contact/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        text = body.decode()
        assert "23rd Street" not in text and EMAIL not in text, url


def test_the_form_page_is_never_kept_by_the_page_cache(client, rec, page_cache):
    # A visitor who already has a CSRF cookie gets no new one: only never_cache keeps their
    # token out of the cache.
    client.get(form_url(rec))
    for _ in range(2):
        response = client.get(form_url(rec))
        assert "X-Page-Cache" not in response
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert "csrfmiddlewaretoken" in response.content.decode()
    # The recommendation's page, for comparison, is kept.
    client.get(rec.get_absolute_url())
    assert client.get(rec.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_message_sent_changes_no_cached_public_page(
    client, rec, page_cache, django_capture_on_commit_callbacks
):
    client.get(rec.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert send(Client(), rec).status_code == 302
    assert callbacks == []  # no bump of the public data version
    assert client.get(rec.get_absolute_url())["X-Page-Cache"] == "hit"


def test_the_message_and_email_are_kept_out_of_error_reports(client, rec):
    request = send(client, rec).wsgi_request
    cleansed = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleansed["message"] != MESSAGE and cleansed["email"] != EMAIL


def test_the_history_records_changes_of_state_without_the_residents_words(rec, manager):
    feedback = submit_feedback(recommendation=rec, message=MESSAGE, email=EMAIL, language="en")
    review_feedback(feedback=feedback, state=State.ANSWERED, user=manager)
    rows = list(feedback.history.order_by("history_date"))
    assert [row.state for row in rows] == [State.NEW, State.ANSWERED]
    assert rows[-1].history_user == manager
    assert not hasattr(rows[0], "message") and not hasattr(rows[0], "email")


# The manager's review in the admin


def changelist():
    return reverse("admin:feedback_feedback_changelist")


def test_the_manager_sees_the_feedback_in_the_admin_escaped(manager_client, client, rec):
    send(client, rec, "es", message='<script>alert("hi")</script> El estado está mal.')
    feedback = Feedback.objects.get()
    listing = manager_client.get(changelist())
    assert listing.status_code == 200
    assert "El estado está mal." in listing.content.decode()
    change = manager_client.get(reverse("admin:feedback_feedback_change", args=[feedback.pk]))
    html = change.content.decode()
    assert change.status_code == 200
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;" in html
    assert '<script>alert("hi")' not in html
    assert f'href="mailto:{EMAIL}"' in html
    assert f'href="{rec.get_absolute_url()}"' in html


def test_the_list_filters_by_state_recommendation_language_and_date(manager_client, rec):
    other = RecommendationFactory()
    submit_feedback(recommendation=rec, message="About the first.", language="en")
    submit_feedback(recommendation=other, message="Sobre la otra.", language="es")
    by_language = manager_client.get(changelist(), {"language": "es"}).content.decode()
    assert "Sobre la otra." in by_language and "About the first." not in by_language
    by_rec = manager_client.get(changelist(), {"recommendation__id__exact": rec.pk})
    assert "About the first." in by_rec.content.decode()
    assert "Sobre la otra." not in by_rec.content.decode()
    for choice in ({"state__exact": "new"}, {"created_at__gte": "2000-01-01 00:00:00+00:00"}):
        assert manager_client.get(changelist(), choice).status_code == 200
    found = manager_client.get(changelist(), {"q": "otra"}).content.decode()
    assert "Sobre la otra." in found and "About the first." not in found


@pytest.mark.parametrize("action", ["mark_answered", "mark_dismissed"])
def test_the_actions_record_who_handled_the_feedback_and_when(manager_client, manager, rec, action):
    first = submit_feedback(recommendation=rec, message="One.", language="en")
    second = submit_feedback(recommendation=rec, message="Two.", language="en")
    response = manager_client.post(
        changelist(), {"action": action, "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    for feedback in Feedback.objects.all():
        assert feedback.state == action.removeprefix("mark_")
        assert feedback.handled_by == manager
        assert feedback.handled_at is not None


def test_the_manager_answers_in_the_form_with_a_note(manager_client, manager, rec):
    feedback = submit_feedback(recommendation=rec, message="One.", language="en")
    url = reverse("admin:feedback_feedback_change", args=[feedback.pk])
    response = manager_client.post(
        url,
        {"loaded_version": feedback.version, "state": "answered", "staff_note": "Wrote back."},
    )
    assert response.status_code == 302, response.content.decode()
    feedback.refresh_from_db()
    assert (feedback.state, feedback.staff_note) == (State.ANSWERED, "Wrote back.")
    assert feedback.handled_by == manager and feedback.handled_at is not None
    assert feedback.message == "One."  # residents' words are not the manager's to edit
    # Back to new: no longer handled by anyone.
    manager_client.post(url, {"loaded_version": feedback.version, "state": "new"})
    feedback.refresh_from_db()
    assert feedback.handled_by is None and feedback.handled_at is None


def test_the_manager_cannot_add_or_delete_feedback(manager_client, rec):
    feedback = submit_feedback(recommendation=rec, message="One.", language="en")
    assert manager_client.get(reverse("admin:feedback_feedback_add")).status_code == 403
    delete = reverse("admin:feedback_feedback_delete", args=[feedback.pk])
    assert manager_client.get(delete).status_code == 403


def test_anonymous_visitors_cannot_read_feedback_in_the_admin(client, rec):
    send(client, rec)
    response = client.get(changelist())
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_history_page_opens_for_the_manager_without_the_residents_words(
    manager_client, manager, rec
):
    feedback = submit_feedback(recommendation=rec, message=MESSAGE, email=EMAIL, language="en")
    review_feedback(feedback=feedback, state=State.DISMISSED, user=manager, staff_note="Spam.")
    response = manager_client.get(reverse("admin:feedback_feedback_history", args=[feedback.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Spam." in html
    assert "23rd Street" not in html and EMAIL not in html


# Queries


def test_the_form_page_runs_a_fixed_number_of_queries(client, rec, django_assert_num_queries):
    RecommendationFactory.create_batch(5)
    # 1. the recommendation with its figures and plan
    # 2. its current status record with its status
    # 3. the city (title, header, footer)
    with django_assert_num_queries(3):
        assert client.get(form_url(rec)).status_code == 200
