"""Send the subscribers' digests, then delete the subscriptions left unconfirmed for 48 hours.

Run daily with --frequency daily and weekly with --frequency weekly, from cron or a systemd
timer (docs/deploy.md). Links are absolute, from the PORTAL_BASE_URL setting.
"""

from django.conf import settings
from django.core.mail import mailers
from django.core.management.base import BaseCommand, CommandError

from subscriptions import services
from subscriptions.models import Frequency


class Command(BaseCommand):
    help = "Email each confirmed subscriber what changed; delete unconfirmed subscriptions."

    def add_arguments(self, parser):
        parser.add_argument("--frequency", choices=Frequency.values, required=True)

    def handle(self, *args, frequency, verbosity, **options):
        if not settings.PORTAL_BASE_URL:
            raise CommandError("Set PORTAL_BASE_URL: the digests' links need the portal's address.")
        with mailers.default as connection:
            sent = services.send_digests(
                frequency=frequency, base_url=settings.PORTAL_BASE_URL, connection=connection
            )
        purged = services.purge_unconfirmed()
        if verbosity:
            self.stdout.write(
                f"{sent} {frequency} digest(s) sent; {purged} unconfirmed subscription(s) deleted."
            )
