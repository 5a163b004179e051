from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    """Email subscriptions to a plan, a topic or a recommendation: double opt-in, one-click
    unsubscribe, a digest of what changed. Above recommendations; the public pages use it."""

    name = "subscriptions"
