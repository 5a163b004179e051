"""Load a city's fixture into a database that has no recommendations yet."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from recommendations.models import Recommendation


class Command(BaseCommand):
    help = (
        "Load the named fixture (e.g. okc) only if the database has no recommendations, then "
        "write the initial history rows so the audit trail starts with the loaded data."
    )

    def add_arguments(self, parser):
        parser.add_argument("fixture", help="Fixture name, e.g. okc for fixtures/okc.json.")

    def handle(self, *args, fixture, verbosity, **options):
        if Recommendation.objects.exists():
            if verbosity:
                self.stdout.write("The database already has recommendations; nothing loaded.")
            return
        with transaction.atomic():
            # loaddata records only some history (many-to-many changes); turn it off and write
            # one initial history row per loaded object instead.
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", fixture, verbosity=verbosity)
            call_command("populate_history", auto=True, verbosity=0)
