"""Reset a staff account's second factor, the superuser's own included.

    python manage.py reset_second_factor USERNAME

Removes the account's authenticator app and backup codes and ends its sessions; at the next
sign-in, after the password, it sets up a new app. For a lost phone (and lost backup codes).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import second_factor


class Command(BaseCommand):
    help = (
        "Remove USERNAME's authenticator app and backup codes and sign them out everywhere: "
        "they set up a new app at their next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the username but change nothing."
        )

    def handle(self, *args, username, dry_run, verbosity, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user named {username!r}; nothing was changed.")
        if dry_run:
            if verbosity:
                self.stdout.write(f"Dry run: {username}'s second factor would be reset.")
            return
        with transaction.atomic():
            second_factor.reset(user=user)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Reset {username}'s second factor and ended their sessions; they set up "
                    "a new authenticator app at their next sign-in."
                )
            )
