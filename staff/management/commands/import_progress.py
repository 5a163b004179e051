"""Import the recommendations spreadsheet: the admin's "Update from a spreadsheet" page, from
the command line.

    python manage.py import_progress okc-recommendations-2026-11-30.csv --user maria
    python manage.py import_progress edited.xlsx --plan okc-2022 --dry-run

Prints the preview (new status records, edits, read-only cells ignored, problems by row and
column); saves only when there is no problem, as that user, in one transaction (see
staff/imports.py). Exits non-zero on any problem, with nothing saved.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from plans.models import Plan
from staff.imports import ImportRefused, apply, preview_file

PERMISSION = "recommendations.add_statusupdate"


class Command(BaseCommand):
    help = (
        "Read the recommendations file from /export/recommendations.csv or .xlsx, edited, and "
        "save its changed latest updates as new status records and its changed titles as "
        "edits. Prints the preview first; saves nothing if there is any problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv or .xlsx file, as the export gives it.")
        parser.add_argument("--plan", help="Import only this plan's rows (its identifier).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the preview and save nothing."
        )
        parser.add_argument(
            "--user",
            help="Whose changes these are, in the history (required unless --dry-run); the "
            "account needs the right to add status updates.",
        )

    def handle(self, *args, file, plan, dry_run, user, verbosity, **options):
        plan = self.get_plan(plan)
        account = self.get_user(user, dry_run)
        path = Path(file)
        try:
            if path.stat().st_size > settings.IMPORT_MAX_UPLOAD_BYTES:
                raise CommandError(
                    f"{path.name} is larger than {settings.IMPORT_MAX_UPLOAD_BYTES:,} bytes "
                    "(IMPORT_MAX_UPLOAD_MB): import it in parts."
                )
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None

        preview = preview_file(data, path.name, plan=plan, user=account)
        if verbosity:
            self.stdout.write("\n".join(preview.lines()))
        if preview.problems:
            raise CommandError(
                f"{len(preview.problems)} problem(s) in {path.name}: nothing was saved."
            )
        if dry_run or not preview.has_changes:
            if verbosity and dry_run:
                self.stdout.write("Dry run: nothing was saved.")
            return
        try:
            result = apply(preview, user=account)
        except ImportRefused as refused:
            raise CommandError("\n".join(str(p) for p in refused.problems)) from None
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Saved {result.records} new status record(s) and {result.edits} edit(s) "
                    f"as {account.get_username()}."
                )
            )

    def get_plan(self, slug):
        if not slug:
            return None
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            known = ", ".join(Plan.objects.values_list("slug", flat=True))
            raise CommandError(f"No plan {slug!r}. The plans are: {known}.")
        return plan

    def get_user(self, username, dry_run):
        if not username:
            if dry_run:
                return None
            raise CommandError(
                "Give --user USERNAME: every saved change is recorded with its author. "
                "(--dry-run needs no user.)"
            )
        account = get_user_model()._default_manager.filter(username=username).first()
        if account is None or not account.is_active:
            raise CommandError(f"No active user {username!r}.")
        if not account.has_perm(PERMISSION):
            raise CommandError(f"{username} may not add status updates.")
        return account
