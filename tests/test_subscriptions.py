"""Email subscriptions to a recommendation, a topic or a plan: double opt-in, a digest of what
changed, one-click unsubscribe (RFC 8058), unconfirmed addresses deleted after 48 hours, and
addresses nowhere public."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from recommendations.services import record_status_update
from subscriptions.models import Subscription
from tests.factories import RecommendationFactory, StatusUpdateFactory, status

pytestmark = pytest.mark.django_db

ADDRESS = "resident@example.org"
BASE_URL = "https://progress.example.gov"


@pytest.fixture(autouse=True)
def portal_address(settings):
    settings.PORTAL_BASE_URL = BASE_URL


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The rate limit counts in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rec():
    return RecommendationFactory(code="5", title="Crisis team")


def follow_url(rec, prefix=""):
    return prefix + reverse("pages:recommendation-follow", args=[rec.plan.slug, rec.code])


def subscribe(client, rec, prefix="", **data):
    return client.post(
        follow_url(rec, prefix), {"email": ADDRESS, "frequency": "daily", "website": "", **data}
    )


def link(message, path_part):
    return next(url for url in re.findall(r"https?://\S+", message.body) if path_part in url)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def record(rec, note, **kwargs):
    return record_status_update(
        recommendation=rec,
        status=status("planning"),
        effective_date=timezone.localdate(),
        note=note,
        **kwargs,
    )


def test_subscribe_confirm_change_digest_and_unsubscribe(client, rec):
    response = subscribe(client, rec)
    assert response.status_code == 302
    assert response["Location"] == reverse("subscriptions:sent")
    (request,) = mail.outbox
    assert request.to == [ADDRESS]
    assert "Recommendation 5: Crisis team" in request.body
    confirmed = client.get(path_of(link(request, "/subscriptions/confirm/")))
    assert confirmed.status_code == 200
    assert "Subscription confirmed" in confirmed.content.decode()

    record(rec, "The team started its pilot.")
    mail.outbox.clear()
    call_command("send_digests", frequency="daily", verbosity=0)
    (digest,) = mail.outbox
    assert digest.to == [ADDRESS]
    assert "1 change: Recommendation 5" in digest.subject
    assert "recommendation 5, Crisis team, is now “Planning”" in digest.body
    assert "The team started its pilot." in digest.body
    unsubscribe = digest.extra_headers["List-Unsubscribe"].strip("<>")
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe == link(digest, "/subscriptions/unsubscribe/")

    # Nothing new: no second message.
    mail.outbox.clear()
    call_command("send_digests", frequency="daily", verbosity=0)
    assert mail.outbox == []

    # One click from the mail program: a POST without a CSRF token.
    client.handler.enforce_csrf_checks = True
    response = client.post(path_of(unsubscribe), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_an_unconfirmed_address_receives_nothing_and_is_deleted_after_48_hours(client, rec):
    subscribe(client, rec)
    record(rec, "News.")
    mail.outbox.clear()
    call_command("send_digests", frequency="daily", verbosity=0)
    assert mail.outbox == []
    assert Subscription.objects.count() == 1
    Subscription.objects.update(created_at=timezone.now() - datetime.timedelta(hours=49))
    call_command("send_digests", frequency="weekly", verbosity=0)
    assert not Subscription.objects.exists()


def test_a_weekly_subscriber_is_not_sent_the_daily_digest(client, rec):
    subscribe(client, rec, frequency="weekly")
    client.get(path_of(link(mail.outbox[0], "/confirm/")))
    record(rec, "News.")
    mail.outbox.clear()
    call_command("send_digests", frequency="daily", verbosity=0)
    assert mail.outbox == []
    call_command("send_digests", frequency="weekly", verbosity=0)
    assert len(mail.outbox) == 1


def test_a_topic_subscription_gets_the_topics_changes_only(client, rec):
    url = reverse("pages:topic-follow", args=[rec.topic.slug])
    client.post(url, {"email": ADDRESS, "frequency": "daily"})
    client.get(path_of(link(mail.outbox[0], "/confirm/")))
    record(rec, "In the topic.")
    record(RecommendationFactory(title="Elsewhere"), "Not in the topic.")
    mail.outbox.clear()
    call_command("send_digests", frequency="daily", verbosity=0)
    (digest,) = mail.outbox
    assert "In the topic." in digest.body
    assert "Not in the topic." not in digest.body


def test_a_correction_is_sent_as_a_correction(client, rec):
    update = StatusUpdateFactory(recommendation=rec, note="Old note.")
    subscribe(client, rec)
    client.get(path_of(link(mail.outbox[0], "/confirm/")))
    update.corrected_at = timezone.now()
    update.note = "Corrected note."
    update.save()
    mail.outbox.clear()
    call_command("send_digests", frequency="daily", verbosity=0)
    (digest,) = mail.outbox
    assert "(a correction)" in digest.body and "Corrected note." in digest.body


def test_the_messages_are_in_the_subscribers_language(client, rec):
    subscribe(client, rec, prefix="/es")
    (request,) = mail.outbox
    assert request.subject == "Confirme su suscripción"
    assert "/es/subscriptions/confirm/" in request.body


def test_an_expired_or_mangled_confirmation_link_says_so(client, rec, monkeypatch):
    subscribe(client, rec)
    confirm = path_of(link(mail.outbox[0], "/confirm/"))
    later = signing.time.time() + 49 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.get(confirm)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    monkeypatch.undo()
    response = client.get(confirm[:-5] + "xxxx/")
    assert response.status_code == 400
    assert Subscription.objects.get().confirmed_at is None


def test_a_replayed_confirmation_link_is_harmless(client, rec):
    subscribe(client, rec)
    confirm = path_of(link(mail.outbox[0], "/confirm/"))
    assert client.get(confirm).status_code == 200
    assert client.get(confirm).status_code == 200
    assert Subscription.objects.count() == 1


def test_subscribing_twice_never_tells_whether_an_address_is_subscribed(client, rec):
    subscribe(client, rec)
    client.get(path_of(link(mail.outbox[0], "/confirm/")))
    mail.outbox.clear()
    response = subscribe(client, rec)
    assert response["Location"] == reverse("subscriptions:sent")
    (notice,) = mail.outbox
    assert "already receives them" in notice.body
    assert Subscription.objects.count() == 1


@pytest.mark.parametrize(
    "email", ["not-an-address", "a@b", "x" * 300 + "@example.org", "<script>@example.org"]
)
def test_a_malformed_address_is_a_form_error(client, rec, email):
    response = subscribe(client, rec, email=email)
    assert response.status_code == 400
    assert 'href="#id_email"' in response.content.decode()
    assert not Subscription.objects.exists() and mail.outbox == []


def test_the_honeypot_stores_and_sends_nothing(client, rec):
    response = subscribe(client, rec, website="http://spam.example")
    assert response.status_code == 302
    assert not Subscription.objects.exists() and mail.outbox == []


def test_many_requests_from_one_address_are_refused(client, rec):
    for n in range(10):
        assert subscribe(client, rec, email=f"r{n}@example.org").status_code == 302
    response = subscribe(client, rec, email="eleventh@example.org")
    assert response.status_code == 429
    assert Subscription.objects.count() == 10


def test_an_unknown_or_unpublished_recommendation_cannot_be_followed(client):
    hidden = RecommendationFactory(is_published=False)
    assert subscribe(client, hidden).status_code == 404
    url = reverse("pages:recommendation-follow", args=[hidden.plan.slug, "999"])
    assert client.post(url, {"email": ADDRESS, "frequency": "daily"}).status_code == 404
    assert not Subscription.objects.exists()


def test_addresses_appear_in_no_download_api_or_cached_page(client, rec, page_cache):
    subscribe(client, rec)
    client.get(path_of(link(mail.outbox[0], "/confirm/")))
    record(rec, "News.")
    for path in [
        follow_url(rec),
        rec.get_absolute_url(),
        reverse("exports:updates-csv"),
        reverse("exports:recommendations-csv"),
        reverse("exports:api-recommendations"),
        reverse("pages:recommendation-feed", args=[rec.plan.slug, rec.code]),
    ]:
        response = client.get(path)
        assert ADDRESS not in response.getvalue().decode(), path
    follow = client.get(follow_url(rec))
    assert "no-cache" in follow["Cache-Control"] and "X-Page-Cache" not in follow
