"""Subscribing, confirming, sending digests and unsubscribing: every writer goes through here."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.translations import plain_text
from plans.models import City, Plan
from recommendations.models import Recommendation, Topic

from .models import Subscription


def _scope(followed):
    if isinstance(followed, Recommendation):
        return {"recommendation": followed, "plan": None, "topic": None}
    if isinstance(followed, Topic):
        return {"topic": followed, "plan": None, "recommendation": None}
    if isinstance(followed, Plan):
        return {"plan": followed, "topic": None, "recommendation": None}
    raise TypeError(f"Cannot follow {type(followed).__name__}")


def _message(subscription, *, subject, template, base_url, context=None):
    """An email in the subscriber's language, with the one-click unsubscribe headers of
    RFC 8058 (every message carries them, the confirmation request too)."""
    unsubscribe = base_url + subscription.unsubscribe_path()
    with translation.override(subscription.language):
        city = City.current()
        body = render_to_string(
            template,
            {
                "subscription": subscription,
                "followed": subscription.followed,
                "city": city,
                "base_url": base_url,
                "unsubscribe_url": unsubscribe,
                **(context or {}),
            },
        )
        return EmailMessage(
            str(subject),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [subscription.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


def subscribe(*, email, followed, frequency, language, base_url):
    """Ask `email` to confirm following `followed`. The same answer whatever was there before,
    so the page never tells whether an address is subscribed: a pending request is renewed
    (a new 48-hour link), a confirmed one is told it already follows it."""
    email = email.strip()
    with transaction.atomic():
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            email__iexact=email,
            **_scope(followed),
            defaults={"email": email, "frequency": frequency, "language": language},
        )
        if not created and subscription.confirmed_at is None:
            subscription.created_at = timezone.now()
            subscription.frequency, subscription.language = frequency, language
            subscription.save()
    confirmed = subscription.confirmed_at is not None
    with translation.override(subscription.language):
        if confirmed:
            subject = translation.gettext("You already follow this")
        else:
            subject = translation.gettext("Confirm your subscription")
    message = _message(
        subscription,
        subject=subject,
        template="subscriptions/already_email.txt"
        if confirmed
        else "subscriptions/confirm_email.txt",
        base_url=base_url,
        context={"confirm_url": base_url + subscription.confirm_path()},
    )
    message.send()
    return subscription


def confirm(*, pk):
    """Confirm the subscription `pk` (again is fine); None if it is gone."""
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(pk=pk).first()
        if subscription is not None and subscription.confirmed_at is None:
            subscription.confirmed_at = subscription.sent_until = timezone.now()
            subscription.save(update_fields=["confirmed_at", "sent_until"])
    return subscription


def unsubscribe(*, pk):
    """Delete the subscription `pk`; True if there was one."""
    deleted, _ = Subscription.objects.filter(pk=pk).delete()
    return bool(deleted)


def send_digests(*, frequency, base_url, now=None, connection=None):
    """Send each confirmed subscription of `frequency` the changes since its last digest, one
    message each (none when nothing changed). Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for subscription in Subscription.objects.confirmed().filter(frequency=frequency):
        changes = list(subscription.changes(until=now))
        if changes:
            with translation.override(subscription.language):
                subject = translation.ngettext(
                    "%(count)d change: %(name)s", "%(count)d changes: %(name)s", len(changes)
                ) % {"count": len(changes), "name": _name(subscription)}
            message = _message(
                subscription,
                subject=subject,
                template="subscriptions/digest_email.txt",
                base_url=base_url,
                context={"changes": changes},
            )
            if connection is None:
                message.send()
            else:
                connection.send_messages([message])
            sent += 1
        Subscription.objects.filter(pk=subscription.pk).update(sent_until=now)
    return sent


def _name(subscription):
    followed = subscription.followed
    if isinstance(followed, Recommendation):
        return translation.gettext("Recommendation %(number)s") % {"number": followed.code}
    field = "name" if isinstance(followed, Topic) else "short_name"
    return plain_text(followed.translated(field))


def purge_unconfirmed(*, now=None):
    """Delete the subscriptions left unconfirmed for 48 hours; returns how many."""
    deleted, _ = Subscription.objects.expired(now).delete()
    return deleted
