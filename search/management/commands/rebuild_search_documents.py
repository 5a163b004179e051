"""Rebuild every recommendation's search documents from what is saved now.

The signals keep them current; run this after writes that send none (bulk_create, SQL, a data
migration) or after switching a language on or off.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from recommendations.models import Recommendation
from search.documents import languages, rebuild_all


class Command(BaseCommand):
    help = "Rebuild the search documents of every recommendation, in every configured language."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the documents, then roll back."
        )

    def handle(self, *args, dry_run, verbosity, **options):
        with transaction.atomic():
            written = rebuild_all(Recommendation)
            if dry_run:
                transaction.set_rollback(True)
        if verbosity:
            done = "Would write" if dry_run else "Wrote"
            self.stdout.write(f"{done} {written} search documents ({', '.join(languages())}).")
